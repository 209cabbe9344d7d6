// Randomized differential test: random programs over indexing (basic,
// advanced, boolean masks), set/inc_subtensor, concatenate, reductions,
// products (dot, batched matmul), cumsum/cumprod, sort, roll, repeat, shape
// ops and elementwise math, run by Theon and by a float64 reference
// interpreter written here with plain loops. Values are compared with the
// reference, gradients with central differences of the reference.
//
// THEON_DIFFERENTIAL_CASES (default 300) and THEON_DIFFERENTIAL_SEED choose
// the cases; the CTest label `differential` runs 3000 (differential-long).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <sstream>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using theon::Variable;
using theon_test::NumElements;
using theon_test::Ravel;
using theon_test::Unravel;

namespace {

/// A float64 array for the reference.
struct Nd {
  Shape shape;
  std::vector<double> v;
  double &at(const std::vector<std::int64_t> &idx) { return v[static_cast<std::size_t>(Ravel(idx, shape))]; }
  double at(const std::vector<std::int64_t> &idx) const {
    return v[static_cast<std::size_t>(Ravel(idx, shape))];
  }
};

Nd Zeros(const Shape &s) { return {s, std::vector<double>(static_cast<std::size_t>(NumElements(s)), 0.0)}; }

enum class Op {
  Input, Unary, Binary, Reduce, Slice, Take, Take2, SetSlice, IncSlice, SetTake, IncTake,
  Concat, Transpose, Reshape, Dot, Cumsum, Cumprod, Matmul, Sort, MaskSet, Roll, Repeat
};

/// One item of a basic index: an integer, or a slice (start, stop, step)
/// with `hasStart`/`hasStop` false for an omitted bound.
struct Item {
  bool integer = false;
  std::int64_t i = 0, start = 0, stop = 0, step = 1;
  bool hasStart = false, hasStop = false;
};

struct Step {
  Op op;
  std::vector<int> in;     // operand steps
  int kind = 0;            // unary/binary/reduce function; keepdims for Reduce
  std::vector<int> axes;   // reduce axes, transpose perm, take/concat/cumsum axis
  std::vector<Item> items; // Slice / SetSlice / IncSlice
  std::vector<std::int64_t> idx, idx2; // Take indices
  Shape shape;             // the result's (and Reshape's target)
};

// ---- the reference -------------------------------------------------------

double Unary(int kind, double x) {
  switch (kind) {
  case 0: return std::tanh(x);
  case 1: return std::sin(x);
  case 2: return 1 / (1 + std::exp(-x));
  case 3: return -x;
  default: return x * x;
  }
}
double Binary(int kind, double a, double b) {
  switch (kind) {
  case 0: return a + b;
  case 1: return a - b;
  case 2: return a * b;
  case 3: return std::max(a, b);
  default: return a / (1 + b * b);
  }
}

Shape Broadcast(const Shape &a, const Shape &b) { return theon_test::BroadcastShape(a, b); }

/// Python's slice.indices for one axis: the positions it selects.
std::vector<std::int64_t> Positions(const Item &it, std::int64_t n) {
  std::int64_t step = it.step;
  std::int64_t start, stop;
  auto clamp = [&](std::int64_t v, bool forward) {
    if (v < 0)
      v += n;
    if (forward)
      return std::min(std::max<std::int64_t>(v, 0), n);
    return std::min(std::max<std::int64_t>(v, -1), n - 1);
  };
  if (step > 0) {
    start = it.hasStart ? clamp(it.start, true) : 0;
    stop = it.hasStop ? clamp(it.stop, true) : n;
  } else {
    start = it.hasStart ? clamp(it.start, false) : n - 1;
    stop = it.hasStop ? clamp(it.stop, false) : -1;
  }
  std::vector<std::int64_t> out;
  for (std::int64_t p = start; step > 0 ? p < stop : p > stop; p += step)
    out.push_back(p);
  return out;
}

/// For a basic index of x: per kept axis the x positions, and per x axis
/// either a fixed integer or the result axis it maps to.
struct SliceMap {
  std::vector<std::vector<std::int64_t>> positions; // one per x axis (integers: one)
  std::vector<bool> dropped;
  Shape shape;
};
SliceMap MapSlice(const std::vector<Item> &items, const Shape &x) {
  SliceMap m;
  for (std::size_t d = 0; d < x.size(); ++d) {
    Item it = d < items.size() ? items[d] : Item{};
    if (it.integer) {
      m.positions.push_back({it.i < 0 ? it.i + x[d] : it.i});
      m.dropped.push_back(true);
    } else {
      m.positions.push_back(Positions(it, x[d]));
      m.dropped.push_back(false);
      m.shape.push_back(static_cast<std::int64_t>(m.positions.back().size()));
    }
  }
  return m;
}
/// The x index of slice element `r` (an index into m.shape).
std::vector<std::int64_t> SliceSource(const SliceMap &m, const std::vector<std::int64_t> &r) {
  std::vector<std::int64_t> x;
  std::size_t k = 0;
  for (std::size_t d = 0; d < m.positions.size(); ++d)
    x.push_back(m.dropped[d] ? m.positions[d][0] : m.positions[d][static_cast<std::size_t>(r[k++])]);
  return x;
}

std::int64_t Wrap(std::int64_t i, std::int64_t n) { return i < 0 ? i + n : i; }

std::vector<Nd> Reference(const std::vector<Step> &prog, const std::vector<Nd> &inputs) {
  std::vector<Nd> val;
  int nextInput = 0;
  for (const Step &s : prog) {
    Nd out = Zeros(s.shape);
    auto a = [&](int k) -> const Nd & { return val[static_cast<std::size_t>(s.in[static_cast<std::size_t>(k)])]; };
    std::int64_t count = NumElements(s.shape);
    switch (s.op) {
    case Op::Input:
      out = inputs[static_cast<std::size_t>(nextInput++)];
      break;
    case Op::Unary:
      for (std::size_t i = 0; i < out.v.size(); ++i)
        out.v[i] = Unary(s.kind, a(0).v[i]);
      break;
    case Op::Binary:
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        out.v[static_cast<std::size_t>(f)] =
            Binary(s.kind, a(0).v[static_cast<std::size_t>(theon_test::BroadcastFlat(idx, a(0).shape))],
                   a(1).v[static_cast<std::size_t>(theon_test::BroadcastFlat(idx, a(1).shape))]);
      }
      break;
    case Op::Reduce: {
      const Nd &x = a(0);
      int fn = s.kind % 3;
      bool keep = s.kind >= 3;
      std::vector<double> acc(out.v.size(), fn == 2 ? -INFINITY : 0.0);
      std::vector<std::int64_t> n(out.v.size(), 0);
      for (std::int64_t f = 0; f < NumElements(x.shape); ++f) {
        auto idx = Unravel(f, x.shape);
        std::vector<std::int64_t> o;
        for (std::size_t d = 0; d < idx.size(); ++d) {
          bool reduced = std::find(s.axes.begin(), s.axes.end(), static_cast<int>(d)) != s.axes.end();
          if (!reduced)
            o.push_back(idx[d]);
          else if (keep)
            o.push_back(0);
        }
        auto k = static_cast<std::size_t>(Ravel(o, s.shape));
        double v = x.v[static_cast<std::size_t>(f)];
        acc[k] = fn == 2 ? std::max(acc[k], v) : acc[k] + v;
        ++n[k];
      }
      for (std::size_t k = 0; k < acc.size(); ++k)
        out.v[k] = fn == 1 ? acc[k] / static_cast<double>(n[k]) : acc[k];
      break;
    }
    case Op::Slice: {
      SliceMap m = MapSlice(s.items, a(0).shape);
      for (std::int64_t f = 0; f < count; ++f)
        out.v[static_cast<std::size_t>(f)] = a(0).at(SliceSource(m, Unravel(f, s.shape)));
      break;
    }
    case Op::SetSlice:
    case Op::IncSlice: {
      out = a(0);
      SliceMap m = MapSlice(s.items, a(0).shape);
      for (std::int64_t f = 0; f < NumElements(m.shape); ++f) {
        auto r = Unravel(f, m.shape);
        double v = a(1).v[static_cast<std::size_t>(theon_test::BroadcastFlat(r, a(1).shape))];
        double &t = out.at(SliceSource(m, r));
        t = s.op == Op::SetSlice ? v : t + v;
      }
      break;
    }
    case Op::Take:
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        auto axis = static_cast<std::size_t>(s.axes[0]);
        idx[axis] = Wrap(s.idx[static_cast<std::size_t>(idx[axis])], a(0).shape[axis]);
        out.v[static_cast<std::size_t>(f)] = a(0).at(idx);
      }
      break;
    case Op::Take2: // x[i, j, ...] on the first two axes
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        auto k = static_cast<std::size_t>(idx[0]);
        std::vector<std::int64_t> src{Wrap(s.idx[k], a(0).shape[0]), Wrap(s.idx2[k], a(0).shape[1])};
        src.insert(src.end(), idx.begin() + 1, idx.end());
        out.v[static_cast<std::size_t>(f)] = a(0).at(src);
      }
      break;
    case Op::SetTake:
    case Op::IncTake: {
      out = a(0);
      auto axis = static_cast<std::size_t>(s.axes[0]);
      Shape region = a(0).shape;
      region[axis] = static_cast<std::int64_t>(s.idx.size());
      for (std::size_t j = 0; j < s.idx.size(); ++j) // in order: the last write wins
        for (std::int64_t f = 0; f < NumElements(region); ++f) {
          auto r = Unravel(f, region);
          if (r[axis] != static_cast<std::int64_t>(j))
            continue;
          double v = a(1).v[static_cast<std::size_t>(theon_test::BroadcastFlat(r, a(1).shape))];
          auto t = r;
          t[axis] = Wrap(s.idx[j], a(0).shape[axis]);
          out.at(t) = s.op == Op::SetTake ? v : out.at(t) + v;
        }
      break;
    }
    case Op::Concat: {
      auto axis = static_cast<std::size_t>(s.axes[0]);
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        int k = 0;
        while (idx[axis] >= a(k).shape[axis]) {
          idx[axis] -= a(k).shape[axis];
          ++k;
        }
        out.v[static_cast<std::size_t>(f)] = a(k).at(idx);
      }
      break;
    }
    case Op::Transpose:
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        std::vector<std::int64_t> src(idx.size());
        for (std::size_t d = 0; d < idx.size(); ++d)
          src[static_cast<std::size_t>(s.axes[d])] = idx[d];
        out.v[static_cast<std::size_t>(f)] = a(0).at(src);
      }
      break;
    case Op::Reshape:
      out.v = a(0).v;
      break;
    case Op::Dot: {
      std::int64_t n = a(0).shape[0], k = a(0).shape[1], m = a(1).shape[1];
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < m; ++j) {
          double acc = 0;
          for (std::int64_t t = 0; t < k; ++t)
            acc += a(0).v[static_cast<std::size_t>(i * k + t)] * a(1).v[static_cast<std::size_t>(t * m + j)];
          out.v[static_cast<std::size_t>(i * m + j)] = acc;
        }
      break;
    }
    case Op::Cumsum:
    case Op::Cumprod: {
      auto axis = static_cast<std::size_t>(s.axes[0]);
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        double acc = s.op == Op::Cumsum ? 0 : 1;
        auto src = idx;
        for (std::int64_t p = 0; p <= idx[axis]; ++p) {
          src[axis] = p;
          acc = s.op == Op::Cumsum ? acc + a(0).at(src) : acc * a(0).at(src);
        }
        out.v[static_cast<std::size_t>(f)] = acc;
      }
      break;
    }
    case Op::Matmul: // (B, n, m) x (B or 1, m, k)
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        std::int64_t m = a(0).shape[2];
        double acc = 0;
        for (std::int64_t t = 0; t < m; ++t)
          acc += a(0).at({idx[0], idx[1], t}) * a(1).at({a(1).shape[0] == 1 ? 0 : idx[0], t, idx[2]});
        out.v[static_cast<std::size_t>(f)] = acc;
      }
      break;
    case Op::Sort: {
      auto axis = static_cast<std::size_t>(s.axes[0]);
      out = a(0);
      Shape lines = s.shape;
      lines[axis] = 1;
      for (std::int64_t f = 0; f < NumElements(lines); ++f) {
        auto idx = Unravel(f, lines);
        std::vector<double> line;
        for (std::int64_t p = 0; p < s.shape[axis]; ++p) {
          idx[axis] = p;
          line.push_back(a(0).at(idx));
        }
        std::stable_sort(line.begin(), line.end());
        for (std::int64_t p = 0; p < s.shape[axis]; ++p) {
          idx[axis] = p;
          out.at(idx) = line[static_cast<std::size_t>(p)];
        }
      }
      break;
    }
    case Op::MaskSet: // x with its elements above 0.2 set to a scalar
      for (std::int64_t f = 0; f < count; ++f) {
        double x = a(0).v[static_cast<std::size_t>(f)];
        out.v[static_cast<std::size_t>(f)] = x > 0.2 ? a(1).v[0] : x;
      }
      break;
    case Op::Roll:
    case Op::Repeat: {
      auto axis = static_cast<std::size_t>(s.axes[0]);
      std::int64_t n = a(0).shape[axis];
      for (std::int64_t f = 0; f < count; ++f) {
        auto idx = Unravel(f, s.shape);
        if (s.op == Op::Roll)
          idx[axis] = ((idx[axis] - s.kind) % n + n) % n;
        else
          idx[axis] /= s.kind;
        out.v[static_cast<std::size_t>(f)] = a(0).at(idx);
      }
      break;
    }
    }
    val.push_back(out);
  }
  return val;
}

// ---- Theon ----------------------------------------------------------------

theon::Index ToIndex(const Item &it) {
  if (it.integer)
    return theon::Index(it.i);
  return T::slice(it.hasStart ? std::optional<std::int64_t>(it.start) : std::nullopt,
                  it.hasStop ? std::optional<std::int64_t>(it.stop) : std::nullopt, it.step);
}

Variable LongConstant(const std::vector<std::int64_t> &v) {
  return T::constant(Array::from_vector(v, {static_cast<std::int64_t>(v.size())}));
}

Variable Build(const std::vector<Step> &prog, std::vector<Variable> &inputs, DType dtype) {
  std::vector<Variable> val;
  for (const Step &s : prog) {
    auto a = [&](int k) { return val[static_cast<std::size_t>(s.in[static_cast<std::size_t>(k)])]; };
    Variable out;
    auto along = [&](int axis, const Variable &idx) {
      std::vector<theon::Index> items(static_cast<std::size_t>(axis), T::_);
      items.push_back(idx);
      return items;
    };
    switch (s.op) {
    case Op::Input:
      out = T::tensor(dtype, static_cast<int>(s.shape.size()), "in" + std::to_string(inputs.size()));
      inputs.push_back(out);
      break;
    case Op::Unary: {
      Variable x = a(0);
      Variable fns[] = {T::tanh(x), T::sin(x), T::sigmoid(x), -x, T::sqr(x)};
      out = fns[s.kind];
      break;
    }
    case Op::Binary: {
      Variable x = a(0), y = a(1);
      switch (s.kind) {
      case 0: out = x + y; break;
      case 1: out = x - y; break;
      case 2: out = x * y; break;
      case 3: out = T::maximum(x, y); break;
      default: out = x / (1.0 + y * y); break;
      }
      break;
    }
    case Op::Reduce: {
      theon::Axis axes(std::vector<int>(s.axes.begin(), s.axes.end()));
      bool keep = s.kind >= 3;
      int fn = s.kind % 3;
      out = fn == 0 ? T::sum(a(0), axes, keep) : fn == 1 ? T::mean(a(0), axes, keep)
                                                         : T::max(a(0), axes, keep);
      break;
    }
    case Op::Slice: {
      std::vector<theon::Index> items;
      for (const Item &it : s.items)
        items.push_back(ToIndex(it));
      out = a(0).subtensor(items);
      break;
    }
    case Op::SetSlice:
    case Op::IncSlice: {
      std::vector<theon::Index> items;
      for (const Item &it : s.items)
        items.push_back(ToIndex(it));
      out = s.op == Op::SetSlice ? T::set_subtensor(a(0).subtensor(items), a(1))
                                 : T::inc_subtensor(a(0).subtensor(items), a(1));
      break;
    }
    case Op::Take:
      out = a(0).subtensor(along(s.axes[0], LongConstant(s.idx)));
      break;
    case Op::Take2:
      out = a(0)(LongConstant(s.idx), LongConstant(s.idx2));
      break;
    case Op::SetTake:
    case Op::IncTake: {
      Variable view = a(0).subtensor(along(s.axes[0], LongConstant(s.idx)));
      out = s.op == Op::SetTake ? T::set_subtensor(view, a(1)) : T::inc_subtensor(view, a(1));
      break;
    }
    case Op::Concat: {
      std::vector<Variable> parts;
      for (std::size_t k = 0; k < s.in.size(); ++k)
        parts.push_back(a(static_cast<int>(k)));
      out = T::concatenate(parts, s.axes[0]);
      break;
    }
    case Op::Transpose:
      out = T::transpose(a(0), s.axes);
      break;
    case Op::Reshape:
      out = a(0).reshape(s.shape);
      break;
    case Op::Dot:
      out = T::dot(a(0), a(1));
      break;
    case Op::Cumsum:
      out = T::cumsum(a(0), s.axes[0]);
      break;
    case Op::Cumprod:
      out = a(0).cumprod(s.axes[0]);
      break;
    case Op::Matmul:
      out = T::matmul(a(0), a(1));
      break;
    case Op::Sort:
      out = T::sort(a(0), s.axes[0]);
      break;
    case Op::MaskSet:
      out = T::set_subtensor(a(0)[a(0) > 0.2], a(1));
      break;
    case Op::Roll:
      out = T::roll(a(0), s.kind, s.axes[0]);
      break;
    case Op::Repeat:
      out = T::repeat(a(0), s.kind, s.axes[0]);
      break;
    }
    val.push_back(out);
  }
  return val.back();
}

// ---- random programs --------------------------------------------------------

class Generator {
public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::vector<Step> program() {
    std::vector<Step> prog;
    addInput(prog, randomShape());
    int steps = pick(3, 8);
    for (int k = 0; k < steps; ++k)
      addStep(prog);
    return prog;
  }

  std::mt19937_64 &rng() { return rng_; }

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  Shape randomShape() {
    Shape s;
    for (int d = 0, r = pick(1, 3); d < r; ++d)
      s.push_back(pick(1, 4));
    return s;
  }
  int addInput(std::vector<Step> &prog, const Shape &s) {
    Step st{Op::Input, {}, 0, {}, {}, {}, {}, s};
    prog.push_back(st);
    ++inputs_;
    return static_cast<int>(prog.size()) - 1;
  }
  /// A value of shape `s`: an existing step with that shape, or a new input.
  int operandOfShape(std::vector<Step> &prog, const Shape &s, bool inputOnly = false) {
    std::vector<int> same;
    for (std::size_t i = 0; i < prog.size(); ++i)
      if (prog[i].shape == s && (!inputOnly || prog[i].op == Op::Input))
        same.push_back(static_cast<int>(i));
    if (!same.empty() && (inputs_ >= 4 || chance(0.6)))
      return same[static_cast<std::size_t>(pick(0, static_cast<int>(same.size()) - 1))];
    return addInput(prog, s);
  }
  Item randomItem(std::int64_t n) {
    Item it;
    if (chance(0.25)) {
      it.integer = true;
      it.i = pick(static_cast<int>(-n), static_cast<int>(n - 1));
      return it;
    }
    it.step = chance(0.3) ? (chance(0.5) ? -1 : (chance(0.5) ? 2 : -2)) : 1;
    it.hasStart = chance(0.6);
    it.hasStop = chance(0.6);
    it.start = pick(static_cast<int>(-n - 1), static_cast<int>(n));
    it.stop = pick(static_cast<int>(-n - 1), static_cast<int>(n + 1));
    return it;
  }
  std::vector<std::int64_t> randomIndices(std::int64_t n, bool distinct) {
    std::vector<std::int64_t> idx;
    int m = pick(1, static_cast<int>(distinct ? n : 4));
    std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
      perm[static_cast<std::size_t>(i)] = i;
    std::shuffle(perm.begin(), perm.end(), rng_);
    for (int j = 0; j < m; ++j) {
      std::int64_t i = distinct ? perm[static_cast<std::size_t>(j)] : pick(0, static_cast<int>(n - 1));
      idx.push_back(chance(0.3) ? i - n : i); // negative from the end
    }
    return idx;
  }

  void addStep(std::vector<Step> &prog) {
    int x = static_cast<int>(prog.size()) - 1; // chain on the latest value
    if (chance(0.3))
      x = pick(0, x);
    const Shape xs = prog[static_cast<std::size_t>(x)].shape;
    int rank = static_cast<int>(xs.size());
    Step s;
    s.in = {x};
    switch (pick(0, 19)) {
    case 0:
      s.op = Op::Unary;
      s.kind = pick(0, 4);
      s.shape = xs;
      break;
    case 1:
    case 2: {
      s.op = Op::Binary;
      s.kind = pick(0, 4);
      Shape ys = xs;
      // The other operand broadcasts: some axes 1, maybe fewer leading axes.
      for (auto &d : ys)
        if (chance(0.3))
          d = 1;
      if (!ys.empty() && chance(0.3))
        ys.erase(ys.begin());
      int y = operandOfShape(prog, ys);
      if (y == x && s.kind == 3)
        s.kind = 0; // maximum(x, x) ties everywhere
      s.in = {x, y};
      if (chance(0.5))
        std::swap(s.in[0], s.in[1]);
      s.shape = Broadcast(xs, ys);
      break;
    }
    case 3: {
      if (rank == 0)
        return addStep(prog);
      s.op = Op::Reduce;
      s.kind = pick(0, 5);
      for (int d = 0; d < rank; ++d)
        if (chance(0.5))
          s.axes.push_back(d);
      if (s.axes.empty())
        s.axes.push_back(pick(0, rank - 1));
      for (int d = 0; d < rank; ++d) {
        bool reduced = std::find(s.axes.begin(), s.axes.end(), d) != s.axes.end();
        if (!reduced)
          s.shape.push_back(xs[static_cast<std::size_t>(d)]);
        else if (s.kind >= 3)
          s.shape.push_back(1);
      }
      break;
    }
    case 4:
    case 5: {
      if (rank == 0)
        return addStep(prog);
      s.op = Op::Slice;
      for (int d = 0, n = pick(1, rank); d < n; ++d)
        s.items.push_back(randomItem(xs[static_cast<std::size_t>(d)]));
      s.shape = MapSlice(s.items, xs).shape;
      if (NumElements(s.shape) == 0)
        return addStep(prog);
      break;
    }
    case 6: {
      if (rank == 0)
        return addStep(prog);
      s.op = chance(0.5) ? Op::SetSlice : Op::IncSlice;
      for (int d = 0, n = pick(1, rank); d < n; ++d)
        s.items.push_back(randomItem(xs[static_cast<std::size_t>(d)]));
      Shape region = MapSlice(s.items, xs).shape;
      if (NumElements(region) == 0)
        return addStep(prog); // no empty values: they only test the generator
      Shape vs = region;
      if (!vs.empty() && chance(0.4))
        vs.erase(vs.begin());
      s.in.push_back(operandOfShape(prog, vs));
      s.shape = xs;
      break;
    }
    case 7: {
      if (rank == 0)
        return addStep(prog);
      s.op = Op::Take;
      s.axes = {pick(0, rank - 1)};
      s.idx = randomIndices(xs[static_cast<std::size_t>(s.axes[0])], false);
      s.shape = xs;
      s.shape[static_cast<std::size_t>(s.axes[0])] = static_cast<std::int64_t>(s.idx.size());
      break;
    }
    case 8: {
      if (rank < 2)
        return addStep(prog);
      s.op = Op::Take2;
      int m = pick(1, 4);
      for (int j = 0; j < m; ++j) {
        s.idx.push_back(pick(static_cast<int>(-xs[0]), static_cast<int>(xs[0] - 1)));
        s.idx2.push_back(pick(static_cast<int>(-xs[1]), static_cast<int>(xs[1] - 1)));
      }
      s.shape = {m};
      s.shape.insert(s.shape.end(), xs.begin() + 2, xs.end());
      break;
    }
    case 9: {
      if (rank == 0)
        return addStep(prog);
      // Repeats accumulate in inc; set gets distinct indices, whose order
      // is then irrelevant to the gradient too.
      s.op = chance(0.5) ? Op::SetTake : Op::IncTake;
      s.axes = {pick(0, rank - 1)};
      s.idx = randomIndices(xs[static_cast<std::size_t>(s.axes[0])], s.op == Op::SetTake);
      Shape region = xs;
      region[static_cast<std::size_t>(s.axes[0])] = static_cast<std::int64_t>(s.idx.size());
      Shape vs = region;
      if (chance(0.3))
        vs = {};
      s.in.push_back(operandOfShape(prog, vs));
      s.shape = xs;
      break;
    }
    case 10: {
      if (rank == 0)
        return addStep(prog);
      s.op = Op::Concat;
      int axis = pick(0, rank - 1);
      s.axes = {axis};
      Shape ys = xs;
      ys[static_cast<std::size_t>(axis)] = pick(1, 3);
      s.in.push_back(operandOfShape(prog, ys));
      s.shape = xs;
      s.shape[static_cast<std::size_t>(axis)] += ys[static_cast<std::size_t>(axis)];
      break;
    }
    case 11: {
      if (rank < 2)
        return addStep(prog);
      s.op = Op::Transpose;
      for (int d = 0; d < rank; ++d)
        s.axes.push_back(d);
      std::shuffle(s.axes.begin(), s.axes.end(), rng_);
      for (int d : s.axes)
        s.shape.push_back(xs[static_cast<std::size_t>(d)]);
      break;
    }
    case 12: {
      s.op = rank == 2 && chance(0.6) ? Op::Dot : Op::Reshape;
      if (s.op == Op::Dot) {
        Shape ys{xs[1], static_cast<std::int64_t>(pick(1, 4))};
        s.in.push_back(operandOfShape(prog, ys));
        s.shape = {xs[0], ys[1]};
      } else {
        std::int64_t n = NumElements(xs);
        s.shape = chance(0.5) || n == 1 ? Shape{n} : Shape{1, n};
      }
      break;
    }
    case 14:
    case 15: {
      if (rank == 0)
        return addStep(prog);
      s.op = chance(0.5) ? Op::Cumsum : Op::Cumprod;
      s.axes = {pick(0, rank - 1)};
      s.shape = xs;
      // cumprod's gradient divides by x, as Theano's (not finite where an
      // element is exactly 0, as x - x[i] is): its operand is an input.
      if (s.op == Op::Cumprod)
        s.in = {operandOfShape(prog, xs, /*inputOnly=*/true)};
      break;
    }
    case 16: {
      if (rank != 3)
        return addStep(prog);
      s.op = Op::Matmul;
      Shape ys{chance(0.3) ? 1 : xs[0], xs[2], static_cast<std::int64_t>(pick(1, 3))};
      s.in.push_back(operandOfShape(prog, ys));
      s.shape = {xs[0], xs[1], ys[2]};
      break;
    }
    case 17: {
      if (rank == 0)
        return addStep(prog);
      s.op = Op::Sort;
      s.axes = {pick(0, rank - 1)};
      s.shape = xs;
      break;
    }
    case 18: {
      s.op = Op::MaskSet;
      s.in.push_back(operandOfShape(prog, {}));
      s.shape = xs;
      break;
    }
    default: {
      if (rank == 0)
        return addStep(prog);
      s.op = chance(0.5) ? Op::Roll : Op::Repeat;
      s.axes = {pick(0, rank - 1)};
      s.shape = xs;
      if (s.op == Op::Roll) {
        s.kind = pick(-5, 5);
      } else {
        s.kind = pick(1, 3);
        s.shape[static_cast<std::size_t>(s.axes[0])] *= s.kind;
      }
      break;
    }
    }
    prog.push_back(s);
  }

  std::mt19937_64 rng_;
  int inputs_ = 0;
};

std::string Describe(const std::vector<Step> &prog) {
  static const char *names[] = {"input", "unary", "binary", "reduce", "slice", "take", "take2",
                                "set_slice", "inc_slice", "set_take", "inc_take", "concat",
                                "transpose", "reshape", "dot", "cumsum", "cumprod", "matmul",
                                "sort", "mask_set", "roll", "repeat"};
  std::ostringstream os;
  for (std::size_t i = 0; i < prog.size(); ++i) {
    const Step &s = prog[i];
    os << "  %" << i << " = " << names[static_cast<int>(s.op)] << "(";
    for (int k : s.in)
      os << "%" << k << " ";
    os << "kind " << s.kind << " axes";
    for (int a : s.axes)
      os << " " << a;
    for (const Item &it : s.items)
      os << (it.integer ? " [" + std::to_string(it.i) + "]"
                        : " [" + (it.hasStart ? std::to_string(it.start) : std::string()) + ":" +
                              (it.hasStop ? std::to_string(it.stop) : std::string()) + ":" +
                              std::to_string(it.step) + "]");
    if (!s.idx.empty()) {
      os << " idx";
      for (auto v : s.idx)
        os << " " << v;
    }
    os << ") -> " << theon::shape_to_string(s.shape) << "\n";
  }
  return os.str();
}

int EnvInt(const char *name, int fallback) {
  const char *v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

/// One case: Theon's value and gradients against the reference.
void RunCase(std::uint64_t seed, DType dtype) {
  Generator gen(seed);
  std::vector<Step> prog = gen.program();
  SCOPED_TRACE("seed " + std::to_string(seed) + " " + theon::dtype_name(dtype) + "\n" + Describe(prog));
  std::vector<Nd> inputs;
  std::uniform_real_distribution<double> value(-1, 1);
  for (const Step &s : prog)
    if (s.op == Op::Input) {
      Nd x = Zeros(s.shape);
      for (double &v : x.v)
        v = value(gen.rng());
      inputs.push_back(x);
    }
  Nd weights = Zeros(prog.back().shape);
  for (double &v : weights.v)
    v = value(gen.rng());

  std::vector<Variable> vars;
  Variable out = Build(prog, vars, dtype);
  Variable cost = T::sum(out * T::constant(Array::from_vector(weights.v, weights.shape).astype(dtype)));
  std::vector<Variable> outputs{out};
  for (const Variable &v : theon::grad(cost, vars, theon::GradOptions{"ignore"}))
    outputs.push_back(v);
  theon::Function f = theon::function(vars, outputs);
  std::vector<theon::Argument> args;
  for (const Nd &x : inputs)
    args.emplace_back(Array::from_vector(x.v, x.shape).astype(dtype));
  if (std::getenv("THEON_DIFFERENTIAL_VERBOSE"))
    std::fprintf(stderr, "%s\n", Describe(prog).c_str());
  std::vector<Array> got = f(args);

  bool f64 = dtype == DType::Float64;
  theon_test::Tol valueTol = f64 ? theon_test::Tol{1e-12, 1e-10} : theon_test::Tol{2e-5, 2e-4};
  Nd expected = Reference(prog, inputs).back();
  ASSERT_TRUE(theon_test::ArrayNear(got[0], dtype, expected.shape, expected.v, valueTol));

  // Gradients: central differences of the reference cost.
  auto costOf = [&](const std::vector<Nd> &in) {
    Nd r = Reference(prog, in).back();
    double c = 0;
    for (std::size_t i = 0; i < r.v.size(); ++i)
      c += r.v[i] * weights.v[i];
    return c;
  };
  const double h = 1e-6;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    std::vector<double> fd;
    for (std::size_t i = 0; i < inputs[k].v.size(); ++i) {
      std::vector<Nd> plus = inputs, minus = inputs;
      plus[k].v[i] += h;
      minus[k].v[i] -= h;
      fd.push_back((costOf(plus) - costOf(minus)) / (2 * h));
    }
    double scale = 1;
    for (double g : fd)
      scale = std::max(scale, std::fabs(g));
    theon_test::Tol gradTol = f64 ? theon_test::Tol{1e-6 * scale, 1e-6}
                                  : theon_test::Tol{2e-4 * scale, 2e-3};
    EXPECT_TRUE(theon_test::ArrayNear(got[k + 1], dtype, inputs[k].shape, fd, gradTol))
        << "gradient of input " << k;
  }
}

TEST(Differential, RandomProgramsMatchAFloat64Reference) {
  int cases = EnvInt("THEON_DIFFERENTIAL_CASES", 300);
  auto seed = static_cast<std::uint64_t>(EnvInt("THEON_DIFFERENTIAL_SEED", 20261201));
  int c = 0;
  for (; c < cases; ++c) {
    if (std::getenv("THEON_DIFFERENTIAL_VERBOSE"))
      std::fprintf(stderr, "case %d\n", c);
    RunCase(seed + static_cast<std::uint64_t>(c), c % 4 == 3 ? DType::Float32 : DType::Float64);
    if (HasFailure())
      break; // the first failing program is the one to read
  }
  std::printf("%d random programs checked (seed %llu)\n", c, static_cast<unsigned long long>(seed));
}

} // namespace
