#include "theon/config.h"

#include <cstdlib>
#include <sstream>

#include "lib/log.h"
#include "theon/error.h"

namespace theon {
namespace {

std::string defaultCacheDir() {
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/theon";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/theon";
  return "";
}

int parseInt(const std::string &key, const std::string &value) {
  try {
    std::size_t used = 0;
    int v = std::stoi(value, &used);
    if (used == value.size() && v >= 0)
      return v;
  } catch (const std::exception &) {
  }
  throw ValueError("THEON_FLAGS: " + key + " must be a non-negative integer, got '" + value + "'");
}

Config readFlags() {
  Config config;
  config.cache_dir = defaultCacheDir();
  const char *flags = std::getenv("THEON_FLAGS");
  if (!flags)
    return config;
  std::stringstream stream(flags);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty())
      continue;
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw ValueError("THEON_FLAGS: expected key=value, got '" + item + "'");
    std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "floatX") {
      DType dtype = dtype_from_name(value);
      if (!is_float(dtype))
        throw ValueError("THEON_FLAGS: floatX must be float32 or float64, got '" + value + "'");
      config.floatX = dtype;
    } else if (key == "log") {
      if (spdlog::level::from_str(value) == spdlog::level::off && value != "off")
        throw ValueError("THEON_FLAGS: unknown log level '" + value +
                         "' (trace, debug, info, warn, error, off)");
      config.log = value;
    } else if (key == "cache_dir") {
      config.cache_dir = value;
    } else if (key == "cache") {
      config.cache = parseInt(key, value) != 0;
    } else if (key == "threads") {
      config.threads = parseInt(key, value);
    } else if (key == "max_specializations") {
      config.max_specializations = parseInt(key, value);
    } else if (key == "cache_max_mb") {
      config.cache_max_mb = parseInt(key, value);
    } else if (key == "profile") {
      config.profile = parseInt(key, value) != 0;
    } else if (key == "device") {
      if (value != "cpu" && value != "cuda")
        throw ValueError("THEON_FLAGS: device must be cpu or cuda, got '" + value + "'");
      config.device = value;
    } else if (key == "fallback") {
      if (value != "cpu" && value != "none")
        throw ValueError("THEON_FLAGS: fallback must be cpu or none, got '" + value + "'");
      config.fallback = value == "none" ? "" : value;
    } else if (key == "gpu_arch") {
      if (value.rfind("sm_", 0) != 0)
        throw ValueError("THEON_FLAGS: gpu_arch must look like sm_90, got '" + value + "'");
      config.gpu_arch = value;
    } else {
      throw ValueError("THEON_FLAGS: unknown setting '" + key +
                       "' (known: floatX, log, cache_dir, cache, cache_max_mb, threads, "
                       "max_specializations, profile, device, fallback, gpu_arch)");
    }
  }
  return config;
}

} // namespace

Config &config() {
  static Config instance = readFlags();
  return instance;
}

void apply_log_level() {
  auto level = spdlog::level::from_str(config().log);
  if (level == spdlog::level::off && config().log != "off")
    throw ValueError("unknown log level '" + config().log +
                     "' (trace, debug, info, warn, error, off)");
  detail::logger().set_level(level);
}

namespace detail {
spdlog::logger &logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto made = spdlog::stderr_color_mt("theon");
    made->set_pattern("[theon %l] %v");
    made->set_level(spdlog::level::from_str(config().log));
    return made;
  }();
  return *instance;
}
} // namespace detail

} // namespace theon
