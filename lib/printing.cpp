// debugprint and pp (include/theon/printing.h).
#include "theon/printing.h"

#include <sstream>
#include <unordered_map>

#include "compiler/Jit.h"
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
  case OpKind::ScanOutput:
    return "scan[" + std::to_string(n.ints[0]) + "]";
  case OpKind::ScanArg:
    return n.name.empty() ? "<scan step variable>" : n.name;
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

/// Writes a DOT graph of nodes; each node once.
class DotWriter {
public:
  std::string node(const Node &n) {
    auto [it, first] = ids_.emplace(&n, ids_.size());
    std::string id = "n" + std::to_string(it->second);
    if (!first)
      return id;
    std::string label = opName(n);
    bool leaf = n.kind == OpKind::Input || n.kind == OpKind::Shared;
    if (!n.name.empty() && !leaf)
      label += " '" + n.name + "'";
    label += "\n" + std::string(dtype_name(n.dtype)) + " " + rankName(n.ndim());
    std::string style = "shape=box";
    if (n.kind == OpKind::Input)
      style = "shape=ellipse, style=filled, fillcolor=\"#b3e2cd\"";
    else if (n.kind == OpKind::Shared)
      style = "shape=box, style=\"rounded,filled\", fillcolor=\"#cbd5e8\"";
    else if (n.kind == OpKind::Constant)
      style = "shape=box, style=filled, fillcolor=\"#e5e5e5\"";
    body_ += "  " + id + " [label=\"" + escape(label) + "\", " + style + "];\n";
    for (std::size_t i = 0; i < n.inputs.size(); ++i) {
      std::string from = node(*n.inputs[i]);
      body_ += "  " + from + " -> " + id;
      if (n.inputs.size() > 1)
        body_ += " [label=\"" + std::to_string(i) + "\"]";
      body_ += ";\n";
    }
    return id;
  }
  void output(const Node &n, std::size_t i) {
    std::string id = node(n), out = "out" + std::to_string(i);
    body_ += "  " + out + " [label=\"output " + std::to_string(i) + "\", shape=plaintext];\n";
    body_ += "  " + id + " -> " + out + ";\n";
  }
  void update(const Node &var, const Node &value) {
    std::string v = node(var), to = node(value);
    body_ += "  " + to + " -> " + v +
             " [style=dashed, color=\"#3060c0\", label=\"update\", constraint=false];\n";
  }
  std::string str() const {
    return "digraph theon {\n  node [fontname=\"Helvetica\", fontsize=10];\n"
           "  edge [fontsize=8];\n" + body_ + "}\n";
  }

private:
  /// A DOT string's text: quotes and backslashes escaped, newlines as \n.
  static std::string escape(const std::string &s) {
    std::string out;
    for (char c : s) {
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out;
  }
  std::unordered_map<const Node *, std::size_t> ids_;
  std::string body_;
};

} // namespace

std::string to_dot(const std::vector<Variable> &vars) {
  DotWriter w;
  for (std::size_t i = 0; i < vars.size(); ++i)
    w.output(*nodeOf(vars[i], "to_dot"), i);
  return w.str();
}

std::string to_dot(const Variable &var) { return to_dot(std::vector<Variable>{var}); }

std::string to_dot(const Function &f, bool optimized) {
  if (optimized)
    return runtime::stageOpGraph(f.ir("theon"), runtime::Stage::Linalg);
  DotWriter w;
  for (std::size_t i = 0; i < f.outputs().size(); ++i)
    w.output(*nodeOf(f.outputs()[i], "to_dot"), i);
  for (const auto &[var, value] : f.updates().entries())
    w.update(*nodeOf(var, "to_dot"), *nodeOf(value, "to_dot"));
  return w.str();
}

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
