// Shared variables: symbolic variables with a value that lives across calls,
// as Theano's theano.shared. Model parameters live here and are changed by a
// function's updates.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "theon/array.h"
#include "theon/variable.h"

namespace theon {

class SharedVariable : public Variable {
public:
  SharedVariable() = default;

  /// The current value: a copy, or with borrow=true the array itself (shares
  /// its buffer; a later update replaces the value, it does not write into
  /// this array).
  Array get_value(bool borrow = false) const;
  /// Replaces the value. The dtype and ndim must stay the same (TypeError);
  /// the shape may change, and functions compile again for the new shape.
  /// With borrow=false the value is copied; with borrow=true the shared
  /// variable keeps `value`'s buffer.
  void set_value(const Array &value, bool borrow = false);

  explicit SharedVariable(std::shared_ptr<detail::Node> node) : Variable(std::move(node)) {}
};

/// theano.shared(value, name, borrow): dtype and ndim from `value`; no axis is
/// broadcastable. With borrow=false (the default) the value is copied.
SharedVariable shared(const Array &value, const std::string &name = "", bool borrow = false);

/// The ordered list of (shared variable, new value) pairs of a function, like
/// Theano's OrderedDict of updates.
class Updates {
public:
  Updates() = default;
  Updates(std::initializer_list<std::pair<SharedVariable, Variable>> pairs);
  /// Adds an update; refused (ValueError) when `var` already has one.
  Updates &add(const SharedVariable &var, const Variable &new_value);
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<SharedVariable, Variable>> &entries() const { return entries_; }

private:
  std::vector<std::pair<SharedVariable, Variable>> entries_;
};

} // namespace theon
