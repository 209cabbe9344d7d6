// debugprint and pp (include/theon/printing.h).
#include "theon/printing.h"

#include <sstream>
#include <unordered_map>

#include "lib/graph.h"
#include "lib/tensor_impl.h"
#include "theon/error.h"

namespace theon {
using namespace detail;

namespace {

/// Theano's ids: A..Z, BA..BZ, ... (base 26, letters).
std::string idFor(std::size_t n) {
  std::string id;
  do {
    id.insert(id.begin(), static_cast<char>('A' + n % 26));
    n /= 26;
  } while (n > 0);
  return id;
}

std::string rankName(int ndim) {
  static const char *names[] = {"scalar", "vector", "matrix", "tensor3", "tensor4"};
  return ndim < 5 ? names[ndim] : "tensor" + std::to_string(ndim);
}

std::string opName(const Node &n) {
  switch (n.kind) {
  case OpKind::Input:
  case OpKind::Shared:
    return n.name.empty() ? (n.kind == OpKind::Input ? "<input>" : "<shared>") : n.name;
  case OpKind::Constant: {
    if (n.value->size() == 1) {
      std::ostringstream v;
      v << n.value->get_flat(0);
      return "constant{" + v.str() + "}";
    }
    return "constant" + shape_to_string(n.value->shape());
  }
  case OpKind::GradOutput:
    return "grad[" + std::to_string(n.ints[0]) + "]";
  case OpKind::Deferred:
    return n.deferredOp;
  default:
    return apiName(n.kind);
  }
}

class Printer {
public:
  explicit Printer(std::ostream &out) : out_(out) {}

  void print(const Node &n, const std::string &prefix, const std::string &childPrefix) {
    auto [it, first] = ids_.emplace(&n, ids_.size());
    out_ << prefix << opName(n) << " [id " << idFor(it->second) << "]";
    bool leaf = n.kind == OpKind::Input || n.kind == OpKind::Shared;
    if (!n.name.empty() && !leaf)
      out_ << " '" << n.name << "'";
    out_ << " " << dtype_name(n.dtype) << " " << rankName(n.ndim());
    if (n.kind == OpKind::Input)
      out_ << " (input)";
    if (n.kind == OpKind::Shared)
      out_ << " (shared)";
    out_ << "\n";
    if (!first)
      return; // printed in full above
    // A grad() group's first input is the cost; the rest are its wrts.
    for (const NodePtr &in : n.inputs)
      print(*in, childPrefix + " |", childPrefix + " |");
  }

private:
  std::ostream &out_;
  std::unordered_map<const Node *, std::size_t> ids_;
};

const char *infix(OpKind kind) {
  switch (kind) {
  case OpKind::Add: return " + ";
  case OpKind::Sub: return " - ";
  case OpKind::Mul: return " * ";
  case OpKind::Div: return " / ";
  case OpKind::Lt: return " < ";
  case OpKind::Le: return " <= ";
  case OpKind::Gt: return " > ";
  case OpKind::Ge: return " >= ";
  case OpKind::Eq: return " == ";
  case OpKind::Ne: return " != ";
  case OpKind::Mod: return " % ";
  case OpKind::FloorDiv: return " // ";
  case OpKind::Pow: return " ** ";
  default: return nullptr;
  }
}

std::string ppNode(const Node &n, int depth) {
  if (depth > 200)
    return "...";
  switch (n.kind) {
  case OpKind::Input:
  case OpKind::Shared:
  case OpKind::Constant:
    return opName(n);
  case OpKind::Neg:
    return "-" + ppNode(*n.inputs[0], depth + 1);
  case OpKind::Cast:
    return ppNode(*n.inputs[0], depth + 1) + ".astype(" + dtype_name(n.dtype) + ")";
  default:
    break;
  }
  if (const char *op = infix(n.kind); op && n.inputs.size() == 2)
    return "(" + ppNode(*n.inputs[0], depth + 1) + op + ppNode(*n.inputs[1], depth + 1) + ")";
  std::string s = opName(n) + "(";
  for (std::size_t i = 0; i < n.inputs.size(); ++i)
    s += (i ? ", " : "") + ppNode(*n.inputs[i], depth + 1);
  return s + ")";
}

} // namespace

void debugprint(const std::vector<Variable> &vars, std::ostream &out) {
  Printer p(out);
  for (const Variable &v : vars)
    p.print(*nodeOf(v, "debugprint"), "", "");
}

void debugprint(const Variable &var, std::ostream &out) { debugprint(std::vector<Variable>{var}, out); }

void debugprint(const Function &f, std::ostream &out) {
  Printer p(out);
  for (const Variable &v : f.outputs())
    p.print(*nodeOf(v, "debugprint"), "", "");
  for (const auto &[var, value] : f.updates().entries()) {
    out << nodeOf(var, "debugprint")->name << " <-\n";
    p.print(*nodeOf(value, "debugprint"), " ", " ");
  }
}

std::string pp(const Variable &var) { return ppNode(*nodeOf(var, "pp"), 0); }

} // namespace theon
