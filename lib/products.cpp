// Products beyond 1-d and 2-d: NumPy's dot and matmul for any rank,
// tensordot and Theano's batched_dot. Each is a composition that ends in one
// theon.dot (OpenBLAS): operands are transposed and reshaped into matrices,
// or batches of matrices, once shapes are known (a Deferred node).
#include <algorithm>

#include "lib/tensor_impl.h"
#include "theon/error.h"

namespace theon {
using namespace detail;

namespace {

DType productType(const Node &a, const Node &b) {
  DType t = promote_types(a.dtype, b.dtype);
  return t == DType::Bool ? DType::Int8 : t;
}

std::vector<int> freeAxes(int ndim, const std::vector<int> &contracted) {
  std::vector<int> free;
  for (int d = 0; d < ndim; ++d)
    if (std::find(contracted.begin(), contracted.end(), d) == contracted.end())
      free.push_back(d);
  return free;
}

/// a (B, n, m) times b (B, m, k): one theon.dot of rank-3 operands, a loop
/// of OpenBLAS products once lowered.
Variable batchProduct(const Variable &a, const Variable &b) {
  return wrap(makeNode(OpKind::Dot, {a.node(), b.node()}, a.dtype(), {false, false, false}));
}

} // namespace

namespace tensor {

Variable tensordot(const Variable &a, const Variable &b, const std::vector<int> &axesA,
                   const std::vector<int> &axesB) {
  const NodePtr &na = nodeOf(a, "tensordot"), &nb = nodeOf(b, "tensordot");
  if (axesA.size() != axesB.size())
    throw ValueError("tensordot: " + std::to_string(axesA.size()) + " axes of " + na->describe() +
                     " but " + std::to_string(axesB.size()) + " of " + nb->describe());
  std::vector<int> ca = normalizeAxes(axesA, *na, "tensordot"), cb = normalizeAxes(axesB, *nb, "tensordot");
  std::vector<int> fa = freeAxes(na->ndim(), ca), fb = freeAxes(nb->ndim(), cb);
  DType t = productType(*na, *nb);
  std::vector<bool> flags;
  for (int d : fa)
    flags.push_back(na->broadcastable[static_cast<std::size_t>(d)]);
  for (int d : fb)
    flags.push_back(nb->broadcastable[static_cast<std::size_t>(d)]);
  Variable x = cast(a, t), y = cast(b, t);
  return wrap(makeDeferred("tensordot", {na, nb}, t, flags, [=](const DeferredContext &c) {
    Shape sa = c.shapeOf(x), sb = c.shapeOf(y);
    for (std::size_t i = 0; i < ca.size(); ++i)
      if (sa[static_cast<std::size_t>(ca[i])] != sb[static_cast<std::size_t>(cb[i])])
        throw ShapeError("tensordot: axis " + std::to_string(ca[i]) + " of " + na->describe() +
                         " has size " + std::to_string(sa[static_cast<std::size_t>(ca[i])]) +
                         " but axis " + std::to_string(cb[i]) + " of " + nb->describe() +
                         " has size " + std::to_string(sb[static_cast<std::size_t>(cb[i])]) +
                         " (shapes " + shape_to_string(sa) + " and " + shape_to_string(sb) + ")");
    Shape out;
    std::int64_t m = 1, n = 1, k = 1;
    for (int d : fa) {
      out.push_back(sa[static_cast<std::size_t>(d)]);
      m *= sa[static_cast<std::size_t>(d)];
    }
    for (int d : fb) {
      out.push_back(sb[static_cast<std::size_t>(d)]);
      n *= sb[static_cast<std::size_t>(d)];
    }
    for (int d : ca)
      k *= sa[static_cast<std::size_t>(d)];
    std::vector<int> permA = fa, permB = cb;
    permA.insert(permA.end(), ca.begin(), ca.end());
    permB.insert(permB.end(), fb.begin(), fb.end());
    Variable a2 = reshapeStatic(transpose(x, permA), {m, k});
    Variable b2 = reshapeStatic(transpose(y, permB), {k, n});
    return reshapeStatic(dot(a2, b2), out);
  }));
}

Variable tensordot(const Variable &a, const Variable &b, int axes) {
  const NodePtr &na = nodeOf(a, "tensordot"), &nb = nodeOf(b, "tensordot");
  if (axes < 0 || axes > na->ndim() || axes > nb->ndim())
    throw ValueError("tensordot: cannot contract " + std::to_string(axes) + " axes of " +
                     na->describe() + " (" + std::to_string(na->ndim()) + "-d) and " +
                     nb->describe() + " (" + std::to_string(nb->ndim()) + "-d)");
  std::vector<int> axesA, axesB;
  for (int i = 0; i < axes; ++i) {
    axesA.push_back(na->ndim() - axes + i);
    axesB.push_back(i);
  }
  return tensordot(a, b, axesA, axesB);
}

Variable matmul(const Variable &a, const Variable &b) {
  const NodePtr &na = nodeOf(a, "matmul"), &nb = nodeOf(b, "matmul");
  if (na->ndim() == 0 || nb->ndim() == 0)
    throw ValueError("matmul: operands must be at least 1-d, got " + a.type_string() + " and " +
                     b.type_string() + " (use * for scalars)");
  if (na->ndim() <= 2 && nb->ndim() <= 2)
    return dot(a, b);
  // NumPy: a vector operand is a matrix with a 1 prepended (a) or appended
  // (b), removed from the result.
  bool vecA = na->ndim() == 1, vecB = nb->ndim() == 1;
  int batchRank = std::max(na->ndim() - 2, nb->ndim() - 2);
  int rank = batchRank + (vecA ? 0 : 1) + (vecB ? 0 : 1);
  DType t = productType(*na, *nb);
  Variable x = cast(a, t), y = cast(b, t);
  return wrap(makeDeferred(
      "matmul", {na, nb}, t, std::vector<bool>(static_cast<std::size_t>(rank), false),
      [=](const DeferredContext &c) {
        Shape sa = c.shapeOf(x), sb = c.shapeOf(y);
        if (vecA)
          sa.insert(sa.begin(), 1);
        if (vecB)
          sb.push_back(1);
        Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
        std::size_t nbatch = static_cast<std::size_t>(batchRank);
        batchA.insert(batchA.begin(), nbatch - batchA.size(), 1);
        batchB.insert(batchB.begin(), nbatch - batchB.size(), 1);
        Shape batch(nbatch);
        for (std::size_t i = 0; i < nbatch; ++i) {
          if (batchA[i] != batchB[i] && batchA[i] != 1 && batchB[i] != 1)
            throw ShapeError("matmul: batch shapes of " + na->describe() + " " +
                             shape_to_string(c.shapeOf(x)) + " and " + nb->describe() + " " +
                             shape_to_string(c.shapeOf(y)) + " do not broadcast");
          batch[i] = batchA[i] == 1 ? batchB[i] : batchA[i];
        }
        std::int64_t n = sa[sa.size() - 2], m = sa.back(), m2 = sb[sb.size() - 2], k = sb.back();
        if (m != m2)
          throw ShapeError("matmul: " + na->describe() + " " + shape_to_string(c.shapeOf(x)) +
                           " and " + nb->describe() + " " + shape_to_string(c.shapeOf(y)) +
                           " do not match: " + std::to_string(m) + " != " + std::to_string(m2));
        std::int64_t count = numElements(batch);
        Shape fullA = batch, fullB = batch;
        fullA.insert(fullA.end(), {n, m});
        fullB.insert(fullB.end(), {m, k});
        Variable a3 = reshapeStatic(broadcastToStatic(reshapeStatic(x, sa), fullA), {count, n, m});
        Variable b3 = reshapeStatic(broadcastToStatic(reshapeStatic(y, sb), fullB), {count, m, k});
        Shape out = batch;
        if (!vecA)
          out.push_back(n);
        if (!vecB)
          out.push_back(k);
        return reshapeStatic(batchProduct(a3, b3), out);
      }));
}

Variable batched_dot(const Variable &a, const Variable &b) {
  const NodePtr &na = nodeOf(a, "batched_dot"), &nb = nodeOf(b, "batched_dot");
  int ra = na->ndim(), rb = nb->ndim();
  if (ra == 2 && rb == 2)
    return sum(a * b, 1);
  if (ra == 3 && rb == 3)
    return matmul(a, b);
  if (ra == 3 && rb == 2)
    return matmul(a, b.dimshuffle(0, 1, 'x'))(_, _, 0);
  if (ra == 2 && rb == 3)
    return matmul(a.dimshuffle(0, 'x', 1), b)(_, 0);
  throw TypeError("batched_dot: takes 2-d or 3-d operands with the batch first, got " +
                  a.type_string() + " and " + b.type_string());
}

} // namespace tensor
} // namespace theon
