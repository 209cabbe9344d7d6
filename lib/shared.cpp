#include "theon/shared.h"

#include "lib/device.h"
#include "lib/graph.h"
#include "theon/error.h"

#include <mutex>
#include <shared_mutex>

namespace theon {
using namespace detail;

namespace {
Node &sharedNode(const Variable &v, const char *what) {
  if (v.is_null() || v.node()->kind != OpKind::Shared)
    throw ValueError(std::string(what) + ": not a shared variable");
  return *v.node();
}
} // namespace

SharedVariable shared(const Array &value, const std::string &name, bool borrow) {
  auto node = makeNode(OpKind::Shared, {}, value.dtype(),
                       std::vector<bool>(static_cast<std::size_t>(value.ndim()), false));
  node->name = name;
  // A value in GPU memory is copied to the host: the host copy is the one
  // that is always there (a GPU function copies it back to the device).
  node->storage = std::make_shared<Array>(value.on_device() ? value.to("cpu")
                                          : borrow          ? value.contiguous()
                                                            : value.copy());
  return SharedVariable(node);
}

Array SharedVariable::get_value(bool borrow) const {
  Node &n = sharedNode(*this, "get_value");
  std::shared_lock<std::shared_mutex> lock(n.valueMutex);
  syncToHost(n); // after a GPU function updated it
  return borrow ? *n.storage : n.storage->copy();
}

void SharedVariable::set_value(const Array &value, bool borrow) {
  Node &n = sharedNode(*this, "set_value");
  if (value.dtype() != n.dtype)
    throw TypeError("set_value: shared variable " + n.describe() + " holds " +
                    dtype_name(n.dtype) + ", got a " + dtype_name(value.dtype()) +
                    " array (cast it with astype)");
  if (value.ndim() != n.ndim())
    throw TypeError("set_value: shared variable " + n.describe() + " has " +
                    std::to_string(n.ndim()) + " dimensions, got an array of shape " +
                    shape_to_string(value.shape()));
  // Copied before the lock: a call of another thread waits only for the swap.
  Array newValue = value.on_device() ? value.to("cpu") : borrow ? value.contiguous() : value.copy();
  std::unique_lock<std::shared_mutex> lock(n.valueMutex);
  *n.storage = std::move(newValue);
  hostValueChanged(n);
}

Updates::Updates(std::initializer_list<std::pair<SharedVariable, Variable>> pairs) {
  for (const auto &p : pairs)
    add(p.first, p.second);
}

Updates &Updates::add(const SharedVariable &var, const Variable &new_value) {
  Node &n = sharedNode(var, "Updates::add");
  if (new_value.is_null())
    throw ValueError("Updates::add: the new value of " + n.describe() + " is a null Variable");
  for (const auto &e : entries_)
    if (e.first.same(var))
      throw ValueError("Updates::add: shared variable " + n.describe() +
                       " already has an update");
  if (new_value.dtype() != n.dtype || new_value.ndim() != n.ndim())
    throw TypeError("Updates::add: the update of " + var.type_string() + " has type " +
                    new_value.type_string() + "; an update must have the shared variable's " +
                    "dtype and ndim (cast it with astype)");
  entries_.emplace_back(var, new_value);
  return *this;
}

} // namespace theon
