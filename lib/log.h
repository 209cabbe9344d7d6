// Theon's spdlog logger, quiet (warn) by default; THEON_FLAGS=log=debug.
#pragma once

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace theon::detail {
spdlog::logger &logger();
} // namespace theon::detail
