#include "lib/emit.h"

#include <unordered_map>

#include "dialect/IR/TheonDialect.h"
#include "compiler/Jit.h"
#include "theon/error.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

namespace theon::detail {
namespace {

mlir::Type elementType(mlir::MLIRContext &ctx, DType dtype) {
  mlir::Builder b(&ctx);
  switch (dtype) {
  case DType::Bool: return b.getI1Type();
  case DType::Int8: return b.getI8Type();
  case DType::Int16: return b.getI16Type();
  case DType::Int32: return b.getI32Type();
  case DType::Int64: return b.getI64Type();
  case DType::Float32: return b.getF32Type();
  case DType::Float64: return b.getF64Type();
  }
  return {};
}

mlir::RankedTensorType tensorType(mlir::MLIRContext &ctx, const Shape &shape, DType dtype) {
  return mlir::RankedTensorType::get(shape, elementType(ctx, dtype));
}

template <class T> mlir::DenseElementsAttr denseOf(mlir::RankedTensorType type, const Array &a) {
  Array c = a.contiguous();
  return mlir::DenseElementsAttr::get(
      type, llvm::ArrayRef<T>(c.data<T>(), static_cast<std::size_t>(c.size())));
}

mlir::DenseElementsAttr constantAttr(mlir::RankedTensorType type, const Array &value) {
  switch (value.dtype()) {
  case DType::Bool: {
    llvm::SmallVector<bool> flags;
    for (std::int64_t i = 0; i < value.size(); ++i)
      flags.push_back(value.get_flat(i) != 0);
    return mlir::DenseElementsAttr::get(type, llvm::ArrayRef<bool>(flags));
  }
  case DType::Int8: return denseOf<std::int8_t>(type, value);
  case DType::Int16: return denseOf<std::int16_t>(type, value);
  case DType::Int32: return denseOf<std::int32_t>(type, value);
  case DType::Int64: return denseOf<std::int64_t>(type, value);
  case DType::Float32: return denseOf<float>(type, value);
  case DType::Float64: return denseOf<double>(type, value);
  }
  return {};
}

mlir::Location locationOf(mlir::MLIRContext &ctx, const Node &node) {
  std::string name = node.name.empty() ? std::string(mnemonic(node.kind)) : node.name;
  return mlir::NameLoc::get(mlir::StringAttr::get(&ctx, name));
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> emitModule(mlir::MLIRContext &ctx, const std::string &name,
                                             const std::vector<Node *> &args,
                                             const std::vector<Node *> &outputs,
                                             ShapeInference &shapes,
                                             const std::vector<InPlaceUpdate> &inPlace) {
  // Shape inference first: it is where the user's shape errors surface.
  std::vector<Node *> order = topologicalOrder(outputs);
  for (Node *node : order)
    shapes.shapeOf(node);

  mlir::OpBuilder builder(&ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(builder.getUnknownLoc());
  llvm::SmallVector<mlir::Type> argTypes, resultTypes;
  for (Node *arg : args)
    argTypes.push_back(tensorType(ctx, shapes.shapeOf(arg), arg->dtype));
  for (Node *out : outputs)
    resultTypes.push_back(tensorType(ctx, shapes.shapeOf(out), out->dtype));

  builder.setInsertionPointToEnd(module->getBody());
  auto func = mlir::func::FuncOp::create(builder, builder.getUnknownLoc(), name,
                                         builder.getFunctionType(argTypes, resultTypes));
  for (auto [arg, result] : inPlace)
    func.setArgAttr(static_cast<unsigned>(arg), mlir::theon::TheonDialect::kUpdateResultAttrName,
                    builder.getI64IntegerAttr(static_cast<std::int64_t>(result)));
  mlir::Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);

  std::unordered_map<const Node *, mlir::Value> values;
  std::unordered_map<const Node *, mlir::Operation *> gradOps;
  for (std::size_t i = 0; i < args.size(); ++i)
    values[args[i]] = body->getArgument(static_cast<unsigned>(i));

  for (Node *node : order) {
    if (values.count(node))
      continue;
    mlir::Location loc = locationOf(ctx, *node);
    auto type = tensorType(ctx, shapes.shapeOf(node), node->dtype);
    if (node->kind == OpKind::Input || node->kind == OpKind::Shared)
      throw ValueError("internal: input " + node->describe() + " is not an argument");
    if (node->kind == OpKind::GradGroup) {
      // One theon.grad op for every gradient of this grad() call.
      llvm::SmallVector<mlir::Value> operands;
      llvm::SmallVector<mlir::Type> types;
      for (auto &in : node->inputs)
        operands.push_back(values.at(in.get()));
      for (std::size_t i = 1; i < operands.size(); ++i)
        types.push_back(operands[i].getType());
      mlir::OperationState state(loc, "theon.grad");
      state.addOperands(operands);
      state.addTypes(types);
      gradOps[node] = builder.create(state);
      continue;
    }
    if (node->kind == OpKind::GradOutput) {
      values[node] = gradOps.at(node->inputs[0].get())->getResult(static_cast<unsigned>(node->ints[0]));
      continue;
    }
    if (node->kind == OpKind::Constant) {
      values[node] = mlir::arith::ConstantOp::create(builder, loc, type,
                                                     constantAttr(type, *node->value));
      continue;
    }
    llvm::SmallVector<mlir::Value> operands;
    for (auto &in : node->inputs)
      operands.push_back(values.at(in.get()));
    // A reduction over no axes (of a 0-d value) is the value itself.
    if (isReduction(node->kind) && node->ints.empty()) {
      values[node] = operands[0];
      continue;
    }
    mlir::OperationState state(loc, std::string("theon.") + mnemonic(node->kind));
    state.addOperands(operands);
    state.addTypes(type);
    if (isReduction(node->kind)) {
      state.addAttribute("axes", builder.getDenseI64ArrayAttr(node->ints));
      if (node->keepdims)
        state.addAttribute("keepdims", builder.getUnitAttr());
    } else if (node->kind == OpKind::Argmax || node->kind == OpKind::Argmin) {
      state.addAttribute("axis", builder.getI64IntegerAttr(node->ints[0]));
      if (node->keepdims)
        state.addAttribute("keepdims", builder.getUnitAttr());
    } else if (node->kind == OpKind::DimShuffle) {
      state.addAttribute("pattern", builder.getDenseI64ArrayAttr(node->ints));
    }
    values[node] = builder.create(state)->getResult(0);
  }

  llvm::SmallVector<mlir::Value> results;
  for (Node *out : outputs)
    results.push_back(values.at(out));
  mlir::func::ReturnOp::create(builder, builder.getUnknownLoc(), results);

  runtime::DiagnosticCollector diagnostics(ctx);
  if (mlir::failed(mlir::verify(*module)))
    throw CompileError("Theon emitted invalid IR (a Theon bug):\n" + diagnostics.messages);
  return module;
}

} // namespace theon::detail
