// Internal microkernel and packing-function declarations shared by the GEMM driver and the per-ISA kernel files.
#pragma once

#include <cstdint>

namespace kindling {

// A microkernel computes one MR x NR tile: C = alpha * Apanel * Bpanel + beta * C.
// a: packed MR x kc panel stored k-major ([p][0..MR)), b: packed kc x NR panel ([p][0..NR)).
// C is row-major with unit column stride and row stride ldc; beta == 0 never reads C.
// Edge tiles and non-unit column strides are handled by the driver through a temporary tile.
template <typename T>
using UKernelFn = void (*)(int64_t kc, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta);

// Packs rows [0, rows) x cols [0, kc) of a strided source into one k-major panel of width W
// (dst[p * W + i] = src[i * rs + p * cs]), zero-filling i in [rows, W).
// Used for both A panels (W = MR, rows = m) and B panels (W = NR, rows = n, with B's strides swapped).
// An edge kernel: the first `rows` rows of an MR x NR tile, from the same packed panels.
template <typename T>
using UKernelRowsFn = void (*)(int rows, int64_t kc, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta);

template <typename T>
using PackFn = void (*)(int64_t rows, int64_t kc, const T* src, int64_t rs, int64_t cs, T* dst);

// AVX-512 kernels (ukernel_f32_14x32_avx512.cc, ukernel_f64_14x16_avx512.cc).
void ukernel_f32_14x32_avx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                              float alpha, float beta);
void ukernel_f64_14x16_avx512(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                              double alpha, double beta);
// The first `rows` (1 to 13) rows of the f32 14 x 32 kernel's tile, for the last panel of M.
void ukernel_f32_rows_avx512(int rows, int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                             float beta);
// AVX2 + FMA kernels (ukernel_f32_6x16_avx2.cc, ukernel_f64_6x8_avx2.cc).
void ukernel_f32_6x16_avx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                           float alpha, float beta);
void ukernel_f64_6x8_avx2(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                          double alpha, double beta);
// Portable scalar kernels (ukernel_f32_4x4_scalar.cc); also the oracle for kernel tests.
void ukernel_f32_4x4_scalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                            float alpha, float beta);
void ukernel_f64_4x4_scalar(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                            double alpha, double beta);

}  // namespace kindling

namespace kindling {

// GEMV kernels with contiguous x and y (the driver in gemm.cc gathers/scatters strided vectors).
// n: y[i] = alpha * sum_p A[i * lda + p] * x[p] + beta * y[i] for i < m.
// t: y[i] = alpha * sum_p A[p * lda + i] * x[p] + beta * y[i] for i < m, p < k.
// beta == 0 never reads y.
void gemv_n_f32_avx512(int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                       float beta, float* y);
void gemv_t_f32_avx512(int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                       float beta, float* y);

}  // namespace kindling
