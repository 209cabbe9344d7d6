// C entry points that Theon's compiled code calls for matrix products
// (theon-linalg-to-blas lowers linalg.matmul on memrefs to them). They take
// MLIR's C-interface memref descriptors.
#pragma once

#include <cstdint>

#include "mlir/ExecutionEngine/CRunnerUtils.h"

extern "C" {
/// C = op(A) op(B) + beta C, op transposing when the flag is set.
void _mlir_ciface_theon_gemm_f32(StridedMemRefType<float, 2> *a, StridedMemRefType<float, 2> *b,
                                 StridedMemRefType<float, 2> *c, std::int32_t transA,
                                 std::int32_t transB, float beta);
void _mlir_ciface_theon_gemm_f64(StridedMemRefType<double, 2> *a, StridedMemRefType<double, 2> *b,
                                 StridedMemRefType<double, 2> *c, std::int32_t transA,
                                 std::int32_t transB, double beta);
/// What runs float32 products that are not small: "dnnl" (oneDNN) or
/// "openblas" (THEON_BLAS at configure time).
const char *theon_blas_library(void);
}
