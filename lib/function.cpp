#include "theon/function.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <set>
#include <unordered_set>

#include "lib/device.h"
#include "lib/emit.h"
#include "lib/graph.h"
#include "lib/log.h"
#include "compiler/DiskCache.h"
#include "compiler/Jit.h"
#include "runtime/Allocator.h"
#include "runtime/Threads.h"
#include "theon/config.h"
#include "theon/error.h"
#include "theon/profile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace theon {
using namespace detail;

namespace {
/// The disk cache when it may be used (defined below).
std::optional<runtime::DiskCache> usableDiskCache();

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string joinShapes(const std::vector<Shape> &shapes) {
  std::string s;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    std::string text = shape_to_string(shapes[i]);
    // A runtime number of steps reads as "?".
    const std::string dynamic = std::to_string(kDynamicExtent);
    for (std::size_t at; (at = text.find(dynamic)) != std::string::npos;)
      text.replace(at, dynamic.size(), "?");
    s += (i ? ", " : "") + text;
  }
  return s;
}

std::string withArticle(const std::string &word) {
  return (word.find_first_of("aeiou") == 0 ? "an " : "a ") + word;
}

/// A C++ number given for an input: converted when its value survives.
Array convertLiteral(const Array &value, DType dtype, const std::string &who) {
  Array converted = value.astype(dtype);
  double original = value.get_flat(0), now = converted.get_flat(0);
  bool exact = original == now || (std::isnan(original) && std::isnan(now));
  if (!is_float(dtype) && !exact)
    throw TypeError(who + ": the number " + std::to_string(original) + " cannot be converted to " +
                    dtype_name(dtype) + " without loss");
  return converted;
}

/// config().threads for OpenBLAS and OpenMP, applied on the calling thread
/// before compiled code runs (OpenMP's count is per thread) so that a change
/// from code takes effect at the next call.
void applyThreadSetting() {
  thread_local int applied = -1;
  int threads = config().threads;
  if (threads != applied) {
    runtime::setThreads(threads);
    applied = threads;
  }
}

/// The memory an argument's elements occupy.
struct ByteRange {
  const char *begin, *end;
  bool overlaps(const ByteRange &other) const {
    return begin < end && other.begin < other.end && begin < other.end && other.begin < end;
  }
};

ByteRange byteRange(const Array &a) {
  auto *begin = static_cast<const char *>(a.raw_data());
  return {begin, begin + static_cast<std::size_t>(a.size()) * dtype_size(a.dtype())};
}

/// One function's profile, shared with the registry so that it outlives
/// the function (the summary at exit lists functions already destroyed).
struct ProfileRecord {
  std::mutex mutex;
  FunctionProfile stats;
};

struct ProfileRegistry {
  std::mutex mutex;
  std::vector<std::shared_ptr<ProfileRecord>> records;
};
ProfileRegistry &profileRegistry() {
  static ProfileRegistry registry;
  return registry;
}

} // namespace

struct Function::Impl {
  std::vector<Variable> inputs, outputs;
  Updates updates;
  FunctionOptions options;
  std::vector<Node *> inputNodes;  // the user's inputs
  std::vector<Node *> sharedNodes; // shared variables read, after the inputs
  std::vector<bool> sharedUpdated; // per shared node: whether an update writes it
  std::vector<Node *> resultNodes; // outputs, then the new values of updates
  Substitutions substitutions;     // givens
  /// Per input, its default value (converted to the input's dtype), if any.
  std::vector<std::optional<Array>> defaults;
  /// Where it runs, decided at the first call or compilation (device=cuda may
  /// fall back to the CPU), and the GPU architecture it compiles for.
  std::optional<Device> device;
  GpuTarget gpuTarget;
  std::size_t numOutputs = 0;
  /// Per update not written in place, the previous value's buffer, reused
  /// for the next new value when nobody else holds it.
  std::vector<Array> spares;
  /// Per output, the array the previous call returned: its buffer is reused
  /// when the caller no longer holds it.
  std::vector<Array> previousOutputs;

  struct Specialization {
    std::unique_ptr<runtime::CompiledFunction> code;
    std::string theonIR; // the emitted module, for ir()
    std::vector<Shape> outputShapes;
    /// Per update: written into the shared variable's own buffer (its new
    /// value has the same shape), so it is not a result of the code.
    std::vector<bool> inPlace;
    /// Index arguments of take ops, checked before each call.
    struct IndexCheck {
      std::size_t argument;
      std::int64_t size;  // of the indexed axis
      std::string target; // "axis 0 of 'x'", for the error
    };
    std::vector<IndexCheck> indexChecks;
    /// What each index site of the compiled code indexes.
    std::vector<std::string> indexSites;
    CompileInfo info;
    /// Compiled for the GPU: called through callOnDevice.
    bool onGpu = false;
    /// Compiled for every sequence length (its key has kDynamicExtent on
    /// the step axis of `stepAxisInputs`): the fewest steps its indices
    /// allow.
    std::int64_t minLength = 0;
    /// When it last became the entry in use, for least-recently-used eviction.
    std::uint64_t lastUsed = 0;
  };
  mutable std::mutex mutex;
  /// One call at a time per function: calls share the update buffers, the
  /// argument and new-value lists and the descriptor storage.
  std::mutex callMutex;
  std::vector<Array> checkedInputs;       // the inputs as checked; empty between calls
  std::vector<const Array *> arguments;   // inputs, then shared values (no copies)
  std::vector<Array> newValues; // one per update not in place; empty between calls
  std::vector<ByteRange> ranges; // of `arguments`, to find overlaps
  std::shared_ptr<ProfileRecord> profile = std::make_shared<ProfileRecord>();
  bool profileRegistered = false; // guarded by callMutex

  /// Adds this function to the profile summary at its first profiled call.
  void registerProfile() {
    if (profileRegistered)
      return;
    profileRegistered = true;
    profile->stats.name = options.name;
    static std::once_flag atExit;
    std::call_once(atExit, [] {
      profileRegistry(); // constructed before the handler, so destroyed after it
      std::atexit([] {
        if (config().profile)
          print_profile(std::cerr);
      });
    });
    ProfileRegistry &registry = profileRegistry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    registry.records.push_back(profile);
  }
  runtime::PackedArguments descriptors;
  /// The inputs whose first axis a scan steps along (found at the first
  /// compile): a function is compiled once for all their lengths, unless
  /// `stepLengthRefused` (something needs the length as a number).
  std::optional<std::vector<std::size_t>> stepAxisInputs;
  bool stepLengthRefused = false;
  using Cache = std::map<std::vector<Shape>, std::shared_ptr<Specialization>>;
  Cache cache;
  /// The entry used most recently (cache.end() before the first call).
  Cache::iterator last = cache.end();
  std::uint64_t useClock = 0;

  /// The most recent specialization, or null; the caller holds `mutex`.
  std::shared_ptr<Specialization> lastSpecialization() const {
    return last == cache.end() ? nullptr : last->second;
  }

  /// The position of shared variable `var` among the code's arguments.
  std::size_t argumentIndex(const Node *var) const {
    return inputNodes.size() + static_cast<std::size_t>(
        std::find(sharedNodes.begin(), sharedNodes.end(), var) - sharedNodes.begin());
  }

  std::vector<Node *> argumentNodes() const {
    std::vector<Node *> args = inputNodes;
    args.insert(args.end(), sharedNodes.begin(), sharedNodes.end());
    return args;
  }

  std::string argumentList() const {
    std::string s;
    for (std::size_t i = 0; i < inputNodes.size(); ++i)
      s += (i ? ", " : "") + inputs[i].type_string();
    return s;
  }

  std::string describeArg(std::size_t i) const {
    return "function '" + options.name + "': argument " + std::to_string(i) + " (" +
           inputs[i].type_string() + ")";
  }

  /// The argument converted for input `i`, or nullopt when the caller's
  /// array is used as it is (the common case: no copy).
  std::optional<Array> checkArgument(std::size_t i, const Argument &arg) const {
    const Node &in = *inputNodes[i];
    const Array &value = arg.array();
    // Built only for an error message: calls are on the hot path.
    auto who = [&] { return describeArg(i); };
    if (arg.from_literal()) {
      if (!arg.too_large().empty())
        throw TypeError(who() + ": the number " + arg.too_large() + " cannot be converted to " +
                        dtype_name(in.dtype) + " without loss");
      if (in.ndim() != 0)
        throw TypeError(who() + ": got a number, expected an array with " +
                        std::to_string(in.ndim()) + " dimensions");
      return convertLiteral(value, in.dtype, who());
    }
    checkShape(i, value.shape());
    if (value.dtype() != in.dtype) {
      if (!can_cast_safely(value.dtype(), in.dtype) && !options.allow_input_downcast)
        throw TypeError(who() + ": got " + withArticle(dtype_name(value.dtype())) + " array; converting it to " +
                        dtype_name(in.dtype) +
                        " may lose precision (cast it, or set allow_input_downcast)");
      return value.astype(in.dtype); // contiguous
    }
    if (!value.is_contiguous())
      return value.copy();
    return std::nullopt;
  }

  /// The checks a shape for input `i` must pass, for a call or for ir().
  void checkShape(std::size_t i, const Shape &shape) const {
    const Node &in = *inputNodes[i];
    if (static_cast<int>(shape.size()) != in.ndim())
      throw TypeError(describeArg(i) + ": got a " + std::to_string(shape.size()) +
                      "-d shape " + shape_to_string(shape) + ", expected " +
                      std::to_string(in.ndim()) + " dimensions");
    for (std::size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] < 0)
        throw ShapeError(describeArg(i) + ": negative dimension in shape " +
                         shape_to_string(shape));
      if (in.broadcastable[d] && shape[d] != 1)
        throw ShapeError(describeArg(i) + ": dimension " + std::to_string(d) +
                         " is broadcastable and must have size 1, got shape " +
                         shape_to_string(shape));
    }
  }

  std::shared_ptr<Specialization> compile(const std::vector<Shape> &shapes) {
    auto start = Clock::now();
    bool onGpu = deviceLocked() == Device::Cuda;
    std::vector<Node *> args = argumentNodes();
    auto ctx = runtime::makeContext();
    EmittedFunction emitted =
        emitFunction(*ctx, options.name, args, shapes, resultNodes, &substitutions);
    auto spec = std::make_shared<Specialization>();
    std::vector<InPlaceUpdate> inPlace;
    const auto &entries = updates.entries();
    for (std::size_t u = 0; u < entries.size(); ++u) {
      std::size_t arg = argumentIndex(entries[u].first.node().get());
      std::size_t result = numOutputs + u;
      // On the GPU every new value gets a buffer of its own: the old one is
      // the variable's value until the whole call succeeded.
      bool sameShape = !onGpu && emitted.shapeOf(resultNodes[result]) == shapes[arg];
      spec->inPlace.push_back(sameShape);
      if (sameShape)
        inPlace.emplace_back(arg, result);
    }
    markInPlaceUpdates(*emitted.module, inPlace);
    mlir::ModuleOp module = *emitted.module;
    double emitMs = msSince(start);

    {
      llvm::raw_string_ostream os(spec->theonIR);
      module->print(os);
    }
    for (Node *out : resultNodes) {
      const Shape &shape = emitted.shapeOf(out);
      if (hasDynamicExtent(shape))
        throw DynamicExtent(out->describe() + " has a scan's number of steps as an extent, "
                            "and outputs are allocated before the call");
      spec->outputShapes.push_back(shape);
    }
    spec->minLength = emitted.minLength;
    for (const auto &check : emitted.argumentIndexChecks)
      for (std::size_t i = 0; i < inputNodes.size(); ++i)
        if (check.indices == inputNodes[i])
          spec->indexChecks.push_back({i, check.size, check.target});
    spec->indexSites = emitted.indexSites;

    // The disk cache is keyed by the emitted module: a hit skips the whole
    // pipeline and LLVM.
    std::optional<runtime::DiskCache> cache = usableDiskCache();
    std::string key;
    if (cache)
      key = runtime::DiskCache::keyFor(
          onGpu ? spec->theonIR + "\n// device=cuda " + gpuTarget.architecture +
                      (gpuTarget.cublas ? " cublas" : "")
                : spec->theonIR,
          runtime::compilationFingerprint());
    std::unique_ptr<llvm::MemoryBuffer> object = cache ? cache->load(key) : nullptr;
    runtime::StageTimings timings;
    spec->info.from_disk_cache = object != nullptr;
    if (!object) {
      object = onGpu ? runtime::compileToObject(module, options.name, &timings,
                                                runtime::gpuPipelineOptions(gpuTarget.architecture,
                                                                            gpuTarget.cublas))
                     : runtime::compileToObject(module, options.name, &timings);
      if (cache && !cache->store(key, object->getBuffer()))
        logger().warn("cannot write the compile cache in '{}'", cache->directory());
      else if (cache && config().cache_max_mb > 0)
        cache->prune(static_cast<std::uint64_t>(config().cache_max_mb) << 20);
    }
    auto linkStart = Clock::now();
    spec->code = std::make_unique<runtime::CompiledFunction>(std::move(object), options.name);
    spec->onGpu = onGpu;
    if (onGpu)
      checkKernelsLoaded("function '" + options.name + "'");
    timings.emplace_back("link", msSince(linkStart));
    spec->info.milliseconds = msSince(start);
    {
      std::lock_guard<std::mutex> lock(profile->mutex);
      profile->stats.compiles++;
      profile->stats.compile_ms += spec->info.milliseconds;
      profile->stats.disk_cache_hits += spec->info.from_disk_cache ? 1 : 0;
    }
    if (logger().should_log(spdlog::level::debug)) {
      std::string stages = fmt::format("emit {:.1f} ms", emitMs);
      for (const auto &[stage, ms] : timings)
        stages += fmt::format(", {} {:.1f} ms", stage, ms);
      logger().debug("{} '{}' for shapes [{}] in {:.1f} ms: {}",
                     spec->info.from_disk_cache ? "loaded cached" : "compiled", options.name,
                     joinShapes(shapes), spec->info.milliseconds, stages);
    }
    return spec;
  }

  /// Where calls run, chosen the first time it is needed; `mutex` held.
  Device deviceLocked() {
    if (!device)
      device = resolveDevice(options.device, "function '" + options.name + "'", &gpuTarget);
    return *device;
  }
  Device callDevice() {
    std::lock_guard<std::mutex> lock(mutex);
    return deviceLocked();
  }

  /// An argument in GPU memory: as it is for a GPU function (exact dtype,
  /// contiguous), copied to the host for a CPU one (into `host`).
  const Array *deviceArgument(std::size_t i, const Array &value, std::vector<Array> &host) {
    if (callDevice() == Device::Cpu) {
      Argument copied(value.to("cpu"));
      std::optional<Array> converted = checkArgument(i, copied);
      host.push_back(converted ? std::move(*converted) : copied.array());
      return &host.back();
    }
    checkShape(i, value.shape());
    if (value.dtype() != inputNodes[i]->dtype)
      throw TypeError(describeArg(i) + ": got " + withArticle(dtype_name(value.dtype())) +
                      " array in GPU memory, expected " + dtype_name(inputNodes[i]->dtype) +
                      " (arrays on the device are not converted: convert it before .to(\"cuda\"))");
    if (!value.is_contiguous())
      throw ValueError(describeArg(i) + ": a strided view in GPU memory (a transposed array?) "
                       "cannot be passed; pass a contiguous array");
    return &value;
  }

  /// Whether the specialization compiled for `key` runs `values`: equal
  /// shapes, where a step axis (kDynamicExtent) takes one length, at least
  /// `spec.minLength`, shared by all of them.
  static bool fits(const std::vector<Shape> &key, const Specialization &spec,
                   const std::vector<const Array *> &values) {
    if (key.size() != values.size())
      return false;
    std::int64_t length = -1;
    for (std::size_t i = 0; i < key.size(); ++i) {
      const Shape &shape = values[i]->shape();
      if (key[i].size() != shape.size())
        return false;
      for (std::size_t d = 0; d < shape.size(); ++d) {
        if (key[i][d] == shape[d])
          continue;
        if (key[i][d] != kDynamicExtent || (length >= 0 && shape[d] != length) ||
            shape[d] < spec.minLength)
          return false;
        length = shape[d];
      }
    }
    return true;
  }

  /// The specialization for the shapes of `values` (a call's arguments).
  std::shared_ptr<Specialization> specialization(const std::vector<const Array *> &values) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (last != cache.end() && // a training loop's common case: no Shape copies
          fits(last->first, *last->second, values))
        return last->second;
    }
    std::vector<Shape> shapes;
    shapes.reserve(values.size());
    for (const Array *value : values)
      shapes.push_back(value->shape());
    return specialization(shapes);
  }

  /// The inputs whose first axis is a scan's step axis: each sequence of
  /// a scan that is an input as it is (no taps, no n_steps).
  std::vector<std::size_t> findStepAxisInputs() const {
    std::set<std::size_t> found;
    for (Node *n : topologicalOrder(resultNodes, &substitutions)) {
      if (n->kind != OpKind::ScanGroup || n->ints[2] >= 0 || n->ints[3] != 0)
        continue;
      for (std::size_t i = 0; i < static_cast<std::size_t>(n->ints[0]); ++i) {
        auto in = std::find(inputNodes.begin(), inputNodes.end(), n->inputs[i].get());
        if (in != inputNodes.end())
          found.insert(static_cast<std::size_t>(in - inputNodes.begin()));
      }
    }
    return {found.begin(), found.end()};
  }

  /// The key of the specialization compiled for every sequence length that
  /// serves `shapes` (the step axes marked kDynamicExtent), and the length;
  /// nullopt when there is none to try. `mutex` held.
  std::optional<std::pair<std::vector<Shape>, std::int64_t>>
  stepLengthKey(const std::vector<Shape> &shapes) {
    if (!stepAxisInputs)
      stepAxisInputs = findStepAxisInputs();
    if (stepAxisInputs->empty() || stepLengthRefused || deviceLocked() != Device::Cpu)
      return std::nullopt;
    std::vector<Shape> key = shapes;
    std::int64_t length = shapes[stepAxisInputs->front()].at(0);
    for (std::size_t i : *stepAxisInputs) {
      if (shapes[i].at(0) != length) // sequences of different lengths: n_steps is the least
        return std::nullopt;
      key[i][0] = kDynamicExtent;
    }
    return std::make_pair(std::move(key), length);
  }

  std::shared_ptr<Specialization> specialization(const std::vector<Shape> &shapes) {
    std::lock_guard<std::mutex> lock(mutex);
    if (last != cache.end() && last->first == shapes)
      return last->second;
    if (auto step = stepLengthKey(shapes)) {
      auto it = cache.find(step->first);
      if (it == cache.end()) {
        try {
          it = cache.emplace(step->first, compile(step->first)).first;
          evictBeyond(static_cast<std::size_t>(std::max(0, config().max_specializations)), it);
        } catch (const Error &e) {
          // Compiled for this length instead, from now on.
          stepLengthRefused = true;
          logger().debug("function '{}' is compiled for each sequence length: {}", options.name,
                         e.what());
        }
      }
      // An index into the step axis out of range: the static compile says so.
      if (it != cache.end() && step->second >= it->second->minLength) {
        last = it;
        it->second->lastUsed = ++useClock;
        return it->second;
      }
    }
    auto it = cache.find(shapes);
    if (it == cache.end()) { // a failed compile leaves `last` as it was
      it = cache.emplace(shapes, compile(shapes)).first;
      evictBeyond(static_cast<std::size_t>(std::max(0, config().max_specializations)), it);
    }
    last = it;
    it->second->lastUsed = ++useClock;
    return it->second;
  }

  /// Throws the error for a failure the compiled code recorded (it returned
  /// before writing any shared variable).
  [[noreturn]] void reportFailure(const Specialization &spec,
                                  const runtime::CallFailure &failure) const {
    if (failure.kind == runtime::CallFailure::Kind::Allocation)
      throw MemoryError("function '" + options.name + "': compiled code could not allocate " +
                        std::to_string(failure.bytes) +
                        " bytes for a temporary; shared variables are unchanged");
    std::string where = failure.site >= 0 && static_cast<std::size_t>(failure.site) <
                                                 spec.indexSites.size()
                            ? spec.indexSites[static_cast<std::size_t>(failure.site)]
                            : std::string("an axis");
    throw IndexError("function '" + options.name + "': index " + std::to_string(failure.value) +
                     " is out of bounds for " + where + " with size " +
                     std::to_string(failure.size) + " (valid: " +
                     std::to_string(-failure.size) + " to " + std::to_string(failure.size - 1) +
                     "); shared variables are unchanged");
  }

  /// Drops the least recently used specializations beyond `limit` (0: no
  /// limit), never `keep`. A call still running one holds it until it ends.
  void evictBeyond(std::size_t limit, Cache::iterator keep) {
    while (limit != 0 && cache.size() > limit) {
      auto oldest = cache.end();
      for (auto it = cache.begin(); it != cache.end(); ++it)
        if (it != keep && (oldest == cache.end() || it->second->lastUsed < oldest->second->lastUsed))
          oldest = it;
      if (oldest == last)
        last = cache.end();
      cache.erase(oldest);
    }
  }
};

namespace {

/// The disk cache, when it is on and its directory is safe to run code
/// from; says once per directory why not.
std::optional<runtime::DiskCache> usableDiskCache() {
  if (!config().cache)
    return std::nullopt;
  static std::mutex mutex;
  static std::set<std::string> refused;
  std::lock_guard<std::mutex> lock(mutex);
  if (config().cache_dir.empty()) {
    if (refused.insert("").second)
      logger().info("the disk cache is off: neither XDG_CACHE_HOME nor HOME is set "
                    "(THEON_FLAGS=cache_dir=DIR turns it on)");
    return std::nullopt;
  }
  runtime::DiskCache cache(config().cache_dir);
  std::string why;
  if (!cache.isSafe(why)) {
    if (refused.insert(config().cache_dir).second)
      logger().warn("not using the compile cache in '{}': {}; compiling without it",
                    config().cache_dir, why);
    return std::nullopt;
  }
  return cache;
}

/// NumPy's rule for an index into an axis of `size`: -size <= i < size.
/// `who` names the argument and `target` the indexed axis, both used only
/// for the error.
template <class Who>
void checkIndices(const Array &indices, std::int64_t size, const Who &who,
                  const std::string &target) {
  auto report = [&](std::int64_t k, std::int64_t i) {
    throw IndexError(who() + ": index " + std::to_string(i) + " at position " +
                     std::to_string(k) + " is out of bounds for " + target + " with size " +
                     std::to_string(size) + " (valid: " + std::to_string(-size) + " to " +
                     std::to_string(size - 1) + ")");
  };
  auto scan = [&](const auto *data) { // contiguous: checked arguments are
    for (std::int64_t k = 0, n = indices.size(); k < n; ++k)
      if (data[k] < -size || data[k] >= size)
        report(k, static_cast<std::int64_t>(data[k]));
  };
  switch (indices.dtype()) {
  case DType::Int32: return scan(indices.data<std::int32_t>());
  case DType::Int64: return scan(indices.data<std::int64_t>());
  default:
    for (std::int64_t k = 0; k < indices.size(); ++k) {
      double i = indices.get_flat(k);
      if (i < -static_cast<double>(size) || i >= static_cast<double>(size))
        report(k, static_cast<std::int64_t>(i));
    }
  }
}

/// The locks of a call's shared variables, taken in `sharedNodes`' order
/// (by id, the same in every function, so two calls cannot deadlock):
/// exclusive for the variables the call updates, shared for the others.
class SharedValueLocks {
public:
  SharedValueLocks(const std::vector<Node *> &nodes, const std::vector<bool> &updated)
      : nodes_(nodes), updated_(updated) {
    for (; locked_ < nodes_.size(); ++locked_) {
      if (updated_[locked_])
        nodes_[locked_]->valueMutex.lock();
      else
        nodes_[locked_]->valueMutex.lock_shared();
    }
  }
  ~SharedValueLocks() {
    while (locked_ > 0) {
      --locked_;
      if (updated_[locked_])
        nodes_[locked_]->valueMutex.unlock();
      else
        nodes_[locked_]->valueMutex.unlock_shared();
    }
  }
  SharedValueLocks(const SharedValueLocks &) = delete;
  SharedValueLocks &operator=(const SharedValueLocks &) = delete;

private:
  const std::vector<Node *> &nodes_;
  const std::vector<bool> &updated_;
  std::size_t locked_ = 0;
};

/// Empties a per-call list on every way out of a call, so that no buffer is
/// held between calls (a held update buffer could not be recycled).
template <class T> struct ClearOnExit {
  std::vector<T> &list;
  ~ClearOnExit() { list.clear(); }
};

} // namespace

std::vector<Array> Function::operator()(const std::vector<Argument> &args) const {
  Impl &impl = *impl_;
  if (args.size() < impl.inputNodes.size() &&
      std::all_of(impl.defaults.begin() + static_cast<std::ptrdiff_t>(args.size()),
                  impl.defaults.end(), [](const auto &d) { return d.has_value(); })) {
    std::vector<Argument> full = args; // left-out trailing inputs take their defaults
    for (std::size_t i = args.size(); i < impl.inputNodes.size(); ++i)
      full.emplace_back(*impl.defaults[i]);
    return (*this)(full);
  }
  std::lock_guard<std::mutex> callLock(impl.callMutex);
  const bool profiling = config().profile;
  Clock::time_point callStart;
  double codeSeconds = 0, compileMsBefore = 0;
  if (profiling) {
    callStart = Clock::now();
    impl.registerProfile();
    std::lock_guard<std::mutex> lock(impl.profile->mutex);
    compileMsBefore = impl.profile->stats.compile_ms;
  }
  applyThreadSetting();
  if (args.size() != impl.inputNodes.size())
    throw TypeError("function '" + impl.options.name + "' takes " +
                    std::to_string(impl.inputNodes.size()) + " argument" +
                    (impl.inputNodes.size() == 1 ? "" : "s") + " (" + impl.argumentList() +
                    "), got " + std::to_string(args.size()));
  // Pointers to the arguments: the shared values are not copied (no
  // reference counting per call).
  std::vector<Array> &checked = impl.checkedInputs;
  std::vector<const Array *> &values = impl.arguments;
  std::vector<Array> &newValues = impl.newValues;
  ClearOnExit<Array> clearChecked{checked}, clearNewValues{newValues};
  ClearOnExit<const Array *> clearValues{values};
  checked.reserve(args.size()); // no reallocation under the pointers below
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].array().on_device()) {
      values.push_back(impl.deviceArgument(i, args[i].array(), checked));
      continue;
    }
    if (std::optional<Array> converted = impl.checkArgument(i, args[i])) {
      checked.push_back(std::move(*converted));
      values.push_back(&checked.back());
    } else {
      values.push_back(&args[i].array());
    }
  }
  // Held until the updates are in: another thread's set_value, get_value
  // or call that updates a variable this one uses waits, and sees the
  // values before this call or after it, never between.
  SharedValueLocks sharedLocks(impl.sharedNodes, impl.sharedUpdated);
  for (Node *s : impl.sharedNodes)
    values.push_back(s->storage.get());
  auto spec = impl.specialization(values);
  if (!spec->onGpu) // a GPU call's update may have left the host copies stale
    for (Node *s : impl.sharedNodes)
      syncToHost(*s);
  for (const auto &check : spec->indexChecks)
    checkIndices(values[check.argument]->on_device() ? values[check.argument]->to("cpu")
                                                     : *values[check.argument],
                 check.size,
                 [&] { return impl.describeArg(check.argument); }, check.target);

  // A shared variable updated in place must be the only user of its buffer:
  // a value borrowed with get_value(borrow=true), or an argument that
  // overlaps it, keeps the old contents, so the variable gets a private copy.
  const auto &entries = impl.updates.entries();
  if (llvm::is_contained(spec->inPlace, true)) {
    std::vector<ByteRange> &ranges = impl.ranges;
    ranges.clear();
    for (const Array *value : values)
      ranges.push_back(byteRange(*value));
    for (std::size_t u = 0; u < entries.size(); ++u) {
      if (!spec->inPlace[u])
        continue;
      Node *var = entries[u].first.node().get();
      Array &storage = *var->storage;
      std::size_t k = impl.argumentIndex(var);
      bool shared = storage.use_count() > 1;
      for (std::size_t j = 0; j < ranges.size() && !shared; ++j)
        shared = j != k && ranges[j].overlaps(ranges[k]);
      if (shared) { // values[k] points to `storage`, now the copy
        storage = storage.copy();
        ranges[k] = byteRange(storage);
      }
    }
  }

  // Outputs: the previous call's output when the caller has dropped it
  // (nothing else holds its buffer), else a new array. Other updates: a
  // spare buffer of the right shape when nothing else holds it.
  std::vector<Array> outputs;
  outputs.reserve(impl.numOutputs);
  const bool outputsOnDevice = spec->onGpu && impl.options.outputs_on_device;
  for (std::size_t i = 0; i < impl.resultNodes.size(); ++i) {
    DType dtype = impl.resultNodes[i]->dtype;
    const Shape &shape = spec->outputShapes[i];
    if (i < impl.numOutputs) {
      Array &previous = impl.previousOutputs[i];
      if (!(previous.use_count() == 1 && previous.shape() == shape && previous.dtype() == dtype &&
            previous.on_device() == outputsOnDevice))
        previous = outputsOnDevice ? deviceArray(shape, dtype) : Array(shape, dtype);
      outputs.push_back(previous);
      continue;
    }
    std::size_t u = i - impl.numOutputs;
    if (spec->inPlace[u] || spec->onGpu) // a GPU call's new values stay on the device
      continue;
    Array &spare = impl.spares[u];
    if (spare.use_count() == 1 && spare.shape() == shape && spare.dtype() == dtype)
      newValues.push_back(std::move(spare)); // leaves `spare` empty, allocating nothing
    else
      newValues.emplace_back(shape, dtype);
  }

  if (spec->onGpu) {
    DeviceCall call;
    call.inputs.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(args.size()));
    call.shared = impl.sharedNodes;
    for (Array &a : outputs)
      call.outputs.push_back(&a);
    for (std::size_t u = 0; u < entries.size(); ++u)
      call.updates.emplace_back(entries[u].first.node().get(),
                                spec->outputShapes[impl.numOutputs + u]);
    call.checksIndices = !spec->indexSites.empty();
    auto codeStart = Clock::now();
    runtime::CallFailure failure =
        callOnDevice(*spec->code, call, "function '" + impl.options.name + "'");
    codeSeconds = msSince(codeStart) / 1000;
    if (failure.kind != runtime::CallFailure::Kind::None)
      impl.reportFailure(*spec, failure);
  } else {
    impl.descriptors.clear();
    for (const Array *a : values)
      impl.descriptors.add(a->raw_data(), a->shape());
    for (const auto *list : {&outputs, &newValues})
      for (const Array &a : *list)
        impl.descriptors.add(a.raw_data(), a.shape());
    runtime::takeCallFailure(); // nothing stale from another caller
    if (profiling) {
      auto codeStart = Clock::now();
      spec->code->call(impl.descriptors.pack());
      codeSeconds = msSince(codeStart) / 1000;
    } else {
      spec->code->call(impl.descriptors.pack());
    }
    // The compiled code returned early, before writing any argument.
    if (runtime::CallFailure failure = runtime::takeCallFailure();
        failure.kind != runtime::CallFailure::Kind::None)
      impl.reportFailure(*spec, failure);
  }

  // Every result is computed (and in-place updates written): now the other
  // updates take effect, all together.
  for (std::size_t u = 0, next = 0; u < entries.size() && !spec->onGpu; ++u) {
    hostValueChanged(*entries[u].first.node());
    if (spec->inPlace[u])
      continue;
    Array &storage = *entries[u].first.node()->storage;
    Array old = std::move(storage);
    storage = std::move(newValues[next++]);
    impl.spares[u] = std::move(old);
  }
  if (profiling) {
    std::lock_guard<std::mutex> lock(impl.profile->mutex);
    impl.profile->stats.calls++;
    double compiledMs = impl.profile->stats.compile_ms - compileMsBefore;
    impl.profile->stats.call_seconds += (msSince(callStart) - compiledMs) / 1000;
    impl.profile->stats.code_seconds += codeSeconds;
  }
  return outputs;
}

std::vector<FunctionProfile> profile_stats() {
  ProfileRegistry &registry = profileRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  std::vector<FunctionProfile> out;
  for (const auto &record : registry.records) {
    std::lock_guard<std::mutex> recordLock(record->mutex);
    out.push_back(record->stats);
  }
  return out;
}

void reset_profile() {
  ProfileRegistry &registry = profileRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  for (const auto &record : registry.records) {
    std::lock_guard<std::mutex> recordLock(record->mutex);
    std::string name = record->stats.name;
    record->stats = FunctionProfile{};
    record->stats.name = name;
  }
}

void print_profile(std::ostream &out) {
  std::vector<FunctionProfile> stats = profile_stats();
  out << fmt::format("Theon profile: {} function{}\n", stats.size(), stats.size() == 1 ? "" : "s");
  out << fmt::format("  {:<24} {:>9} {:>10} {:>10} {:>11} {:>9} {:>11} {:>11}\n", "function",
                     "calls", "total s", "mean us", "in code us", "compiles", "compile ms",
                     "from cache");
  for (const FunctionProfile &p : stats) {
    double calls = static_cast<double>(std::max<std::uint64_t>(p.calls, 1));
    out << fmt::format("  {:<24} {:>9} {:>10.4f} {:>10.2f} {:>11.2f} {:>9} {:>11.1f} {:>11}\n",
                       p.name, p.calls, p.call_seconds, p.call_seconds / calls * 1e6,
                       p.code_seconds / calls * 1e6, p.compiles, p.compile_ms,
                       p.disk_cache_hits);
  }
}

std::string Function::ir(const std::string &stage) const {
  runtime::Stage s = runtime::stageFromName(stage);
  std::shared_ptr<Impl::Specialization> spec;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    spec = impl_->lastSpecialization();
  }
  if (!spec)
    throw ValueError("function '" + impl_->options.name +
                     "' has not been compiled yet: call it, or pass argument shapes to ir()");
  return s == runtime::Stage::Theon ? spec->theonIR : runtime::stageText(spec->theonIR, s);
}

std::string Function::ir(const std::string &stage, const std::vector<Shape> &shapes) const {
  runtime::Stage s = runtime::stageFromName(stage);
  if (shapes.size() != impl_->inputNodes.size())
    throw TypeError("function '" + impl_->options.name + "'.ir: " + std::to_string(shapes.size()) +
                    " shapes given for " + std::to_string(impl_->inputNodes.size()) + " inputs");
  for (std::size_t i = 0; i < shapes.size(); ++i)
    impl_->checkShape(i, shapes[i]);
  std::vector<Shape> all = shapes;
  for (Node *n : impl_->sharedNodes) {
    std::shared_lock<std::shared_mutex> lock(n->valueMutex);
    all.push_back(n->storage->shape());
  }
  auto spec = impl_->specialization(all);
  return s == runtime::Stage::Theon ? spec->theonIR : runtime::stageText(spec->theonIR, s);
}

Function::CompileInfo Function::last_compile() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto spec = impl_->lastSpecialization();
  if (!spec)
    throw ValueError("function '" + impl_->options.name + "' has not been compiled yet");
  return spec->info;
}

std::size_t Function::num_compiled() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->cache.size();
}

const std::vector<Variable> &Function::inputs() const { return impl_->inputs; }
const std::vector<Variable> &Function::outputs() const { return impl_->outputs; }
const Updates &Function::updates() const { return impl_->updates; }
const std::string &Function::name() const { return impl_->options.name; }

Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const FunctionOptions &options) {
  return function(inputs, outputs, Updates(), options);
}

Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const Updates &updates, const Givens &givens, const FunctionOptions &options) {
  FunctionOptions all = options;
  all.givens.insert(all.givens.end(), givens.begin(), givens.end());
  return function(inputs, outputs, updates, all);
}

namespace {

/// Checks `givens` against the inputs and builds the substitutions.
Substitutions substitutionsOf(const Givens &givens, const std::unordered_set<Node *> &inputs) {
  Substitutions subs;
  for (std::size_t i = 0; i < givens.size(); ++i) {
    const auto &[var, replacement] = givens[i];
    if (var.is_null() || replacement.is_null())
      throw ValueError("function: givens entry " + std::to_string(i) + " has a null Variable");
    Node *key = var.node().get();
    if (inputs.count(key))
      throw ValueError("function: givens replaces " + key->describe() +
                       ", which is an input of the function; replace a variable that is not "
                       "an input (or drop it from the inputs)");
    if (key->kind == OpKind::Constant)
      throw ValueError("function: givens replaces a constant (" + key->describe() + ")");
    if (replacement.dtype() != var.dtype() || replacement.ndim() != var.ndim())
      throw TypeError("function: givens replaces " + key->describe() + " (" + var.type_string() +
                      ") by " + replacement.node()->describe() + " (" + replacement.type_string() +
                      "); a replacement must have the same dtype and number of dimensions");
    for (int d = 0; d < var.ndim(); ++d)
      if (var.broadcastable()[static_cast<std::size_t>(d)] &&
          !replacement.broadcastable()[static_cast<std::size_t>(d)])
        throw TypeError("function: givens replaces " + key->describe() + ", whose axis " +
                        std::to_string(d) + " is broadcastable, by " +
                        replacement.node()->describe() + ", whose axis is not (T::addbroadcast "
                        "it if its size is 1)");
    if (!subs.emplace(key, replacement.node().get()).second)
      throw ValueError("function: givens replaces " + key->describe() + " twice");
  }
  // Replacements are not substituted again: one that reads a replaced
  // variable would make the graph circular.
  for (const auto &[key, replacement] : subs)
    for (Node *n : topologicalOrder({replacement}))
      if (subs.count(n))
        throw ValueError("function: the replacement of " + key->describe() + " in givens depends on " +
                         n->describe() + ", which givens also replaces");
  return subs;
}

} // namespace

Function function(const std::vector<Variable> &inputs, const std::vector<Variable> &outputs,
                  const Updates &updates, const FunctionOptions &options) {
  auto impl = std::make_shared<Function::Impl>();
  impl->inputs = inputs;
  impl->outputs = outputs;
  impl->updates = updates;
  impl->options = options;
  if (options.name.empty())
    throw ValueError("function: the name option must not be empty");
  if (!options.device.empty() && options.device != "cpu" && options.device != "cuda")
    throw ValueError("function '" + options.name + "': device must be cpu or cuda, got '" +
                     options.device + "'");
  std::unordered_set<Node *> inputSet;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].is_null())
      throw ValueError("function: input " + std::to_string(i) + " is a null Variable");
    Node *n = inputs[i].node().get();
    if (n->kind == OpKind::Shared)
      throw TypeError("function: input " + std::to_string(i) + " (" + n->describe() +
                      ") is a shared variable; shared variables are never inputs, a "
                      "function reads their value at each call");
    if (n->kind != OpKind::Input)
      throw TypeError("function: input " + std::to_string(i) + " (" + n->describe() +
                      ") is not a symbolic input; inputs come from T::matrix() and friends");
    if (!inputSet.insert(n).second)
      throw ValueError("function: input " + std::to_string(i) + " (" + n->describe() +
                       ") appears more than once");
    impl->inputNodes.push_back(n);
  }
  impl->substitutions = substitutionsOf(options.givens, inputSet);
  impl->defaults.resize(inputs.size());
  for (const auto &[var, value] : options.defaults) {
    auto at = var.is_null() ? impl->inputNodes.end()
                            : std::find(impl->inputNodes.begin(), impl->inputNodes.end(),
                                        var.node().get());
    if (at == impl->inputNodes.end())
      throw ValueError("function: a default value is given for " +
                       (var.is_null() ? std::string("a null Variable") : var.node()->describe()) +
                       ", which is not an input");
    auto i = static_cast<std::size_t>(at - impl->inputNodes.begin());
    std::optional<Array> converted = impl->checkArgument(i, Argument(value));
    impl->defaults[i] = converted ? *converted : value.copy();
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].is_null())
      throw ValueError("function: output " + std::to_string(i) + " is a null Variable");
    impl->resultNodes.push_back(outputs[i].node().get());
  }
  impl->numOutputs = outputs.size();
  for (const auto &[var, value] : updates.entries())
    impl->resultNodes.push_back(value.node().get());
  // Default updates (a random stream's counter) of the shared variables the
  // results read, and of those their default updates read in turn.
  for (bool added = !options.no_default_updates; added;) {
    added = false;
    for (Node *n : topologicalOrder(impl->resultNodes, &impl->substitutions)) {
      if (n->kind != OpKind::Shared || !n->defaultUpdate)
        continue;
      bool hasUpdate = llvm::any_of(impl->updates.entries(), [&](const auto &entry) {
        return entry.first.node().get() == n;
      });
      if (hasUpdate)
        continue;
      SharedVariable var(n->shared_from_this());
      Variable next = n->defaultUpdate(var);
      impl->updates.add(var, next);
      impl->resultNodes.push_back(next.node().get());
      added = true;
    }
  }
  impl->spares.resize(impl->updates.size());
  impl->previousOutputs.resize(outputs.size());

  std::vector<Node *> readShared;
  std::unordered_set<Node *> used;
  for (Node *n : topologicalOrder(impl->resultNodes, &impl->substitutions)) {
    if (impl->substitutions.count(n))
      continue; // replaced: neither read nor an input
    if (n->kind == OpKind::Input && !inputSet.count(n))
      throw ValueError("function: the outputs depend on input " + n->describe() +
                       ", which is not in the inputs list");
    if (n->kind == OpKind::Shared)
      readShared.push_back(n);
    used.insert(n);
  }
  // Theano's on_unused_input: an input nothing uses is usually a mistake.
  for (std::size_t i = 0; i < impl->inputNodes.size(); ++i) {
    Node *n = impl->inputNodes[i];
    if (used.count(n) || options.on_unused_input == OnUnusedInput::Ignore)
      continue;
    std::string message = "function '" + options.name + "': input " + std::to_string(i) + " (" +
                          n->describe() + ") is not used by any output or update";
    if (options.on_unused_input == OnUnusedInput::Raise)
      throw ValueError(message + " (FunctionOptions::on_unused_input = OnUnusedInput::Warn "
                                 "or Ignore accepts it)");
    logger().warn("{}", message);
  }
  // Updated shared variables are arguments too (their value may be unread,
  // but their shape is part of the signature).
  for (const auto &[var, value] : impl->updates.entries())
    if (std::find(readShared.begin(), readShared.end(), var.node().get()) == readShared.end())
      readShared.push_back(var.node().get());
  std::sort(readShared.begin(), readShared.end(),
            [](Node *a, Node *b) { return a->id < b->id; });
  impl->sharedNodes = readShared;
  for (Node *n : readShared)
    impl->sharedUpdated.push_back(llvm::any_of(
        impl->updates.entries(), [&](const auto &entry) { return entry.first.node().get() == n; }));
  return Function(impl);
}

} // namespace theon
