// Portable scalar 4 x 4 microkernels (f32 and f64): fallback for any CPU and oracle for the SIMD kernels.
#include "ukernel.h"

namespace kindling {
namespace {

template <typename T>
inline void ukernel_4x4(int64_t kc, const T* a, const T* b, T* c, int64_t ldc, T alpha, T beta) {
  // Sixteen named accumulators: no loops over MR/NR, only over k.
  T c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  T c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (int64_t p = 0; p < kc; ++p) {
    const T a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    a += 4;
    b += 4;
  }
  T* r0 = c;
  T* r1 = c + ldc;
  T* r2 = c + 2 * ldc;
  T* r3 = c + 3 * ldc;
  if (beta == T(0)) {
    r0[0] = alpha * c00; r0[1] = alpha * c01; r0[2] = alpha * c02; r0[3] = alpha * c03;
    r1[0] = alpha * c10; r1[1] = alpha * c11; r1[2] = alpha * c12; r1[3] = alpha * c13;
    r2[0] = alpha * c20; r2[1] = alpha * c21; r2[2] = alpha * c22; r2[3] = alpha * c23;
    r3[0] = alpha * c30; r3[1] = alpha * c31; r3[2] = alpha * c32; r3[3] = alpha * c33;
  } else {
    r0[0] = alpha * c00 + beta * r0[0]; r0[1] = alpha * c01 + beta * r0[1];
    r0[2] = alpha * c02 + beta * r0[2]; r0[3] = alpha * c03 + beta * r0[3];
    r1[0] = alpha * c10 + beta * r1[0]; r1[1] = alpha * c11 + beta * r1[1];
    r1[2] = alpha * c12 + beta * r1[2]; r1[3] = alpha * c13 + beta * r1[3];
    r2[0] = alpha * c20 + beta * r2[0]; r2[1] = alpha * c21 + beta * r2[1];
    r2[2] = alpha * c22 + beta * r2[2]; r2[3] = alpha * c23 + beta * r2[3];
    r3[0] = alpha * c30 + beta * r3[0]; r3[1] = alpha * c31 + beta * r3[1];
    r3[2] = alpha * c32 + beta * r3[2]; r3[3] = alpha * c33 + beta * r3[3];
  }
}

}  // namespace

void ukernel_f32_4x4_scalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                            float beta) {
  ukernel_4x4<float>(kc, a, b, c, ldc, alpha, beta);
}

void ukernel_f64_4x4_scalar(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                            double alpha, double beta) {
  ukernel_4x4<double>(kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
