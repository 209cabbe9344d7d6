// theon::function: compiles a graph into a callable. Compilation happens at
// the first call for each signature of argument shapes and is cached.
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "theon/array.h"
#include "theon/error.h"
#include "theon/shared.h"
#include "theon/variable.h"

namespace theon {

/// What theon::function does with an input no output or update uses, as
/// Theano's on_unused_input.
enum class OnUnusedInput { Raise, Warn, Ignore };

/// Theano's givens: (variable, replacement) pairs. In the compiled function
/// each variable is computed as its replacement (same dtype and ndim), as
/// in the classic `givens={x: data[i * n:(i + 1) * n]}`.
using Givens = std::vector<std::pair<Variable, Variable>>;

struct FunctionOptions {
  /// Accept arguments whose dtype converts to the input's only with loss
  /// (a float64 array for a float32 input), as Theano's allow_input_downcast.
  bool allow_input_downcast = false;
  /// The symbol name in the IR (`func.func @name`).
  std::string name = "theon_function";
  /// An unused input is a ValueError (Raise, Theano's default), a warning,
  /// or accepted.
  OnUnusedInput on_unused_input = OnUnusedInput::Raise;
  /// Theano's no_default_updates: do not apply the default updates of the
  /// shared variables the function reads (a random stream's counter then
  /// stays, and each call draws the same numbers).
  bool no_default_updates = false;
  /// "cpu" or "cuda"; empty: config().device.
  std::string device;
  /// On the GPU, return outputs as arrays in GPU memory (Array::device()
  /// "cuda"), not copied to the host: a next GPU call takes them as they
  /// are. Ignored on the CPU.
  bool outputs_on_device = false;
  /// Replacements, as the givens argument of theon::function.
  Givens givens;
  /// Default values of inputs, as Theano's In(x, value=v): a call may leave
  /// out trailing inputs that have one.
  std::vector<std::pair<Variable, Array>> defaults;

  // Set one field by name: FunctionOptions{}.named("train").
  FunctionOptions &named(std::string value) {
    name = std::move(value);
    return *this;
  }
  FunctionOptions &with_input_downcast(bool value = true) {
    allow_input_downcast = value;
    return *this;
  }
  FunctionOptions &with_unused_input(OnUnusedInput value) {
    on_unused_input = value;
    return *this;
  }
  FunctionOptions &on_device(std::string value) {
    device = std::move(value);
    return *this;
  }
  FunctionOptions &with_givens(Givens value) {
    givens = std::move(value);
    return *this;
  }
  FunctionOptions &with_default(const Variable &input, Array value) {
    defaults.emplace_back(input, std::move(value));
    return *this;
  }
  FunctionOptions &without_default_updates(bool value = true) {
    no_default_updates = value;
    return *this;
  }
  FunctionOptions &with_outputs_on_device(bool value = true) {
    outputs_on_device = value;
    return *this;
  }
};

/// An argument of a compiled function: an Array or a C++ number.
class Argument {
public:
  Argument(const Array &array) : array_(array) {}
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
  Argument(N value) : array_(literal(value)), from_literal_(true) {
    if constexpr (std::is_unsigned_v<N> && !std::is_same_v<N, bool>)
      if (value > static_cast<std::uint64_t>(INT64_MAX))
        too_large_ = std::to_string(value); // reported with the input's name
  }
  const Array &array() const { return borrowed_ ? *borrowed_ : array_; }
  bool from_literal() const { return from_literal_; }
  /// The digits of an unsigned number above INT64_MAX, else empty.
  const std::string &too_large() const { return too_large_; }

private:
  friend class Function;
  struct Borrow {};
  /// Refers to `array` without copying it: only for the arguments of one
  /// call expression, which outlive the call.
  Argument(const Array &array, Borrow) : borrowed_(&array) {}
  template <class A> static Argument forCall(const A &arg) {
    if constexpr (std::is_base_of_v<Array, A>)
      return Argument(arg, Borrow{});
    else
      return Argument(arg);
  }

  template <class N> static Array literal(N value) {
    if constexpr (std::is_floating_point_v<N>)
      return Array::scalar<double>(static_cast<double>(value));
    else if constexpr (std::is_same_v<N, bool>)
      return Array::scalar<bool>(value);
    else
      return Array::scalar<std::int64_t>(static_cast<std::int64_t>(value));
  }
  Array array_;
  const Array *borrowed_ = nullptr;
  bool from_literal_ = false;
  std::string too_large_;
};

class Function {
public:
  /// Runs the function; JIT-compiles it first when this signature of argument
  /// shapes has not been seen.
  std::vector<Array> operator()(const std::vector<Argument> &args) const;
  template <class... A> std::vector<Array> operator()(const A &...args) const {
    std::vector<Argument> list; // no copies of the arrays: they outlive the call
    list.reserve(sizeof...(A));
    (list.push_back(Argument::forCall(args)), ...);
    return (*this)(list);
  }

  /// The MLIR (or LLVM IR) of the most recently compiled specialization at a
  /// stage: "theon" (as emitted), "linalg" (fused linalg on tensors), "loops"
  /// (bufferized loops on memrefs), "llvm" (LLVM dialect), "llvmir"
  /// (optimized LLVM IR). Throws ValueError before the first call.
  std::string ir(const std::string &stage = "theon") const;
  /// The IR of a stage for the given argument shapes, compiling if needed.
  std::string ir(const std::string &stage, const std::vector<Shape> &shapes) const;
  /// How many compiled shape signatures the function holds (at most
  /// config().max_specializations).
  std::size_t num_compiled() const;

  /// How the most recent specialization was obtained.
  struct CompileInfo {
    bool from_disk_cache = false; ///< loaded from config().cache_dir
    double milliseconds = 0;      ///< emit + compile (or load) time
  };
  /// Throws ValueError before the first call.
  CompileInfo last_compile() const;

  const std::vector<Variable> &inputs() const;
  const std::vector<Variable> &outputs() const;
  const Updates &updates() const;
  const std::string &name() const;

  struct Impl;
  explicit Function(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

private:
  std::shared_ptr<Impl> impl_;
};

/// Theano's function(inputs, outputs). Type errors (an input that is not a
/// symbolic input, an output that needs an input not listed) are reported
/// here; shape errors at the call that sees the shapes.
Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const FunctionOptions &options = {});
/// function(inputs, outputs, updates): after the outputs are computed, each
/// shared variable in `updates` takes its new value. Outputs and new values
/// all see the values from before the call; nothing changes if the call
/// throws.
Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const Updates &updates, const FunctionOptions &options = {});
/// function(inputs, outputs, updates, givens): see Givens.
Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const Updates &updates, const Givens &givens,
                  const FunctionOptions &options = {});

} // namespace theon
