// sort and argsort as compositions: each element's rank is the number of
// elements that sort before it (a stable order, NaN last as in NumPy), and
// the sorted values are gathered by rank. O(n^2) work along the sorted axis,
// fused into reductions: meant for the short axes of everyday programs.
#include "lib/tensor_impl.h"
#include "theon/error.h"

namespace theon {
using namespace detail;

namespace {

/// For x with the sorted axis last: onehot[..., i, p] is true when element
/// i goes to position p.
Variable positions(const Variable &x, std::int64_t n) {
  namespace T = theon::tensor;
  int nd = x.ndim();
  std::vector<Dim> asI, asJ; // (..., i, 1) and (..., 1, j)
  for (int d = 0; d < nd; ++d) {
    asI.push_back(Dim(d));
    asJ.push_back(Dim(d));
  }
  asI.push_back(Dim('x'));
  asJ.insert(asJ.end() - 1, Dim('x'));
  Variable xi = x.dimshuffle(asI), xj = x.dimshuffle(asJ);
  Variable index = T::arange(n);
  Variable i = index.dimshuffle(0, 'x'), j = index.dimshuffle('x', 0);
  // j sorts before i: smaller, or equal (both NaN) and earlier; NaN last.
  Variable before = T::lt(xj, xi);
  Variable tie = T::eq(xj, xi);
  if (is_float(x.dtype())) {
    Variable nanI = T::isnan(xi), nanJ = T::isnan(xj);
    before = T::bitwise_or(before, T::bitwise_and(nanI, T::invert(nanJ)));
    tie = T::bitwise_or(tie, T::bitwise_and(nanI, nanJ));
  }
  before = T::bitwise_or(before, T::bitwise_and(tie, T::lt(j, i)));
  Variable rank = T::sum(T::cast(before, DType::Int64), nd); // (..., i)
  return T::eq(rank.dimshuffle([&] {
                 std::vector<Dim> p;
                 for (int d = 0; d < nd; ++d)
                   p.push_back(Dim(d));
                 p.push_back(Dim('x'));
                 return p;
               }()),
               index); // (..., i, p)
}

Variable sorted(const Variable &x, std::optional<int> axis, bool indices, const char *op) {
  const NodePtr &n = nodeOf(x, op);
  if (!axis)
    return sorted(tensor::flatten(x), 0, indices, op);
  if (n->ndim() == 0)
    throw ValueError(std::string(op) + ": cannot sort " + n->describe() + ", which is 0-d");
  int a = normalizeAxis(*axis, n->ndim(), op, *n), last = n->ndim() - 1;
  DType t = indices ? DType::Int64 : n->dtype;
  return wrap(makeDeferred(op, {n}, t, n->broadcastable, [=](const DeferredContext &c) {
    namespace T = theon::tensor;
    std::int64_t size = c.shapeOf(x)[static_cast<std::size_t>(a)];
    Variable xt = a == last ? x : T::swapaxes(x, a, last);
    Variable onehot = positions(xt, size); // (..., i, p)
    int i = xt.ndim() - 1;
    Variable r;
    if (indices) {
      Variable index = T::arange(size).dimshuffle(0, 'x');
      r = T::sum(T::switch_(onehot, index, T::constant(0, DType::Int64)), i);
    } else {
      std::vector<Dim> asI;
      for (int d = 0; d < xt.ndim(); ++d)
        asI.push_back(Dim(d));
      asI.push_back(Dim('x'));
      r = T::sum(T::switch_(onehot, xt.dimshuffle(asI), T::constant(0, x.dtype())), i);
      r = T::cast(r, x.dtype());
    }
    return a == last ? r : T::swapaxes(r, a, last);
  }));
}

} // namespace

namespace tensor {
Variable sort(const Variable &x, std::optional<int> axis) { return sorted(x, axis, false, "sort"); }
Variable argsort(const Variable &x, std::optional<int> axis) {
  return sorted(x, axis, true, "argsort");
}
} // namespace tensor
} // namespace theon
