#include "runtime/Jit.h"
#include "runtime/Blas.h"

#include <chrono>
#include <mutex>

#include "dialect/TheonDialect.h"
#include "passes/Passes.h"
#include "theon/error.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

namespace theon::runtime {
namespace {

void initializeLLVM() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// Collects diagnostics while alive so that failures become CompileError
/// after MLIR returns (never throw through MLIR's callbacks).
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &diag) {
          std::string text;
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag;
          for (auto &note : diag.getNotes())
            os << "\n  note: " << note;
          messages += (messages.empty() ? "" : "\n") + text;
          return mlir::success();
        }) {}
  std::string messages;

private:
  mlir::ScopedDiagnosticHandler handler;
};

void runStage(mlir::ModuleOp module, void (*build)(mlir::OpPassManager &), const char *what,
              StageTimings *timings) {
  auto start = std::chrono::steady_clock::now();
  mlir::PassManager pm(module.getContext());
  build(pm);
  DiagnosticCollector diags(*module.getContext());
  if (mlir::failed(pm.run(module)))
    throw CompileError(std::string("Theon's ") + what + " stage failed:\n" + diags.messages);
  if (timings)
    timings->emplace_back(
        what, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

std::unique_ptr<llvm::TargetMachine> hostTargetMachine() {
  initializeLLVM();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    throw CompileError("cannot detect the host CPU: " + llvm::toString(builder.takeError()));
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = builder->createTargetMachine();
  if (!tm)
    throw CompileError("cannot create a target machine for the host: " +
                       llvm::toString(tm.takeError()));
  return std::move(*tm);
}

} // namespace

/// LLVM's O3 pipeline for the host, without loop unrolling and interleaving:
/// Theon's loops have static trip counts that LLVM would unroll into large
/// bodies whose code generation dominated compile time, for no measured gain.
llvm::Error optimizeModule(llvm::Module &module, llvm::TargetMachine *tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = false;
  tuning.LoopInterleaving = false;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(tm, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  passes.run(module, mam);
  return llvm::Error::success();
}

Stage stageFromName(const std::string &name) {
  if (name == "theon") return Stage::Theon;
  if (name == "linalg") return Stage::Linalg;
  if (name == "loops") return Stage::Loops;
  if (name == "llvm") return Stage::LLVM;
  if (name == "llvmir") return Stage::LLVMIR;
  throw ValueError("unknown IR stage '" + name +
                   "' (expected theon, linalg, loops, llvm or llvmir)");
}

std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::theon::TheonDialect, mlir::affine::AffineDialect,
                  mlir::arith::ArithDialect, mlir::bufferization::BufferizationDialect,
                  mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
                  mlir::linalg::LinalgDialect, mlir::LLVM::LLVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect, mlir::tensor::TensorDialect,
                  mlir::vector::VectorDialect>();
  // Bufferization and lowering interfaces live in extensions.
  mlir::registerAllExtensions(registry);
  mlir::registerAllDialects(registry);
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry, mlir::MLIRContext::Threading::DISABLED);
  ctx->loadDialect<mlir::theon::TheonDialect, mlir::func::FuncDialect, mlir::arith::ArithDialect>();
  return ctx;
}

void lowerTo(mlir::ModuleOp module, Stage stage, StageTimings *timings) {
  if (stage >= Stage::Linalg)
    runStage(module, mlir::theon::buildTheonToLinalgPipeline, "theon-to-linalg", timings);
  if (stage >= Stage::Loops)
    runStage(module, mlir::theon::buildLinalgToLoopsPipeline, "linalg-to-loops", timings);
  if (stage >= Stage::LLVM)
    runStage(module, mlir::theon::buildLoopsToLLVMPipeline, "loops-to-llvm", timings);
}

std::string stageText(const std::string &theonModule, Stage stage) {
  auto ctx = makeContext();
  DiagnosticCollector diags(*ctx);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(theonModule, ctx.get());
  if (!module)
    throw CompileError("cannot parse Theon's own IR:\n" + diags.messages);
  lowerTo(*module, stage);
  std::string text;
  llvm::raw_string_ostream os(text);
  if (stage != Stage::LLVMIR) {
    module->print(os);
    return text;
  }
  initializeLLVM();
  llvm::LLVMContext llvmContext;
  auto llvmModule = mlir::translateModuleToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    throw CompileError("translation to LLVM IR failed:\n" + diags.messages);
  auto tm = hostTargetMachine();
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  if (auto err = optimizeModule(*llvmModule, tm.get()))
    throw CompileError("LLVM optimization failed: " + llvm::toString(std::move(err)));
  llvmModule->print(os, nullptr);
  return text;
}

CompiledFunction::CompiledFunction(mlir::ModuleOp module, const std::string &functionName) {
  lowerTo(module, Stage::LLVM, &timings_);
  auto jitStart = std::chrono::steady_clock::now();
  auto tm = hostTargetMachine();
  llvm::TargetMachine *tmPtr = tm.get();
  std::function<llvm::Error(llvm::Module *)> transformer = [tmPtr](llvm::Module *m) {
    return optimizeModule(*m, tmPtr);
  };
  mlir::ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  DiagnosticCollector diags(*module.getContext());
  auto engine = mlir::ExecutionEngine::create(module, options, std::move(tm));
  if (!engine)
    throw CompileError("JIT compilation failed: " + llvm::toString(engine.takeError()) + "\n" +
                       diags.messages);
  engine_ = std::move(*engine);
  // The runtime's C entry points, resolved directly rather than through the
  // process's dynamic symbol table.
  engine_->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("_mlir_ciface_theon_gemm_f32", reinterpret_cast<void *>(&_mlir_ciface_theon_gemm_f32));
    add("_mlir_ciface_theon_gemm_f64", reinterpret_cast<void *>(&_mlir_ciface_theon_gemm_f64));
    return symbols;
  });
  auto entry = engine_->lookupPacked(functionName);
  if (!entry)
    throw CompileError("compiled code has no function '" + functionName +
                       "': " + llvm::toString(entry.takeError()));
  entry_ = *entry;
  timings_.emplace_back("llvm-O3+jit", std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - jitStart)
                                          .count());
}

CompiledFunction::~CompiledFunction() = default;

void CompiledFunction::call(std::vector<void *> &args) const { entry_(args.data()); }

MemrefArg::MemrefArg(void *data, const std::vector<std::int64_t> &shape)
    : allocated(data), aligned(data) {
  std::size_t rank = shape.size();
  sizesAndStrides.resize(2 * rank);
  std::int64_t stride = 1;
  for (std::size_t i = rank; i-- > 0;) {
    sizesAndStrides[i] = shape[i];
    sizesAndStrides[rank + i] = stride;
    stride *= shape[i];
  }
}

void MemrefArg::appendTo(std::vector<void *> &args) {
  args.push_back(&allocated);
  args.push_back(&aligned);
  args.push_back(&offset);
  for (auto &v : sizesAndStrides)
    args.push_back(&v);
}

} // namespace theon::runtime
