// theon::scan: Theano's scan, a loop whose step is a graph built once by a
// C++ callable.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>
#include <vector>

#include "theon/shared.h"
#include "theon/variable.h"

namespace theon {

/// A sequence scan steps over along its first axis: Theano's
/// `dict(input=x, taps=[...])`. Step t gets row `t + tap - min(taps)` for
/// each tap, in the order given; a plain Variable has taps {0}.
struct Sequence {
  Sequence(Variable input) : input(std::move(input)) {}
  Sequence(Variable input, std::vector<int> taps) : input(std::move(input)), taps(std::move(taps)) {}
  Variable input;
  std::vector<int> taps{0};
};

/// One entry of outputs_info: an output fed back to the next step from
/// `initial` (taps {-1}: the previous value), from `initial` with negative
/// `taps` (initial then holds max(-taps) rows, the oldest first), or, with
/// no initial (std::nullopt, Theano's None), an output that is not fed back.
struct OutputInfo {
  OutputInfo() = default;
  OutputInfo(std::nullopt_t) {}
  OutputInfo(Variable initial) : initial(std::move(initial)) {}
  OutputInfo(Variable initial, std::vector<int> taps)
      : initial(std::move(initial)), taps(std::move(taps)) {}
  std::optional<Variable> initial;
  std::vector<int> taps{-1};
};

/// scan's n_steps: a number; a scalar integer variable whose value is known
/// when the function is compiled, computed from shapes and constants (such
/// as `x.shape()[0] - 1`: the number of steps is part of the shapes a
/// function is compiled for); or nothing, for the sequences' length.
class NSteps {
public:
  NSteps() = default;
  NSteps(std::nullopt_t) {}
  template <class Integer, std::enable_if_t<std::is_integral_v<Integer>, int> = 0>
  NSteps(Integer n) : number_(static_cast<std::int64_t>(n)) {}
  NSteps(std::optional<std::int64_t> n) : number_(n) {}
  NSteps(Variable n) : variable_(std::move(n)) {}
  /// Whether a number of steps was given.
  bool given() const { return number_.has_value() || !variable_.is_null(); }
  const std::optional<std::int64_t> &number() const { return number_; }
  const Variable &variable() const { return variable_; }

private:
  std::optional<std::int64_t> number_;
  Variable variable_;
};

/// What scan gives: each output's values at every step, stacked along a
/// new first axis, and, for each shared variable the step updates, its
/// value after the last step (pass them to theon::function's updates).
struct ScanResult {
  std::vector<Variable> outputs;
  Updates updates;
};

/// What a step that updates shared variables returns: its outputs and the
/// updates (Theano's step returning `(outputs, updates)`). Each step reads
/// the value the previous step gave the variable.
struct StepResult {
  std::vector<Variable> outputs;
  Updates updates;
};

/// The step: called once, with one Variable per sequence tap (in
/// `sequences` order), then one per tap of each fed-back output, then the
/// `non_sequences` themselves; returns one Variable per output (one per
/// outputs_info entry, or as many as it likes when outputs_info is empty).
using ScanStep = std::function<std::vector<Variable>(const std::vector<Variable> &)>;
/// A step that also updates shared variables.
using ScanStepWithUpdates = std::function<StepResult(const std::vector<Variable> &)>;

/// Theano's theano.scan. The step may also read any other variable
/// (shared variables, inputs, constants) directly, as in Theano. The loop
/// runs n_steps times, or as many times as the shortest sequence allows;
/// it is one theon.scan op, whose body is compiled once, and its gradient
/// is backpropagation through time. Random draws in the step advance their
/// stream at every step. ValueError for taps of the wrong sign, an n_steps
/// that is negative, missing without sequences, larger than the sequences
/// allow or not known when compiling, or a step that returns the wrong
/// number of outputs; TypeError for an n_steps that is not an integer
/// scalar; TypeError or ShapeError when a fed-back output's new value does
/// not have its initial value's dtype or shape. With `go_backwards`, as
/// Theano's, the loop steps through the sequences from their last row to
/// their first (each tap's rows reversed); the outputs stay in the order
/// the steps ran.
ScanResult scan(const ScanStep &fn, const std::vector<Sequence> &sequences = {},
                const std::vector<OutputInfo> &outputs_info = {},
                const std::vector<Variable> &non_sequences = {},
                const NSteps &n_steps = {}, bool go_backwards = false);
/// scan with a step that updates shared variables: each updated variable is
/// carried through the loop as a state. TypeError when an update's dtype or
/// rank differs from its variable's. Gradients flow through such a state
/// as through any other.
ScanResult scan(const ScanStepWithUpdates &fn, const std::vector<Sequence> &sequences = {},
                const std::vector<OutputInfo> &outputs_info = {},
                const std::vector<Variable> &non_sequences = {},
                const NSteps &n_steps = {}, bool go_backwards = false);

} // namespace theon
