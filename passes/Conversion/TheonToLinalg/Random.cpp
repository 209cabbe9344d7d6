//===- Random.cpp - theon.random to linalg -------------------------------===//
//
// Each element is computed from its own position by Philox4x32-10, inside
// the generic's body: no host call and no sequential state, so the numbers
// are the same for any loop order, thread count or fusion, and the draw
// fuses into its consumers like any elementwise op.
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::theon;

namespace {

// Philox4x32's multipliers and Weyl key increments (Random123's constants).
constexpr uint32_t kMultiplier0 = 0xD2511F53u, kMultiplier1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr int kRounds = 10;

Value i32Constant(OpBuilder &b, Location l, uint32_t v) {
  return arith::ConstantIntOp::create(b, l, b.getI32Type(), static_cast<int32_t>(v));
}

/// The low and high 32-bit words of an i64.
std::pair<Value, Value> split(OpBuilder &b, Location l, Value v64) {
  Value low = arith::TruncIOp::create(b, l, b.getI32Type(), v64);
  Value shift = arith::ConstantIntOp::create(b, l, b.getI64Type(), 32);
  Value high = arith::TruncIOp::create(b, l, b.getI32Type(),
                                       arith::ShRUIOp::create(b, l, v64, shift));
  return {low, high};
}

/// Philox4x32-10 of counter `c` and key (k0, k1): four random words.
std::array<Value, 4> philox(OpBuilder &b, Location l, std::array<Value, 4> c, Value k0, Value k1) {
  Value m0 = i32Constant(b, l, kMultiplier0), m1 = i32Constant(b, l, kMultiplier1);
  Value w0 = i32Constant(b, l, kWeyl0), w1 = i32Constant(b, l, kWeyl1);
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {
      k0 = arith::AddIOp::create(b, l, k0, w0);
      k1 = arith::AddIOp::create(b, l, k1, w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, l, m0, c[0]);
    auto p1 = arith::MulUIExtendedOp::create(b, l, m1, c[2]);
    Value x0 = arith::XOrIOp::create(b, l, arith::XOrIOp::create(b, l, p1.getHigh(), c[1]), k0);
    Value x2 = arith::XOrIOp::create(b, l, arith::XOrIOp::create(b, l, p0.getHigh(), c[3]), k1);
    c = {x0, p1.getLow(), x2, p0.getLow()};
  }
  return c;
}

/// A uniform number in [0, 1) of `type` from one word (f32: its top 24
/// bits; `second` unused) or two (f64: 53 bits); with `openAtZero`, in
/// (0, 1] instead.
Value uniformFrom(OpBuilder &b, Location l, FloatType type, Value first, Value second,
                  bool openAtZero) {
  Value bits;
  int precision;
  if (type.isF32()) {
    precision = 24;
    bits = arith::ShRUIOp::create(b, l, first, i32Constant(b, l, 8));
  } else {
    precision = 53;
    Value hi = arith::ExtUIOp::create(b, l, b.getI64Type(), first);
    Value lo = arith::ExtUIOp::create(b, l, b.getI64Type(), second);
    Value c32 = arith::ConstantIntOp::create(b, l, b.getI64Type(), 32);
    Value c11 = arith::ConstantIntOp::create(b, l, b.getI64Type(), 11);
    bits = arith::ShRUIOp::create(
        b, l, arith::OrIOp::create(b, l, arith::ShLIOp::create(b, l, hi, c32), lo), c11);
  }
  Value x = arith::UIToFPOp::create(b, l, type, bits); // exact: fewer bits than the mantissa
  if (openAtZero)
    x = arith::AddFOp::create(b, l, x, arith::ConstantOp::create(b, l, b.getFloatAttr(type, 1.0)));
  Value scale = arith::ConstantOp::create(b, l, b.getFloatAttr(type, std::ldexp(1.0, -precision)));
  return arith::MulFOp::create(b, l, x, scale);
}

struct RandomLowering : OpRewritePattern<RandomOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RandomOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto floatType = cast<FloatType>(type.getElementType());
    Value state = op.getState();
    Value key = tensor::ExtractOp::create(rewriter, loc, state,
                                          ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 0)});
    Value counter = tensor::ExtractOp::create(
        rewriter, loc, state, ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 1)});
    bool normal = op.getDistribution() == Distribution::normal;
    ArrayRef<int64_t> shape = type.getShape();
    rewriter.replaceOp(
        op, buildParallel(
                rewriter, loc, type, ValueRange{}, {},
                [&](OpBuilder &b, Location l, ValueRange) -> Value {
                  // The row-major position of the element.
                  Value position = arith::ConstantIndexOp::create(b, l, 0);
                  for (int64_t d = 0; d < type.getRank(); ++d) {
                    Value size = arith::ConstantIndexOp::create(b, l, shape[d]);
                    position = arith::AddIOp::create(
                        b, l, arith::MulIOp::create(b, l, position, size),
                        linalg::IndexOp::create(b, l, d));
                  }
                  Value position64 = arith::IndexCastUIOp::create(b, l, b.getI64Type(), position);
                  auto [p0, p1] = split(b, l, position64);
                  auto [c0, c1] = split(b, l, counter);
                  auto [k0, k1] = split(b, l, key);
                  std::array<Value, 4> words = philox(b, l, {p0, p1, c0, c1}, k0, k1);
                  if (!normal)
                    return uniformFrom(b, l, floatType, words[0], words[1], false);
                  // Box-Muller: sqrt(-2 log u1) cos(2 pi u2), u1 in (0, 1].
                  bool wide = floatType.isF64();
                  Value u1 = uniformFrom(b, l, floatType, words[0], words[1], true);
                  Value u2 = uniformFrom(b, l, floatType, wide ? words[2] : words[1], words[3],
                                         false);
                  auto constant = [&](double v) {
                    return arith::ConstantOp::create(b, l, b.getFloatAttr(floatType, v));
                  };
                  Value radius = math::SqrtOp::create(
                      b, l, arith::MulFOp::create(b, l, constant(-2.0), math::LogOp::create(b, l, u1)));
                  Value angle = arith::MulFOp::create(b, l, constant(2 * M_PI), u2);
                  return arith::MulFOp::create(b, l, radius, math::CosOp::create(b, l, angle));
                }));
    return success();
  }
};

} // namespace

void theon::populateTheonRandomToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<RandomLowering>(patterns.getContext());
}
