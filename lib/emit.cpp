#include "lib/emit.h"

#include "compiler/Jit.h"
#include "dialect/IR/TheonOps.h"
#include "theon/error.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace theon::detail {
namespace {

namespace theon_ir = mlir::theon;

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

Shape shapeOf(mlir::Value v) {
  auto shape = mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
  return Shape(shape.begin(), shape.end());
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

/// The text of the first diagnostic emitted while alive, without its
/// location: the front end names the variables instead.
struct FirstDiagnostic {
  explicit FirstDiagnostic(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &d) {
          if (text.empty()) {
            text = d.str();
            // A verifier's "'theon.reshape' op ...": the front end names the op.
            std::size_t quoted = text.find("' op ");
            if (text[0] == '\'' && quoted != std::string::npos)
              text = text.substr(quoted + 5);
          }
          return mlir::success();
        }) {}
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

/// Builds each node's op through its generated builder and asks the dialect
/// for its type, turning the dialect's diagnostics into errors that name
/// the user's variables.
class Emitter {
public:
  Emitter(mlir::MLIRContext &ctx, mlir::OpBuilder &builder, const Substitutions *substitutions)
      : ctx_(ctx), b_(builder), substitutions_(substitutions) {}

  void bind(const Node *node, mlir::Value v) { values_[node] = v; }
  mlir::Value valueOf(const Node *node) const { return values_.at(node); }
  bool emitted(const Node *node) const { return values_.count(node) != 0; }
  /// What each `theon.index_site` indexes, in site order.
  std::vector<std::string> takeIndexSites() { return std::move(indexSites_); }
  std::vector<EmittedFunction::ArgumentIndexCheck> takeArgumentIndexChecks() {
    return std::move(argumentIndexChecks_);
  }
  /// The fewest steps the indices into dynamic axes allow (x[-1]: 1).
  std::int64_t minLength() const { return minLength_; }

  void emit(const Node &node) {
    if (substitutions_)
      if (auto it = substitutions_->find(&node); it != substitutions_->end()) {
        bind(&node, valueOf(it->second)); // emitted first: the order puts it before
        return;
      }
    switch (node.kind) {
    case OpKind::Input:
    case OpKind::Shared:
      throw ValueError("internal: input " + node.describe() + " is not an argument");
    case OpKind::Constant: {
      auto type = mlir::RankedTensorType::get(node.value->shape(), elementType(ctx_, node.dtype));
      bind(&node, mlir::arith::ConstantOp::create(b_, loc(node), type,
                                                  constantAttr(type, *node.value)));
      return;
    }
    case OpKind::GradGroup: {
      // One theon.grad op for every gradient of this grad() call. Inputs:
      // the cost, the wrt, then (ints = {number of wrt}) consider_constant.
      std::size_t numWrt = node.ints.empty() ? node.inputs.size() - 1
                                             : static_cast<std::size_t>(node.ints[0]);
      llvm::SmallVector<mlir::Value> wrt;
      for (std::size_t i = 1; i <= numWrt; ++i)
        wrt.push_back(operand(node, i));
      mlir::Value cost = numWrt + 1 == node.inputs.size() ? operand(node, 0)
                                                           : costWithConstants(node, numWrt);
      gradOps_[&node] = theon_ir::GradOp::create(b_, loc(node), cost, wrt);
      return;
    }
    case OpKind::GradOutput:
      bind(&node, gradOps_.at(node.inputs[0].get())
                      ->getResult(static_cast<unsigned>(node.ints[0])));
      return;
    case OpKind::ScanArg:
      throw ValueError("scan: the step variable " + node.describe() +
                       " is used outside its step function");
    case OpKind::ScanGroup:
      emitScan(node);
      return;
    case OpKind::ScanOutput:
      bind(&node, scanOps_.at(node.inputs[0].get())->getResult(static_cast<unsigned>(node.ints[0])));
      return;
#define THEON_UNARY_OP(Kind, mnemonic, OpClass)                                                  \
  case OpKind::Kind:                                                                             \
    bind(&node, theon_ir::OpClass::create(b_, loc(node), operand(node, 0)));                     \
    return;
#define THEON_BINARY_OP(Kind, mnemonic, OpClass)                                                 \
  case OpKind::Kind:                                                                             \
    bind(&node, inferred(node, theon_ir::OpClass::create(b_, loc(node), placeholder(node),       \
                                                         operand(node, 0), operand(node, 1))));  \
    return;
#define THEON_REDUCE_OP(Kind, mnemonic, OpClass)                                                 \
  case OpKind::Kind:                                                                             \
    emitReduction<theon_ir::OpClass>(node);                                                      \
    return;
#define THEON_ARG_REDUCE_OP(Kind, mnemonic, OpClass)                                             \
  case OpKind::Kind:                                                                             \
    bind(&node, inferred(node, theon_ir::OpClass::create(                                        \
                                   b_, loc(node), placeholder(node), operand(node, 0),           \
                                   b_.getI64IntegerAttr(node.ints[0]), keepdims(node))));        \
    return;
#include "lib/ops.def"
    case OpKind::Select:
      bind(&node, inferred(node, theon_ir::SelectOp::create(b_, loc(node), placeholder(node),
                                                            operand(node, 0), operand(node, 1),
                                                            operand(node, 2))));
      return;
    case OpKind::Dot:
      bind(&node, inferred(node, theon_ir::DotOp::create(b_, loc(node), placeholder(node),
                                                         operand(node, 0), operand(node, 1))));
      return;
    case OpKind::DimShuffle:
      bind(&node, inferred(node, theon_ir::DimShuffleOp::create(
                                     b_, loc(node), placeholder(node), operand(node, 0),
                                     b_.getDenseI64ArrayAttr(node.ints))));
      return;
    case OpKind::Cast:
      bind(&node, verified(node, theon_ir::CastOp::create(
                                     b_, loc(node), typed(node, inputShape(node, 0)),
                                     operand(node, 0))));
      return;
    case OpKind::Reshape:
      bind(&node, verified(node, theon_ir::ReshapeOp::create(b_, loc(node),
                                                             typed(node, reshapeTarget(node)),
                                                             operand(node, 0))));
      return;
    case OpKind::BroadcastTo:
      bind(&node, verified(node, theon_ir::BroadcastToOp::create(
                                     b_, loc(node), typed(node, node.ints), operand(node, 0))));
      return;
    case OpKind::Subtensor: {
      NormalizedSlice s = normalizeSlice(node);
      std::string why;
      auto type = theon_ir::SubtensorOp::inferResultType(tensorTypeOf(node, 0), s.starts, s.steps,
                                                         s.sizes, s.dropped, &why);
      if (mlir::failed(type))
        fail(node, why);
      mlir::Value r = verified(node, theon_ir::SubtensorOp::create(
                                         b_, loc(node), *type, operand(node, 0),
                                         b_.getDenseI64ArrayAttr(s.starts),
                                         b_.getDenseI64ArrayAttr(s.steps),
                                         b_.getDenseI64ArrayAttr(s.sizes),
                                         b_.getDenseI64ArrayAttr(s.dropped)));
      // New axes: a reshape inserts their 1s.
      if (s.resultShape != shapeOf(r))
        r = verified(node, theon_ir::ReshapeOp::create(b_, loc(node), typed(node, s.resultShape), r));
      bind(&node, r);
      return;
    }
    case OpKind::Concatenate: {
      std::int64_t axis = node.ints[0];
      llvm::SmallVector<mlir::Value> inputs;
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        mlir::Value v = operand(node, i);
        if (node.ints[1]) { // stack: each gets the new axis first
          Shape s = shapeOf(v);
          s.insert(s.begin() + axis, 1);
          v = verified(node, theon_ir::ReshapeOp::create(b_, loc(node), typed(node, s), v));
        }
        inputs.push_back(v);
      }
      std::string why;
      auto type = theon_ir::ConcatenateOp::inferResultType(mlir::ValueRange(inputs).getTypes(),
                                                           axis, &why);
      if (mlir::failed(type))
        fail(node, why);
      bind(&node, verified(node, theon_ir::ConcatenateOp::create(b_, loc(node), *type, inputs,
                                                                 axis)));
      return;
    }
    case OpKind::UpdateSubtensor: {
      NormalizedSlice s = normalizeSlice(node);
      std::string why;
      auto sliceType = theon_ir::SubtensorOp::inferResultType(
          tensorTypeOf(node, 0), s.starts, s.steps, s.sizes, s.dropped, &why);
      if (mlir::failed(sliceType))
        fail(node, why);
      mlir::Value v = operand(node, 1);
      if (v.getType() != *sliceType)
        v = verified(node, theon_ir::BroadcastToOp::create(b_, loc(node), *sliceType, v));
      bind(&node, verified(node, theon_ir::UpdateSubtensorOp::create(
                                     b_, loc(node), tensorTypeOf(node, 0), operand(node, 0), v,
                                     b_.getDenseI64ArrayAttr(s.starts),
                                     b_.getDenseI64ArrayAttr(s.steps),
                                     b_.getDenseI64ArrayAttr(s.sizes),
                                     b_.getDenseI64ArrayAttr(s.dropped),
                                     node.keepdims ? b_.getUnitAttr() : mlir::UnitAttr())));
      return;
    }
    case OpKind::Take: {
      checkConstantIndices(node);
      auto type = theon_ir::TakeOp::inferResultType(tensorTypeOf(node, 0), tensorTypeOf(node, 1));
      auto take = theon_ir::TakeOp::create(b_, loc(node), type, operand(node, 0), operand(node, 1));
      // Indices computed in the graph are checked by the compiled code;
      // inputs before the call, constants here.
      const Node &indices = *node.inputs[1];
      if (indices.kind == OpKind::Input) {
        argumentIndexChecks_.push_back({&indices, inputShape(node, 0)[0], indexTarget(node)});
      } else if (indices.kind != OpKind::Constant) {
        take->setAttr(mlir::theon::TheonDialect::kIndexSiteAttrName,
                      b_.getI64IntegerAttr(static_cast<std::int64_t>(indexSites_.size())));
        indexSites_.push_back(indexTarget(node) + " (indices " + indices.describe() + ")");
      }
      bind(&node, verified(node, take));
      return;
    }
    case OpKind::ZeroGrad:
      bind(&node, verified(node, theon_ir::ZeroGradOp::create(b_, loc(node), operand(node, 0))));
      return;
    case OpKind::GradClip:
      bind(&node, verified(node, theon_ir::GradClipOp::create(
                                     b_, loc(node), operand(node, 0),
                                     b_.getF64FloatAttr(node.value->get_flat(0)),
                                     b_.getF64FloatAttr(node.value->get_flat(1)))));
      return;
    case OpKind::Cumsum:
      bind(&node, verified(node, theon_ir::CumsumOp::create(
                                     b_, loc(node), operand(node, 0), b_.getI64IntegerAttr(node.ints[0]),
                                     node.keepdims ? b_.getUnitAttr() : mlir::UnitAttr())));
      return;
    case OpKind::Cumprod:
      bind(&node, verified(node, theon_ir::CumprodOp::create(
                                     b_, loc(node), operand(node, 0), b_.getI64IntegerAttr(node.ints[0]),
                                     node.keepdims ? b_.getUnitAttr() : mlir::UnitAttr())));
      return;
    case OpKind::ScatterAdd:
      // The front end gives it indices already checked (see advancedUpdate).
      bind(&node, verified(node, theon_ir::ScatterAddOp::create(
                                     b_, loc(node), tensorTypeOf(node, 0), operand(node, 0),
                                     operand(node, 1), operand(node, 2),
                                     node.keepdims ? b_.getUnitAttr() : mlir::UnitAttr())));
      return;
    case OpKind::Deferred: {
      Context context(*this);
      Variable root = (*node.expand)(context);
      NodePtr r = root.node();
      emitAll(r);
      if (r->dtype != node.dtype || r->ndim() != node.ndim())
        throw ValueError(std::string("internal: ") + node.deferredOp + " built a " +
                         root.type_string() + ", not the " + std::to_string(node.ndim()) +
                         "-d " + dtype_name(node.dtype) + " it promised");
      expansions_[&node] = r;
      bind(&node, valueOf(r.get()));
      return;
    }
    case OpKind::Random: {
      // ints: the distribution, then the shape (see lib/random.cpp).
      static_assert(static_cast<std::int64_t>(RandomDistribution::Uniform) ==
                        static_cast<std::int64_t>(mlir::theon::Distribution::uniform) &&
                    static_cast<std::int64_t>(RandomDistribution::Normal) ==
                        static_cast<std::int64_t>(mlir::theon::Distribution::normal));
      auto distribution = static_cast<mlir::theon::Distribution>(node.ints[0]);
      std::vector<std::int64_t> shape(node.ints.begin() + 1, node.ints.end());
      bind(&node, verified(node, theon_ir::RandomOp::create(b_, loc(node), typed(node, shape),
                                                            operand(node, 0), distribution)));
      return;
    }
    case OpKind::Conv2d:
      bind(&node, emitConv2d(node));
      return;
    case OpKind::Pool2d: {
      // ints: mode, window (2), strides (2), padding (2), ignore_border.
      const std::vector<std::int64_t> &a = node.ints;
      llvm::ArrayRef<std::int64_t> window(&a[1], 2), strides(&a[3], 2), padding(&a[5], 2);
      std::string why;
      auto type = theon_ir::Pool2dOp::inferResultType(tensorTypeOf(node, 0), window, strides,
                                                      padding, a[7] != 0, &why);
      if (mlir::failed(type))
        fail(node, why);
      bind(&node, verified(node, theon_ir::Pool2dOp::create(
                                     b_, loc(node), *type, operand(node, 0),
                                     static_cast<mlir::theon::PoolMode>(a[0]), window, strides,
                                     padding, a[7] != 0)));
      return;
    }
    case OpKind::ExtractDiag:
      bind(&node, verified(node, theon_ir::ExtractDiagOp::create(
                                     b_, loc(node),
                                     theon_ir::ExtractDiagOp::inferResultType(tensorTypeOf(node, 0)),
                                     operand(node, 0))));
      return;
    case OpKind::AllocDiag: {
      // Theano's diag of a vector is square.
      std::int64_t n = inputShape(node, 0)[0];
      bind(&node, verified(node, theon_ir::AllocDiagOp::create(b_, loc(node), typed(node, {n, n}),
                                                               operand(node, 0))));
      return;
    }
    }
    throw ValueError(std::string("internal: no emitter for ") + mnemonic(node.kind));
  }

private:
  /// theon.scan: the step's nodes emitted once into its body, with the step
  /// variables and the captured outside values as the body's arguments.
  void emitScan(const Node &node) {
    const auto &body = *static_cast<const ScanBody *>(node.payload.get());
    std::size_t numSeq = static_cast<std::size_t>(node.ints[0]);
    std::size_t numStates = static_cast<std::size_t>(node.ints[1]);
    std::int64_t nSteps = node.ints[2];
    // A symbolic n_steps (the last input) is valued now, from shapes and
    // constants.
    bool symbolicSteps = node.ints[3] != 0;
    std::size_t numInputs = node.inputs.size() - (symbolicSteps ? 1 : 0);
    if (symbolicSteps) {
      nSteps = Context(*this).ints(Variable(node.inputs.back()), "scan", "n_steps").at(0);
      if (nSteps < 0)
        throw ValueError("scan: n_steps must not be negative, got " + std::to_string(nSteps));
    }
    // The number of steps: n_steps, at most what the sequences allow; in a
    // function compiled for every sequence length, the sequences' runtime
    // number of rows.
    std::int64_t available = -1;
    std::size_t dynamicSequences = 0;
    for (std::size_t i = 0; i < numSeq; ++i) {
      std::int64_t rows = inputShape(node, i)[0];
      if (rows == kDynamicExtent) {
        ++dynamicSequences;
        continue;
      }
      available = available < 0 ? rows : std::min(available, rows);
    }
    if (dynamicSequences > 0 && (dynamicSequences != numSeq || nSteps >= 0))
      throw DynamicExtent("scan: a runtime number of steps needs every sequence to have it, "
                          "and no n_steps");
    if (dynamicSequences > 0)
      available = kDynamicExtent;
    if (nSteps >= 0 && available >= 0 && nSteps > available)
      throw ValueError("scan: n_steps is " + std::to_string(nSteps) + ", but the sequences have " +
                       std::to_string(available) + " steps");
    std::int64_t length = nSteps >= 0 ? nSteps : available;

    llvm::SmallVector<mlir::Value> sequences, inits, params;
    llvm::SmallVector<mlir::Type> argTypes;
    for (std::size_t i = 0; i < numInputs; ++i) {
      mlir::Value v = operand(node, i);
      auto t = mlir::cast<mlir::RankedTensorType>(v.getType());
      if (i < numSeq) {
        sequences.push_back(v);
        argTypes.push_back(mlir::RankedTensorType::get(t.getShape().drop_front(), t.getElementType()));
      } else {
        (i < numSeq + numStates ? inits : params).push_back(v);
        argTypes.push_back(t);
      }
    }
    auto region = std::make_unique<mlir::Region>();
    mlir::Block *block = new mlir::Block();
    region->push_back(block);
    for (mlir::Type t : argTypes)
      block->addArgument(t, loc(node));

    // The step's values live in the body: bind its arguments, emit, and
    // forget them afterwards (the outside keeps its own values).
    auto savedValues = values_;
    auto savedExpansions = expansions_;
    auto savedKnown = knownValues_;
    llvm::SmallVector<mlir::Value> yielded;
    {
      mlir::OpBuilder::InsertionGuard guard(b_);
      b_.setInsertionPointToEnd(block);
      for (std::size_t i = 0; i < body.arguments.size(); ++i)
        bind(body.arguments[i].get(), block->getArgument(static_cast<unsigned>(i)));
      for (std::size_t i = numSeq + numStates; i < numInputs; ++i)
        bind(node.inputs[i].get(), block->getArgument(static_cast<unsigned>(i)));
      knownValues_.clear();
      for (const NodePtr &y : body.yields) {
        emitAll(y);
        yielded.push_back(valueOf(y.get()));
      }
      for (std::size_t j = 0; j < numStates; ++j)
        if (yielded[j].getType() != inits[j].getType())
          throw ShapeError("scan: the step's new value for " + node.inputs[numSeq + j]->describe() +
                           " has shape " + shape_to_string(shapeOf(yielded[j])) +
                           ", but the value it replaces has shape " +
                           shape_to_string(shapeOf(inits[j])));
      theon_ir::YieldOp::create(b_, loc(node), yielded);
    }
    values_ = std::move(savedValues);
    expansions_ = std::move(savedExpansions);
    knownValues_ = std::move(savedKnown);

    llvm::SmallVector<mlir::Type> resultTypes;
    for (std::size_t j = 0; j < yielded.size(); ++j) {
      auto t = mlir::cast<mlir::RankedTensorType>(yielded[j].getType());
      if (j < numStates) {
        resultTypes.push_back(t);
        continue;
      }
      llvm::SmallVector<std::int64_t> shape{length};
      shape.append(t.getShape().begin(), t.getShape().end());
      resultTypes.push_back(mlir::RankedTensorType::get(shape, t.getElementType()));
    }
    auto scan = theon_ir::ScanOp::create(b_, loc(node), resultTypes, sequences, inits, params,
                                         static_cast<std::uint64_t>(length), /*reverse=*/false);
    scan.getBody().takeBody(*region);
    FirstDiagnostic diagnostic(ctx_);
    if (mlir::failed(mlir::verify(scan)))
      fail(node, diagnostic.text);
    scanOps_[&node] = scan;
  }

  /// ints: border mode (ConvBorder, lib/graph.h), pads (2), strides (2),
  /// dilations (2), groups, filter_flip. The front end checked the ranks.
  mlir::Value emitConv2d(const Node &node) {
    const std::vector<std::int64_t> &a = node.ints;
    Shape filters = inputShape(node, 1);
    llvm::SmallVector<std::int64_t, 4> padding;
    for (int k = 0; k < 2; ++k) {
      std::int64_t extent = (filters[2 + k] - 1) * a[5 + k] + 1;
      std::int64_t pad = a[0] == kBorderFull ? extent - 1 : a[0] == kBorderHalf ? extent / 2 : a[1 + k];
      padding.append({pad, pad});
    }
    mlir::Value w = operand(node, 1);
    if (a[8]) { // a true convolution flips the filters
      mlir::RankedTensorType t = tensorTypeOf(node, 1);
      w = verified(node, theon_ir::SubtensorOp::create(
                             b_, loc(node), t, w,
                             llvm::ArrayRef<std::int64_t>{0, 0, filters[2] - 1, filters[3] - 1},
                             llvm::ArrayRef<std::int64_t>{1, 1, -1, -1}, t.getShape(),
                             llvm::ArrayRef<std::int64_t>{}));
    }
    llvm::ArrayRef<std::int64_t> strides(&a[3], 2), dilations(&a[5], 2);
    std::string why;
    auto type = theon_ir::Conv2dOp::inferResultType(tensorTypeOf(node, 0), tensorTypeOf(node, 1),
                                                    strides, padding, dilations, a[7], &why);
    if (mlir::failed(type))
      fail(node, why);
    return verified(node, theon_ir::Conv2dOp::create(b_, loc(node), *type, operand(node, 0), w,
                                                     strides, padding, dilations, a[7]));
  }

  mlir::Location loc(const Node &node) {
    std::string name = node.name.empty() ? std::string(mnemonic(node.kind)) : node.name;
    return mlir::NameLoc::get(mlir::StringAttr::get(&ctx_, name));
  }
  mlir::Value operand(const Node &node, std::size_t i) const {
    return valueOf(node.inputs[i].get());
  }
  mlir::RankedTensorType tensorTypeOf(const Node &node, std::size_t i) const {
    return mlir::cast<mlir::RankedTensorType>(operand(node, i).getType());
  }
  Shape inputShape(const Node &node, std::size_t i) const { return shapeOf(operand(node, i)); }
  mlir::RankedTensorType typed(const Node &node, llvm::ArrayRef<std::int64_t> shape) {
    return mlir::RankedTensorType::get(shape, elementType(ctx_, node.dtype));
  }
  /// The result type until the dialect's rule gives the real one.
  mlir::Type placeholder(const Node &node) {
    return mlir::UnrankedTensorType::get(elementType(ctx_, node.dtype));
  }
  mlir::UnitAttr keepdims(const Node &node) {
    return node.keepdims ? b_.getUnitAttr() : mlir::UnitAttr();
  }

  template <class OpClass> void emitReduction(const Node &node) {
    // A reduction over no axes (of a 0-d value) is the value itself.
    if (node.ints.empty()) {
      bind(&node, operand(node, 0));
      return;
    }
    bind(&node, inferred(node, OpClass::create(b_, loc(node), placeholder(node), operand(node, 0),
                                               b_.getDenseI64ArrayAttr(node.ints),
                                               keepdims(node))));
  }

  /// "add: <what the dialect said>, for (3,) of 'a' and (4,) of 'b'".
  [[noreturn]] void fail(const Node &node, const std::string &diagnostic) {
    std::string operands;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
      operands += i == 0 ? ", for " : i + 1 == node.inputs.size() ? " and " : ", ";
      operands += shape_to_string(inputShape(node, i)) + " of " + node.inputs[i]->describe();
    }
    throw ShapeError(std::string(apiName(node.kind)) + ": " + diagnostic + operands);
  }

  /// Types `op`'s result by the dialect's shape rule.
  mlir::Value inferred(const Node &node, mlir::Operation *op) {
    FirstDiagnostic diagnostic(ctx_);
    llvm::SmallVector<mlir::Type> types;
    auto rule = mlir::cast<mlir::InferTypeOpInterface>(op);
    if (mlir::failed(rule.inferReturnTypes(&ctx_, op->getLoc(), op->getOperands(),
                                           op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
                                           op->getRegions(), types)))
      fail(node, diagnostic.text);
    op->getResult(0).setType(types.front());
    // The type may still be too large to address.
    return verified(node, op);
  }

  /// Checks an op the front end typed (a target shape only it knows) with
  /// the op's verifier.
  mlir::Value verified(const Node &node, mlir::Operation *op) {
    FirstDiagnostic diagnostic(ctx_);
    if (mlir::failed(mlir::verify(op, /*verifyRecursively=*/false)))
      fail(node, diagnostic.text);
    return op->getResult(0);
  }

  /// The cost of a grad() with consider_constant: the part of its graph
  /// that depends on a constant emitted again with each constant behind a
  /// theon.zero_grad, so that only this gradient stops there (other users
  /// of the same values keep theirs; CSE merges the copies after autodiff).
  mlir::Value costWithConstants(const Node &group, std::size_t numWrt) {
    auto savedValues = values_;
    auto savedGradOps = gradOps_;
    auto savedExpansions = expansions_;
    std::unordered_set<const Node *> tainted;
    for (std::size_t i = numWrt + 1; i < group.inputs.size(); ++i) {
      const Node *c = group.inputs[i].get();
      if (tainted.insert(c).second && is_float(c->dtype))
        bind(c, theon_ir::ZeroGradOp::create(b_, loc(*c), valueOf(c)));
    }
    const Node *cost = group.inputs[0].get();
    for (Node *n : topologicalOrder({const_cast<Node *>(cost)}, substitutions_)) {
      if (tainted.count(n))
        continue;
      bool depends = llvm::any_of(n->inputs, [&](const NodePtr &in) { return tainted.count(in.get()); });
      if (substitutions_)
        if (auto it = substitutions_->find(n); it != substitutions_->end())
          depends = depends || tainted.count(it->second);
      if (!depends)
        continue;
      tainted.insert(n);
      values_.erase(n);
      emit(*n);
    }
    mlir::Value result = valueOf(cost);
    values_ = std::move(savedValues);
    gradOps_ = std::move(savedGradOps);
    expansions_ = std::move(savedExpansions);
    return result;
  }

  /// A subtensor's index items for the operand's concrete shape, as
  /// Python's slice.indices: what theon.subtensor takes, and the shape with
  /// the new axes.
  struct NormalizedSlice {
    std::vector<std::int64_t> starts, steps, sizes, dropped;
    Shape resultShape;
  };
  NormalizedSlice normalizeSlice(const Node &node) {
    Shape x = inputShape(node, 0);
    NormalizedSlice s;
    std::size_t axis = 0;
    for (std::size_t i = 0; i < node.ints.size(); i += 4) {
      std::int64_t kind = node.ints[i], a = node.ints[i + 1], b = node.ints[i + 2],
                   c = node.ints[i + 3];
      if (kind == kIndexNewAxis) {
        s.resultShape.push_back(1);
        continue;
      }
      std::int64_t n = x[axis];
      if (n == kDynamicExtent) {
        // A scan's number of steps, known at run time: an index (the call
        // checks it is in range) or the whole axis.
        std::int64_t step = c == kSliceOmitted ? 1 : c;
        if (kind == kIndexInteger) {
          // Saturating: x[INT64_MIN] needs more steps than any call has.
          constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
          std::int64_t needs = a < 0 ? (a < -most ? most : -a) : (a == most ? most : a + 1);
          minLength_ = std::max(minLength_, needs);
          s.starts.push_back(a);
          s.steps.push_back(1);
          s.sizes.push_back(1);
          s.dropped.push_back(static_cast<std::int64_t>(axis));
        } else if ((a == kSliceOmitted || a == 0) && b == kSliceOmitted && step == 1) {
          s.starts.push_back(0);
          s.steps.push_back(1);
          s.sizes.push_back(kDynamicExtent);
          s.resultShape.push_back(kDynamicExtent);
        } else {
          throw DynamicExtent("a slice of " + node.inputs[0]->describe() +
                              " other than an index or the whole of its first axis");
        }
        ++axis;
        continue;
      }
      if (kind == kIndexInteger) {
        if (a < -n || a >= n)
          throw IndexError("index " + std::to_string(a) + " is out of bounds for axis " +
                           std::to_string(axis) + " of " + node.inputs[0]->describe() +
                           " with size " + std::to_string(n) + " (valid: " +
                           std::to_string(-n) + " to " + std::to_string(n - 1) + ")");
        s.starts.push_back(a < 0 ? a + n : a);
        s.steps.push_back(1);
        s.sizes.push_back(1);
        s.dropped.push_back(static_cast<std::int64_t>(axis));
      } else {
        std::int64_t step = c == kSliceOmitted ? 1 : c;
        std::int64_t lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
        auto clampBound = [&](std::int64_t v, std::int64_t omitted) {
          if (v == kSliceOmitted)
            return omitted;
          if (v < 0) {
            v = v < -n ? lower : v + n; // no overflow: v >= -n before adding
            return v < lower ? lower : v;
          }
          return v > upper ? upper : v;
        };
        std::int64_t start = clampBound(a, step > 0 ? lower : upper);
        std::int64_t stop = clampBound(b, step > 0 ? upper : lower);
        std::int64_t size = step > 0 ? (stop > start ? (stop - start - 1) / step + 1 : 0)
                                     : (start > stop ? (start - stop - 1) / -step + 1 : 0);
        s.starts.push_back(size == 0 ? 0 : start);
        s.steps.push_back(step);
        s.sizes.push_back(size);
        s.resultShape.push_back(size);
      }
      ++axis;
    }
    for (; axis < x.size(); ++axis) {
      s.starts.push_back(0);
      s.steps.push_back(1);
      s.sizes.push_back(x[axis]);
      s.resultShape.push_back(x[axis]);
    }
    return s;
  }

  /// Reshape's -1, which only the front end has: the dimension that makes
  /// the element counts agree.
  Shape reshapeTarget(const Node &node) {
    Shape x = inputShape(node, 0);
    std::int64_t total = 1, known = 1;
    for (auto d : x)
      total *= d;
    Shape out(node.ints.begin(), node.ints.end());
    auto unknown = std::find(out.begin(), out.end(), -1);
    if (unknown == out.end())
      return out; // the verifier checks the element count
    for (auto d : out)
      if (d != -1 && __builtin_mul_overflow(known, d, &known))
        throw ShapeError("reshape: shape " + shape_to_string(out) + " for " +
                         node.inputs[0]->describe() + " has more elements than a 64-bit size can count");
    if (known != 0 && total % known == 0)
      *unknown = total / known;
    else if (known == 0 && total == 0)
      *unknown = 0;
    else
      throw ShapeError("reshape: cannot reshape " + node.inputs[0]->describe() + " of shape " +
                       shape_to_string(x) + " (" + std::to_string(total) +
                       " elements) into shape " + shape_to_string(Shape(node.ints.begin(), node.ints.end())));
    return out;
  }

  /// Constant indices are checked here; index arguments at each call.
  /// Computed indices are clamped by the compiled code.
  void checkConstantIndices(const Node &node) {
    const Node &idx = *node.inputs[1];
    if (idx.kind != OpKind::Constant)
      return;
    std::int64_t rows = inputShape(node, 0)[0];
    for (std::int64_t k = 0; k < idx.value->size(); ++k) {
      double i = idx.value->get_flat(k);
      if (i < -static_cast<double>(rows) || i >= static_cast<double>(rows))
        throw IndexError("index " + std::to_string(static_cast<std::int64_t>(i)) +
                         " is out of bounds for axis 0 of " + node.inputs[0]->describe() +
                         " with size " + std::to_string(rows));
    }
  }

  /// Emits `root` and what it depends on, once; keeps the nodes alive, as
  /// values_ is keyed by their addresses.
  void emitAll(const NodePtr &root) {
    if (values_.count(root.get()))
      return;
    keepAlive_.push_back(root);
    for (Node *n : topologicalOrder({root.get()}, substitutions_))
      if (!values_.count(n))
        emit(*n);
  }

  std::string indexTarget(const Node &take) const {
    return take.indexTarget.empty() ? "axis 0 of " + take.inputs[0]->describe() : take.indexTarget;
  }

  /// The DeferredContext of an expansion: shapes and values of nodes
  /// emitted already.
  class Context : public DeferredContext {
  public:
    explicit Context(Emitter &e) : e_(e) {}
    Shape shapeOf(const Variable &v) const override {
      e_.emitAll(v.node());
      Shape shape = ::theon::detail::shapeOf(e_.valueOf(v.node().get()));
      if (hasDynamicExtent(shape))
        throw DynamicExtent("the shape of " + v.node()->describe() +
                            " is read, and its first axis is a scan's number of steps");
      return shape;
    }
    std::int64_t extent(const Variable &v, int axis) const override {
      e_.emitAll(v.node());
      std::int64_t n = ::theon::detail::shapeOf(e_.valueOf(v.node().get()))[static_cast<std::size_t>(axis)];
      if (n == kDynamicExtent)
        throw DynamicExtent("axis " + std::to_string(axis) + " of " + v.node()->describe() +
                            " is read, and it is a scan's number of steps");
      return n;
    }
    std::optional<std::vector<double>> tryValues(const Variable &v) const override {
      e_.emitAll(v.node());
      return e_.tryValues(*v.node());
    }

  private:
    Emitter &e_;
  };

  /// Compile-time values of small integer-like expressions (shapes, sizes,
  /// constant indices); nullopt when a value depends on an argument.
  std::optional<std::vector<double>> tryValues(const Node &node) {
    auto found = knownValues_.find(&node);
    if (found != knownValues_.end())
      return found->second;
    std::optional<std::vector<double>> v = computeValues(node);
    knownValues_[&node] = v;
    return v;
  }
  std::optional<std::vector<double>> computeValues(const Node &node) {
    if (substitutions_)
      if (auto it = substitutions_->find(&node); it != substitutions_->end())
        return tryValues(*it->second);
    Shape shape = shapeOf(valueOf(&node));
    if (hasDynamicExtent(shape))
      return std::nullopt;
    std::int64_t count = 1;
    for (auto d : shape)
      count *= d;
    if (count > (1 << 20))
      return std::nullopt;
    bool integral = node.dtype != DType::Float32 && node.dtype != DType::Float64;
    auto in = [&](std::size_t i) { return tryValues(*node.inputs[i]); };
    auto finish = [&](std::vector<double> v) -> std::optional<std::vector<double>> {
      for (double &d : v)
        if (node.dtype == DType::Bool)
          d = d != 0;
        else if (integral)
          d = std::trunc(d);
      return v;
    };
    switch (node.kind) {
    case OpKind::Constant: {
      std::vector<double> v;
      for (std::int64_t i = 0; i < node.value->size(); ++i)
        v.push_back(node.value->get_flat(i));
      return v;
    }
    case OpKind::Deferred: {
      auto e = expansions_.find(&node);
      return e == expansions_.end() ? std::nullopt : tryValues(*e->second);
    }
    case OpKind::Cast:
    case OpKind::Reshape:
    case OpKind::DimShuffle: {
      auto a = in(0);
      return a ? finish(*a) : std::nullopt;
    }
    case OpKind::BroadcastTo: {
      auto a = in(0);
      if (!a || a->empty())
        return a;
      std::vector<double> v(static_cast<std::size_t>(count));
      for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = (*a)[a->size() == 1 ? 0 : i % a->size()];
      return v;
    }
    case OpKind::Concatenate: {
      if (shape.size() > 1)
        return std::nullopt;
      std::vector<double> v;
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        auto a = in(i);
        if (!a)
          return std::nullopt;
        v.insert(v.end(), a->begin(), a->end());
      }
      return finish(v);
    }
    case OpKind::Subtensor: {
      if (node.inputs[0]->ndim() > 1)
        return std::nullopt;
      auto a = in(0);
      if (!a)
        return std::nullopt;
      if (node.inputs[0]->ndim() == 0)
        return a;
      NormalizedSlice s = normalizeSlice(node);
      std::vector<double> v;
      for (std::int64_t k = 0; k < s.sizes[0]; ++k)
        v.push_back((*a)[static_cast<std::size_t>(s.starts[0] + k * s.steps[0])]);
      return v;
    }
    case OpKind::Neg:
    case OpKind::Abs:
    case OpKind::Sign: {
      auto a = in(0);
      if (!a)
        return std::nullopt;
      for (double &d : *a)
        d = node.kind == OpKind::Neg ? -d : node.kind == OpKind::Abs ? std::abs(d)
                                                                      : (d > 0) - (d < 0);
      return finish(*a);
    }
    case OpKind::Sum:
    case OpKind::Prod:
    case OpKind::Max:
    case OpKind::Min: {
      auto a = in(0);
      if (!a || node.inputs[0]->ndim() > 1 || (a->empty() && node.kind != OpKind::Sum &&
                                               node.kind != OpKind::Prod))
        return std::nullopt;
      double r = node.kind == OpKind::Prod ? 1 : node.kind == OpKind::Sum ? 0 : (*a)[0];
      for (double d : *a)
        r = node.kind == OpKind::Sum ? r + d : node.kind == OpKind::Prod ? r * d
            : node.kind == OpKind::Max ? std::max(r, d) : std::min(r, d);
      return finish({r});
    }
    default:
      break;
    }
    if (node.inputs.size() != 2 || node.ndim() > 1)
      return std::nullopt;
    switch (node.kind) {
    case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div:
    case OpKind::FloorDiv: case OpKind::Mod: case OpKind::Maximum: case OpKind::Minimum:
    case OpKind::Eq: case OpKind::Ne: case OpKind::Lt: case OpKind::Le: case OpKind::Gt:
    case OpKind::Ge:
      break;
    default:
      return std::nullopt;
    }
    auto a = in(0), b = in(1);
    if (!a || !b)
      return std::nullopt;
    bool intOperands = node.inputs[0]->dtype != DType::Float32 &&
                       node.inputs[0]->dtype != DType::Float64;
    std::vector<double> v(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < v.size(); ++i) {
      double x = (*a)[a->size() == 1 ? 0 : i], y = (*b)[b->size() == 1 ? 0 : i], r = 0;
      switch (node.kind) {
      case OpKind::Add: r = x + y; break;
      case OpKind::Sub: r = x - y; break;
      case OpKind::Mul: r = x * y; break;
      case OpKind::Div: r = x / y; break;
      case OpKind::FloorDiv: r = intOperands && y == 0 ? 0 : std::floor(x / y); break;
      case OpKind::Mod:
        r = intOperands && y == 0 ? 0 : x - std::floor(x / y) * y;
        break;
      case OpKind::Maximum: r = std::max(x, y); break;
      case OpKind::Minimum: r = std::min(x, y); break;
      case OpKind::Eq: r = x == y; break;
      case OpKind::Ne: r = x != y; break;
      case OpKind::Lt: r = x < y; break;
      case OpKind::Le: r = x <= y; break;
      case OpKind::Gt: r = x > y; break;
      default: r = x >= y; break;
      }
      v[i] = r;
    }
    return finish(v);
  }

  mlir::MLIRContext &ctx_;
  mlir::OpBuilder &b_;
  const Substitutions *substitutions_;
  std::unordered_map<const Node *, mlir::Value> values_;
  std::unordered_map<const Node *, NodePtr> expansions_;
  std::vector<NodePtr> keepAlive_;
  std::unordered_map<const Node *, std::optional<std::vector<double>>> knownValues_;
  std::int64_t minLength_ = 0;
  std::vector<EmittedFunction::ArgumentIndexCheck> argumentIndexChecks_;
  std::unordered_map<const Node *, mlir::Operation *> gradOps_;
  std::unordered_map<const Node *, mlir::Operation *> scanOps_;
  std::vector<std::string> indexSites_;
};

} // namespace

EmittedFunction emitFunction(mlir::MLIRContext &ctx, const std::string &name,
                             const std::vector<Node *> &args, const std::vector<Shape> &argShapes,
                             const std::vector<Node *> &outputs,
                             const Substitutions *substitutions) {
  mlir::OpBuilder builder(&ctx);
  EmittedFunction emitted;
  emitted.module = mlir::ModuleOp::create(builder.getUnknownLoc());
  llvm::SmallVector<mlir::Type> argTypes;
  for (std::size_t i = 0; i < args.size(); ++i)
    argTypes.push_back(mlir::RankedTensorType::get(argShapes[i], elementType(ctx, args[i]->dtype)));

  builder.setInsertionPointToEnd(emitted.module->getBody());
  auto func = mlir::func::FuncOp::create(builder, builder.getUnknownLoc(), name,
                                         builder.getFunctionType(argTypes, {}));
  mlir::Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);

  Emitter emitter(ctx, builder, substitutions);
  for (std::size_t i = 0; i < args.size(); ++i)
    emitter.bind(args[i], body->getArgument(static_cast<unsigned>(i)));
  std::unordered_map<const Node *, bool> isArg;
  for (Node *arg : args)
    isArg[arg] = true;
  for (Node *node : topologicalOrder(outputs, substitutions)) {
    if (!isArg.count(node) && !emitter.emitted(node))
      emitter.emit(*node);
    if (node->kind != OpKind::GradGroup && node->kind != OpKind::ScanGroup)
      emitted.shapes[node] = shapeOf(emitter.valueOf(node));
  }

  emitted.indexSites = emitter.takeIndexSites();
  emitted.argumentIndexChecks = emitter.takeArgumentIndexChecks();
  emitted.minLength = emitter.minLength();
  llvm::SmallVector<mlir::Value> results;
  for (Node *out : outputs)
    results.push_back(emitter.valueOf(out));
  func.setType(builder.getFunctionType(argTypes, mlir::ValueRange(results).getTypes()));
  mlir::func::ReturnOp::create(builder, builder.getUnknownLoc(), results);

  runtime::DiagnosticCollector diagnostics(ctx);
  if (mlir::failed(mlir::verify(*emitted.module)))
    throw CompileError("Theon emitted invalid IR (a Theon bug):\n" + diagnostics.messages);
  return emitted;
}

void markInPlaceUpdates(mlir::ModuleOp module, const std::vector<InPlaceUpdate> &inPlace) {
  auto func = *module.getOps<mlir::func::FuncOp>().begin();
  mlir::Builder builder(module.getContext());
  for (auto [arg, result] : inPlace)
    func.setArgAttr(static_cast<unsigned>(arg), mlir::theon::TheonDialect::kUpdateResultAttrName,
                    builder.getI64IntegerAttr(static_cast<std::int64_t>(result)));
}

std::vector<Shape> inferShapes(const std::vector<Node *> &args, const std::vector<Shape> &argShapes,
                               const std::vector<Node *> &outputs) {
  auto ctx = runtime::makeContext();
  EmittedFunction emitted = emitFunction(*ctx, "shapes", args, argShapes, outputs);
  std::vector<Shape> shapes;
  for (Node *out : outputs)
    shapes.push_back(emitted.shapeOf(out));
  return shapes;
}

} // namespace theon::detail
