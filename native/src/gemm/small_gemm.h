// native/src/gemm/small_gemm.h — float products too small for the packed GEMM to pay off (see small_gemm.cc).
#pragma once

#include <cstdint>

namespace kindling {

// The bounds of a small product: one 16-float vector wide, and little enough work that one thread is
// right for it.
constexpr int64_t kSmallGemmMaxN = 16;
constexpr int64_t kSmallGemmMaxK = 256;
constexpr int64_t kSmallGemmMaxWork = int64_t(1) << 20;

// C[m x n] = A[m x k] · B[k x n] on the calling thread, with element (i, p) of A at A[i * a_rs + p * a_cs],
// (p, j) of B at B[p * b_rs + j * b_cs] and (i, j) of C at C[i * c_rs + j]; false (nothing written)
// when the product is not small.
bool small_sgemm(int64_t m, int64_t n, int64_t k, const float* A, int64_t a_rs, int64_t a_cs, const float* B,
                 int64_t b_rs, int64_t b_cs, float* C, int64_t c_rs);

}  // namespace kindling
