// theon::scan: the step's graph is built once from step variables; the
// loop becomes one ScanGroup node, emitted as theon.scan (lib/emit.cpp).
#include "theon/scan.h"

#include <algorithm>
#include <unordered_set>

#include "lib/tensor_impl.h"
#include "theon/error.h"
#include "theon/tensor.h"

namespace theon {

using namespace detail;

namespace {

NodePtr stepVariable(const Variable &like, bool dropFirstAxis, const std::string &name) {
  std::vector<bool> broadcastable = like.broadcastable();
  if (dropFirstAxis)
    broadcastable.erase(broadcastable.begin());
  NodePtr n = makeNode(OpKind::ScanArg, {}, like.dtype(), std::move(broadcastable));
  n->name = name;
  return n;
}

std::string nameOf(const Variable &v, const std::string &fallback) {
  return v.node()->name.empty() ? fallback : v.node()->name;
}

/// The outside values the step reads: the inputs of the nodes that depend
/// on the step variables (`arguments`) that do not themselves, and yields
/// that do not.
std::vector<NodePtr> capturedValues(const std::vector<NodePtr> &arguments,
                                    const std::vector<NodePtr> &yields) {
  std::unordered_set<const Node *> inner;
  for (const NodePtr &a : arguments)
    inner.insert(a.get());
  std::vector<Node *> roots;
  for (const NodePtr &y : yields)
    roots.push_back(y.get());
  std::vector<Node *> order = topologicalOrder(roots);
  for (Node *n : order) {
    if (std::any_of(n->inputs.begin(), n->inputs.end(),
                    [&](const NodePtr &in) { return inner.count(in.get()); }))
      inner.insert(n);
  }
  std::vector<NodePtr> captured;
  std::unordered_set<const Node *> seen;
  auto capture = [&](const NodePtr &n) {
    if (!inner.count(n.get()) && seen.insert(n.get()).second)
      captured.push_back(n);
  };
  for (Node *n : order)
    if (inner.count(n))
      for (const NodePtr &in : n->inputs)
        capture(in);
  for (const NodePtr &y : yields)
    capture(y);
  return captured;
}

} // namespace

ScanResult scan(const ScanStep &fn, const std::vector<Sequence> &sequences,
                const std::vector<OutputInfo> &outputs_info,
                const std::vector<Variable> &non_sequences, const NSteps &n_steps,
                bool go_backwards) {
  if (!fn)
    throw ValueError("scan: no step function");
  return scan(ScanStepWithUpdates([&fn](const std::vector<Variable> &a) {
                return StepResult{fn(a), {}};
              }),
              sequences, outputs_info, non_sequences, n_steps, go_backwards);
}

ScanResult scan(const ScanStepWithUpdates &fn, const std::vector<Sequence> &sequences,
                const std::vector<OutputInfo> &outputs_info,
                const std::vector<Variable> &non_sequences, const NSteps &n_steps,
                bool go_backwards) {
  if (!fn)
    throw ValueError("scan: no step function");
  if (n_steps.number() && *n_steps.number() < 0)
    throw ValueError("scan: n_steps must not be negative, got " +
                     std::to_string(*n_steps.number()));
  if (!n_steps.variable().is_null()) {
    detail::nodeOf(n_steps.variable(), "scan");
    if (n_steps.variable().ndim() != 0 || !is_integer(n_steps.variable().dtype()))
      throw TypeError("scan: n_steps must be an integer scalar, got " +
                      n_steps.variable().type_string());
  }
  if (sequences.empty() && !n_steps.given())
    throw ValueError("scan: without sequences, n_steps must say how many steps to run");

  std::vector<NodePtr> slices, inits, arguments;
  std::vector<Variable> stepInputs;
  // Sequences: one slice per tap, so that row t of slice k is row
  // t + tap_k - min(taps) of the sequence; with go_backwards, each slice's
  // rows reversed (Theano reverses each tap's slice, so that n_steps then
  // takes the last rows).
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const Sequence &seq = sequences[i];
    detail::nodeOf(seq.input, "scan");
    if (seq.input.ndim() < 1)
      throw TypeError("scan: sequence " + std::to_string(i) + " " + seq.input.type_string() +
                      " has no axis to step along");
    if (seq.taps.empty())
      throw ValueError("scan: sequence " + std::to_string(i) + " has no taps");
    auto [lo, hi] = std::minmax_element(seq.taps.begin(), seq.taps.end());
    for (int tap : seq.taps) {
      std::int64_t start = tap - *lo, stop = tap - *hi;
      Variable slice = start == 0 && stop == 0
                           ? seq.input
                           : seq.input(tensor::slice(start, stop == 0 ? std::nullopt
                                                                      : std::optional<std::int64_t>(stop)));
      if (go_backwards)
        slice = slice(tensor::slice(std::nullopt, std::nullopt, -1));
      slices.push_back(slice.node());
      std::string name = nameOf(seq.input, "sequence" + std::to_string(i)) + "[t" +
                         (tap == 0 ? "" : (tap > 0 ? "+" : "") + std::to_string(tap)) + "]";
      arguments.push_back(stepVariable(seq.input, true, name));
      stepInputs.push_back(Variable(arguments.back()));
    }
  }
  // Fed-back outputs: state slot l holds the value of l steps before.
  struct Feedback {
    std::size_t firstSlot, slots;
  };
  std::vector<std::optional<Feedback>> feedback;
  std::vector<NodePtr> slotArgs;
  for (std::size_t k = 0; k < outputs_info.size(); ++k) {
    const OutputInfo &info = outputs_info[k];
    if (!info.initial) {
      feedback.push_back(std::nullopt);
      continue;
    }
    detail::nodeOf(*info.initial, "scan");
    if (info.taps.empty())
      throw ValueError("scan: output " + std::to_string(k) + " has an initial value but no taps");
    int lag = 0;
    for (int tap : info.taps) {
      if (tap >= 0)
        throw ValueError("scan: the taps of output " + std::to_string(k) +
                         " must be negative (earlier steps), got " + std::to_string(tap));
      lag = std::max(lag, -tap);
    }
    Feedback f{slotArgs.size(), static_cast<std::size_t>(lag)};
    std::string base = nameOf(*info.initial, "output" + std::to_string(k));
    for (int l = 1; l <= lag; ++l) {
      if (lag == 1) {
        inits.push_back(info.initial->node());
      } else {
        if (info.initial->ndim() < 1)
          throw TypeError("scan: output " + std::to_string(k) + " has taps back to " +
                          std::to_string(-lag) + ", so its initial value needs " +
                          std::to_string(lag) + " rows, not " + info.initial->type_string());
        inits.push_back((*info.initial)[static_cast<std::int64_t>(lag - l)].node());
      }
      slotArgs.push_back(stepVariable(*info.initial, lag > 1, base + "[t-" + std::to_string(l) + "]"));
    }
    feedback.push_back(f);
    for (int tap : info.taps)
      stepInputs.push_back(Variable(slotArgs[f.firstSlot + static_cast<std::size_t>(-tap) - 1]));
  }
  arguments.insert(arguments.end(), slotArgs.begin(), slotArgs.end());
  for (const Variable &v : non_sequences) {
    detail::nodeOf(v, "scan");
    stepInputs.push_back(v);
  }

  // Nodes created after this one are the step's (ids grow with creation).
  NodePtr marker = makeNode(OpKind::Constant, {}, DType::Float32, {});
  StepResult stepResult = fn(stepInputs);
  std::vector<Variable> &outs = stepResult.outputs;
  if (!outputs_info.empty() && outs.size() != outputs_info.size())
    throw ValueError("scan: the step returned " + std::to_string(outs.size()) +
                     " outputs, but outputs_info has " + std::to_string(outputs_info.size()));
  if (outs.empty())
    throw ValueError("scan: the step returned no outputs");
  for (std::size_t k = 0; k < outs.size(); ++k)
    detail::nodeOf(outs[k], "scan");

  // Yields: each slot's new value (slot 1: the output; slot l: slot l-1),
  // then every output.
  std::vector<NodePtr> yields;
  for (std::size_t k = 0; k < feedback.size(); ++k) {
    if (!feedback[k])
      continue;
    const Variable &initial = *outputs_info[k].initial;
    const Variable &out = outs[k];
    bool stacked = feedback[k]->slots > 1;
    if (out.dtype() != initial.dtype() || out.ndim() != initial.ndim() - (stacked ? 1 : 0))
      throw TypeError("scan: output " + std::to_string(k) + " of the step is " + out.type_string() +
                      ", but it is fed back from " + initial.type_string() +
                      (stacked ? " (rows of it)" : "") +
                      "; cast it or its initial value so that they agree");
    yields.push_back(out.node());
    for (std::size_t l = 1; l < feedback[k]->slots; ++l)
      yields.push_back(slotArgs[feedback[k]->firstSlot + l - 1]);
  }
  // Updated shared variables are states too: inside the step the variable
  // itself stands for its value at that step.
  std::vector<SharedVariable> updated;
  for (const auto &[var, value] : stepResult.updates.entries()) {
    detail::nodeOf(value, "scan");
    if (value.dtype() != var.dtype() || value.ndim() != var.ndim())
      throw TypeError("scan: the step updates " + var.node()->describe() + " (" + var.type_string() +
                      ") with " + value.type_string() + "; cast the update to its type");
    updated.push_back(var);
    inits.push_back(var.node());
    arguments.push_back(var.node());
    yields.push_back(value.node());
  }
  // As in Theano, the default updates of the shared variables the step's
  // own nodes read (the state of a draw made in the step) apply at every
  // step, so each step draws new numbers; the final values are the scan's
  // updates. A value made before the step (a draw outside) is read as it is.
  std::size_t firstDefaultedInit = inits.size();
  std::vector<Node *> roots;
  for (const NodePtr &y : yields)
    roots.push_back(y.get());
  for (const Variable &out : outs)
    roots.push_back(out.node().get());
  for (bool added = true; added;) { // again for what the new updates read
    added = false;
    for (Node *n : topologicalOrder(roots)) {
      if (n->id <= marker->id)
        continue;
      for (const NodePtr &in : n->inputs) {
        if (in->kind != OpKind::Shared || !in->defaultUpdate ||
            std::any_of(updated.begin(), updated.end(),
                        [&](const SharedVariable &v) { return v.node() == in; }))
          continue;
        SharedVariable var(in);
        Variable next = in->defaultUpdate(var);
        detail::nodeOf(next, "scan");
        updated.push_back(var);
        inits.push_back(in);
        arguments.push_back(in);
        yields.push_back(next.node());
        roots.push_back(next.node().get());
        added = true;
      }
    }
  }
  for (const Variable &out : outs)
    yields.push_back(out.node());
  // Their values at every step are kept as outputs nobody reads, so that the
  // gradient's recomputed steps draw the numbers the forward steps drew.
  // (A state's new value is the yield at its init's position.)
  for (std::size_t i = firstDefaultedInit; i < inits.size(); ++i) {
    NodePtr next = yields[i];
    yields.push_back(next);
  }

  std::vector<NodePtr> captured = capturedValues(arguments, yields);

  std::vector<NodePtr> inputs = slices;
  inputs.insert(inputs.end(), inits.begin(), inits.end());
  inputs.insert(inputs.end(), captured.begin(), captured.end());
  // A symbolic n_steps is the last input (valued when compiled, not a param).
  bool symbolicSteps = !n_steps.variable().is_null();
  if (symbolicSteps)
    inputs.push_back(n_steps.variable().node());
  NodePtr group = makeNode(OpKind::ScanGroup, std::move(inputs), outs[0].dtype(), {});
  group->ints = {static_cast<std::int64_t>(slices.size()), static_cast<std::int64_t>(inits.size()),
                 n_steps.number().value_or(-1), symbolicSteps ? 1 : 0};
  group->payload = std::make_shared<ScanBody>(ScanBody{arguments, yields});

  ScanResult result;
  std::size_t firstUpdate = inits.size() - updated.size();
  for (std::size_t u = 0; u < updated.size(); ++u) {
    NodePtr final = makeNode(OpKind::ScanOutput, {group}, updated[u].dtype(),
                             updated[u].broadcastable());
    final->ints = {static_cast<std::int64_t>(firstUpdate + u)};
    result.updates.add(updated[u], Variable(final));
  }
  // A stream state the step itself created (its draws) is read by this scan
  // only: its default update becomes the scan's final value, so a function
  // advances it past every step's numbers without being passed the updates.
  // The group is held weakly: the state is one of its inputs.
  for (std::size_t i = firstDefaultedInit; i < inits.size(); ++i) {
    Node &state = *inits[i];
    if (state.id <= marker->id)
      continue;
    std::weak_ptr<Node> weakGroup = group;
    auto index = static_cast<std::int64_t>(i);
    state.defaultUpdate = [weakGroup, index](const Variable &self) {
      NodePtr g = weakGroup.lock();
      if (!g)
        return self;
      NodePtr final = makeNode(OpKind::ScanOutput, {g}, self.dtype(), self.broadcastable());
      final->ints = {index};
      return Variable(final);
    };
  }
  for (std::size_t k = 0; k < outs.size(); ++k) {
    std::vector<bool> broadcastable{false};
    for (bool b : outs[k].broadcastable())
      broadcastable.push_back(b);
    NodePtr out = makeNode(OpKind::ScanOutput, {group}, outs[k].dtype(), std::move(broadcastable));
    out->ints = {static_cast<std::int64_t>(inits.size() + k)};
    result.outputs.push_back(Variable(out));
  }
  return result;
}

} // namespace theon
