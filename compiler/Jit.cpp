#include "compiler/Jit.h"
#include "runtime/Allocator.h"
#include "runtime/Blas.h"
#include "runtime/MemrefCopy.h"

#include <chrono>

#include <dlfcn.h>
#include <map>
#include <mutex>

#include "dialect/IR/TheonDialect.h"
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
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Transforms/ViewOpGraph.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
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

/// Runs one stage of the table, checked: a stage that fails is a Theon bug
/// or a contract the next stage found broken.
void runStage(mlir::ModuleOp module, const mlir::theon::StageInfo &stage, StageTimings *timings,
              const mlir::theon::TheonPipelineOptions &options) {
  auto start = std::chrono::steady_clock::now();
  mlir::PassManager pm(module.getContext());
  std::string error;
  auto previous = static_cast<Stage>(static_cast<int>(stage.stage) - 1);
  if (mlir::failed(mlir::theon::buildStages(pm, previous, stage.stage, options, &error)))
    throw CompileError(error);
  DiagnosticCollector diags(*module.getContext());
  if (mlir::failed(pm.run(module)))
    throw CompileError(std::string("Theon's ") + stage.pipeline + " stage failed:\n" +
                       diags.messages);
  if (timings)
    timings->emplace_back(
        stage.pipeline,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
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
  // LLVM's x86 tuning keeps to 256-bit vectors even where AVX-512 exists
  // (for old cores' clock drops). Theon's loops are short and compute-bound:
  // 512-bit vectors made the seed's small training step 10 % faster on a
  // Sapphire Rapids-class core, the large one within 2 % (bench/README.md).
  unsigned width = pipelineOptions().vectorWidth;
  if (width == 0 && tm->getTargetFeatureString().contains("+avx512f"))
    width = 512;
  if (width != 0)
    for (llvm::Function &f : module)
      if (!f.isDeclaration())
        f.addFnAttr("prefer-vector-width", std::to_string(width));
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

DiagnosticCollector::DiagnosticCollector(mlir::MLIRContext &ctx)
    : handler_(&ctx, [this](mlir::Diagnostic &diag) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << diag.getLocation() << ": " << diag;
        for (auto &note : diag.getNotes())
          os << "\n  note: " << note;
        messages += (messages.empty() ? "" : "\n") + text;
        return mlir::success();
      }) {}

Stage stageFromName(const std::string &name) {
  if (auto stage = mlir::theon::stageNamed(name))
    return *stage;
  throw ValueError("unknown IR stage '" + name + "' (expected " + mlir::theon::stageNames() + ")");
}

const mlir::theon::TheonPipelineOptions &pipelineOptions() {
  static const mlir::theon::TheonPipelineOptions options;
  return options;
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
  mlir::registerOpenMPDialectTranslation(registry);
  // The GPU pipeline: kernels to PTX, launches to runtime calls.
  mlir::registerGPUDialectTranslation(registry);
  mlir::registerNVVMDialectTranslation(registry);
  mlir::gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  mlir::NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry, mlir::MLIRContext::Threading::DISABLED);
  ctx->loadDialect<mlir::theon::TheonDialect, mlir::func::FuncDialect, mlir::arith::ArithDialect>();
  return ctx;
}

namespace {
/// Compiled functions live under names no C library or runtime symbol can
/// have (C identifiers have no '.'): a user's function named `erf` or
/// `theon_gemm_f32` then cannot collide with what lowering declares.
constexpr llvm::StringLiteral kFunctionPrefix = "theon_fn.";
constexpr llvm::StringLiteral kPackedPrefix = "theon_packed.";

void renameFunctions(mlir::ModuleOp module) {
  for (auto func : module.getOps<mlir::func::FuncOp>())
    if (!func.isExternal() && !func.getSymName().starts_with(kFunctionPrefix))
      mlir::SymbolTable::setSymbolName(func, (kFunctionPrefix + func.getSymName()).str());
}
} // namespace

void lowerTo(mlir::ModuleOp module, Stage stage, StageTimings *timings,
             const mlir::theon::TheonPipelineOptions &options) {
  if (stage > Stage::Theon)
    renameFunctions(module);
  for (const mlir::theon::StageInfo &info : mlir::theon::pipelineStages())
    if (info.build && info.stage <= stage)
      runStage(module, info, timings, options);
}

const mlir::theon::TheonPipelineOptions &gpuPipelineOptions(const std::string &chip, bool cublas) {
  // Options cannot be copied: one per architecture and product choice, for
  // the process.
  static std::mutex mutex;
  static std::map<std::pair<std::string, bool>,
                  std::unique_ptr<mlir::theon::TheonPipelineOptions>> byTarget;
  std::lock_guard<std::mutex> lock(mutex);
  auto &options = byTarget[{chip, cublas}];
  if (!options) {
    options = std::make_unique<mlir::theon::TheonPipelineOptions>();
    options->target = mlir::theon::Target::Gpu;
    options->chip = chip;
    options->blas = cublas;
  }
  return *options;
}

namespace {
/// The LLVM IR of an LLVM-dialect module, for the host.
std::unique_ptr<llvm::Module> translateForHost(mlir::ModuleOp module, llvm::LLVMContext &context,
                                               llvm::TargetMachine &tm,
                                               const DiagnosticCollector &diags) {
  auto llvmModule = mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    throw CompileError("translation to LLVM IR failed:\n" + diags.messages);
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  return llvmModule;
}

/// Parses Theon's own module text, lowers it to `stage` and hands it to
/// `use` with the diagnostics collected so far.
template <class Use>
std::string withLowered(const std::string &theonModule, Stage stage, Use use) {
  auto ctx = makeContext();
  DiagnosticCollector diags(*ctx);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(theonModule, ctx.get());
  if (!module)
    throw CompileError("cannot parse Theon's own IR:\n" + diags.messages);
  lowerTo(*module, stage);
  return use(*module, diags);
}
} // namespace

std::string stageText(const std::string &theonModule, Stage stage) {
  return withLowered(theonModule, stage, [&](mlir::ModuleOp module, DiagnosticCollector &diags) {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (stage != Stage::LLVMIR) {
      module->print(os);
      return text;
    }
    initializeLLVM();
    llvm::LLVMContext llvmContext;
    auto tm = hostTargetMachine();
    auto llvmModule = translateForHost(module, llvmContext, *tm, diags);
    if (auto err = optimizeModule(*llvmModule, tm.get()))
      throw CompileError("LLVM optimization failed: " + llvm::toString(std::move(err)));
    llvmModule->print(os, nullptr);
    return text;
  });
}

std::string stageOpGraph(const std::string &theonModule, Stage stage) {
  if (stage != Stage::Theon && stage != Stage::Linalg)
    throw ValueError("an op graph is drawn for the theon or linalg stage");
  return withLowered(theonModule, stage, [](mlir::ModuleOp module, DiagnosticCollector &diags) {
    std::string dot;
    llvm::raw_string_ostream os(dot);
    mlir::PassManager pm(module.getContext());
    pm.addPass(mlir::createPrintOpGraphPass(os));
    if (mlir::failed(pm.run(module)))
      throw CompileError("drawing the op graph failed:\n" + diags.messages);
    return dot;
  });
}

namespace {

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// `void theon_packed.<name>(void **args)`: loads each parameter of `name`
/// from the pointer in its slot, as MLIR's ExecutionEngine packs arguments.
void addPackedWrapper(llvm::Module &module, const std::string &name) {
  llvm::Function *callee = module.getFunction((kFunctionPrefix + name).str());
  if (!callee)
    throw CompileError("compiled module has no function '" + name + "'");
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                         (kPackedPrefix + name).str(), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::SmallVector<llvm::Value *> args;
  for (llvm::Argument &param : callee->args()) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, wrapper->getArg(0), param.getArgNo());
    args.push_back(b.CreateLoad(param.getType(), b.CreateLoad(ptr, slot)));
  }
  b.CreateCall(callee, args);
  b.CreateRetVoid();
}

/// The C functions compiled code calls, resolved directly rather than
/// through the process's dynamic symbol table.
llvm::orc::SymbolMap runtimeSymbols(llvm::orc::MangleAndInterner &interner) {
  llvm::orc::SymbolMap symbols;
  auto add = [&](const char *name, void *address) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                               llvm::JITSymbolFlags::Exported};
  };
  add("_mlir_ciface_theon_gemm_f32", reinterpret_cast<void *>(&_mlir_ciface_theon_gemm_f32));
  add("_mlir_ciface_theon_gemm_f64", reinterpret_cast<void *>(&_mlir_ciface_theon_gemm_f64));
  add("_mlir_memref_to_llvm_alloc", reinterpret_cast<void *>(&_mlir_memref_to_llvm_alloc));
  add("_mlir_memref_to_llvm_free", reinterpret_cast<void *>(&_mlir_memref_to_llvm_free));
  add("theon_call_failed", reinterpret_cast<void *>(&theon_call_failed));
  add("theon_index_error", reinterpret_cast<void *>(&theon_index_error));
  add("memrefCopy", reinterpret_cast<void *>(&memrefCopy));
  return symbols;
}

} // namespace

namespace {
/// Replaces the global constructor (or destructor) list `list` of `module`
/// by an exported function `name` that calls them in priority order: the
/// JIT loads objects without running constructors, so CompiledFunction
/// calls it instead.
void exportStructors(llvm::Module &module, llvm::StringRef list, const std::string &name) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *function = llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false),
                                          llvm::GlobalValue::ExternalLinkage, name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", function));
  if (llvm::GlobalVariable *global = module.getGlobalVariable(list)) {
    std::vector<std::pair<std::uint64_t, llvm::Function *>> entries;
    if (auto *array = llvm::dyn_cast<llvm::ConstantArray>(global->getInitializer()))
      for (llvm::Use &use : array->operands()) {
        auto *entry = llvm::cast<llvm::ConstantStruct>(use.get());
        auto priority = llvm::cast<llvm::ConstantInt>(entry->getOperand(0))->getZExtValue();
        if (auto *callee = llvm::dyn_cast<llvm::Function>(entry->getOperand(1)))
          entries.emplace_back(priority, callee);
      }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &entry : entries)
      b.CreateCall(entry.second);
    global->eraseFromParent();
  }
  b.CreateRetVoid();
}
} // namespace

std::unique_ptr<llvm::MemoryBuffer> compileToObject(mlir::ModuleOp module,
                                                    const std::string &functionName,
                                                    StageTimings *timings,
                                                    const mlir::theon::TheonPipelineOptions &options) {
  lowerTo(module, Stage::LLVM, timings, options);
  auto start = std::chrono::steady_clock::now();
  DiagnosticCollector diags(*module.getContext());
  llvm::LLVMContext llvmContext;
  auto tm = hostTargetMachine();
  auto llvmModule = translateForHost(module, llvmContext, *tm, diags);
  addPackedWrapper(*llvmModule, functionName);
  if (options.target == mlir::theon::Target::Gpu) {
    exportStructors(*llvmModule, "llvm.global_ctors", "theon_gpu_load." + functionName);
    exportStructors(*llvmModule, "llvm.global_dtors", "theon_gpu_unload." + functionName);
  }
  if (auto err = optimizeModule(*llvmModule, tm.get()))
    throw CompileError("LLVM optimization failed: " + llvm::toString(std::move(err)));
  if (timings)
    timings->emplace_back("llvm-opt", msSince(start));
  start = std::chrono::steady_clock::now();
  llvm::orc::SimpleCompiler compiler(*tm);
  auto object = compiler(*llvmModule);
  if (!object)
    throw CompileError("code generation failed: " + llvm::toString(object.takeError()));
  if (timings)
    timings->emplace_back("llvm-codegen", msSince(start));
  return std::move(*object);
}

const std::string &compilationFingerprint() {
  static const std::string fingerprint = [] {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "theon " << THEON_VERSION << "; llvm " << LLVM_VERSION_STRING << "; ";
    // The library that lowers and compiles: a rebuild with changed lowering
    // must not reuse code compiled by the old one.
    // Both libraries count: libtheon (lowering) and libtheon_runtime (the
    // C functions compiled code calls).
    // By content, not path and time: a rebuild with the same mtimes must
    // not reuse code compiled by the old library.
    for (void *symbol : {reinterpret_cast<void *>(&compilationFingerprint),
                         reinterpret_cast<void *>(&_mlir_ciface_theon_gemm_f32)}) {
      Dl_info library;
      if (!dladdr(symbol, &library) || !library.dli_fname)
        continue;
      auto contents = llvm::MemoryBuffer::getFile(library.dli_fname, /*IsText=*/false,
                                                  /*RequiresNullTerminator=*/false);
      if (contents)
        os << "library " << llvm::sys::path::filename(library.dli_fname) << " "
           << (*contents)->getBufferSize() << " "
           << llvm::utohexstr(llvm::xxh3_64bits((*contents)->getBuffer())) << "; ";
    }
    os << "pipelines ";
    auto ctx = makeContext();
    for (const mlir::theon::StageInfo &info : mlir::theon::pipelineStages()) {
      if (!info.build)
        continue;
      mlir::PassManager pm(ctx.get());
      info.build(pm, pipelineOptions());
      os << info.name << ": ";
      pm.printAsTextualPipeline(os);
      os << "; ";
    }
    auto tm = hostTargetMachine();
    os << "llvm O3 no-unroll no-interleave, vector width " << pipelineOptions().vectorWidth
       << " (0: 512 with avx512f); cpu " << tm->getTargetCPU() << " "
       << tm->getTargetFeatureString() << " " << tm->getTargetTriple().str();
    return text;
  }();
  return fingerprint;
}

CompiledFunction::CompiledFunction(std::unique_ptr<llvm::MemoryBuffer> object,
                                   const std::string &functionName) {
  initializeLLVM();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    throw CompileError("cannot detect the host CPU: " + llvm::toString(builder.takeError()));
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*builder)).create();
  if (!jit)
    throw CompileError("cannot create the JIT: " + llvm::toString(jit.takeError()));
  jit_ = std::move(*jit);
  llvm::orc::JITDylib &library = jit_->getMainJITDylib();
  // libm and libc (expf, malloc, free, ...) come from the process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit_->getDataLayout().getGlobalPrefix());
  if (!process)
    throw CompileError("cannot search the process for symbols: " +
                       llvm::toString(process.takeError()));
  library.addGenerator(std::move(*process));
  llvm::orc::MangleAndInterner interner(jit_->getExecutionSession(), jit_->getDataLayout());
  if (auto err = library.define(llvm::orc::absoluteSymbols(runtimeSymbols(interner))))
    throw CompileError("cannot define the runtime's symbols: " + llvm::toString(std::move(err)));
  if (auto err = jit_->addObjectFile(std::move(object)))
    throw CompileError("cannot load compiled code: " + llvm::toString(std::move(err)));
  auto entry = jit_->lookup((kPackedPrefix + functionName).str());
  if (!entry)
    throw CompileError("compiled code has no function '" + functionName +
                       "': " + llvm::toString(entry.takeError()));
  entry_ = entry->toPtr<void (*)(void **)>();
  // GPU code: load the kernels now, unload them with this object.
  if (auto load = jit_->lookup("theon_gpu_load." + functionName)) {
    load->toPtr<void (*)()>()();
    if (auto unload = jit_->lookup("theon_gpu_unload." + functionName))
      unload_ = unload->toPtr<void (*)()>();
    else
      llvm::consumeError(unload.takeError());
  } else {
    llvm::consumeError(load.takeError());
  }
}

CompiledFunction::~CompiledFunction() {
  if (unload_)
    unload_();
}

std::vector<void *> &PackedArguments::pack() {
  // Size everything first: the packed array points into these vectors.
  pointers_.resize(2 * memrefs_.size());
  scalars_.resize(numScalars_);
  packed_.clear();
  std::size_t p = 0, k = 0;
  for (const Memref &m : memrefs_) {
    pointers_[p] = pointers_[p + 1] = m.data; // allocated, aligned
    packed_.push_back(&pointers_[p]);
    packed_.push_back(&pointers_[p + 1]);
    p += 2;
    std::size_t rank = m.shape->size();
    std::int64_t *fields = &scalars_[k];
    fields[0] = 0; // offset
    std::int64_t stride = 1;
    for (std::size_t i = rank; i-- > 0;) {
      fields[1 + i] = (*m.shape)[i];
      fields[1 + rank + i] = stride;
      stride *= (*m.shape)[i];
    }
    for (std::size_t i = 0; i < 1 + 2 * rank; ++i)
      packed_.push_back(&fields[i]);
    k += 1 + 2 * rank;
  }
  return packed_;
}

} // namespace theon::runtime
