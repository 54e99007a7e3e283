// Public GEMM/GEMV API of the native kernels: plain C++17, no N-API types, never throws.
#pragma once

#include <cstdint>

namespace kindling {

// C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C, row-major with leading dims; beta == 0 never reads C.
// transA: A is stored k x m (op(A) = A^T); likewise transB. Strides are in elements.
void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

// General strided variant: element (i, p) of op(A) is A[i * a_rs + p * a_cs], (p, j) of op(B) is
// B[p * b_rs + j * b_cs], and (i, j) of C is C[i * c_rs + j * c_cs]. Any strides (including 0 for
// broadcast inputs) are accepted for A and B; C must not alias itself (c_rs, c_cs != 0 unless m or n is 1).
void sgemm_strided(int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t a_rs, int64_t a_cs,
                   const float* B, int64_t b_rs, int64_t b_cs, float beta, float* C, int64_t c_rs, int64_t c_cs);

// Same for double (used for float64 tensors).
void dgemm_strided(int64_t m, int64_t n, int64_t k, double alpha, const double* A, int64_t a_rs, int64_t a_cs,
                   const double* B, int64_t b_rs, int64_t b_cs, double beta, double* C, int64_t c_rs,
                   int64_t c_cs);
// Convenience row-major double GEMM with the same conventions as sgemm.
void dgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, double alpha, const double* A,
           int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc);

// y[m] = alpha * A[m x k] x[k] + beta * y. A is row-major with leading dim lda; with transA, A is stored
// k x m (so y = alpha * A^T x). beta == 0 never reads y. Single-threaded, bandwidth-oriented.
void sgemv(bool transA, int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
           int64_t incx, float beta, float* y, int64_t incy);

// Threads used by the GEMM kernels (including the caller). n <= 0 selects the number of hardware cores.
void set_num_threads(int n);
int get_num_threads();

// Instruction set the kernels dispatch to: "avx512" | "avx2" | "scalar" (override with KINDLING_ISA).
const char* gemm_isa();

}  // namespace kindling
