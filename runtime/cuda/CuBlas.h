// cuBLAS, opened with dlopen like the driver: matrix products on the GPU
// (theon_gpu_gemm_*, called by code from theon-linalg-to-blas{gpu}).
#pragma once

#include <string>

namespace theon::runtime::cuda {

/// Whether cuBLAS can be loaded: `THEON_CUBLAS` when set (the tests' fake),
/// else libcublas.so.13, .so.12 or .so on the loader's path or in
/// /usr/local/cuda/lib64. When it cannot, `why` says why, and functions
/// compile their products as kernels instead.
bool cublasAvailable(std::string *why = nullptr);

} // namespace theon::runtime::cuda
