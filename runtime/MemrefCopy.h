// The strided copy that memref.copy lowers to when a side is not contiguous
// (a slice written into, or returned from, a larger buffer): MLIR's
// `memrefCopy`, declared by CRunnerUtils.h. Its library,
// libmlir_c_runner_utils, is not in Debian, so Theon's runtime defines it.
#pragma once

#include "mlir/ExecutionEngine/CRunnerUtils.h"
