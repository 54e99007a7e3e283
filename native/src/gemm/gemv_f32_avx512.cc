// AVX-512 f32 GEMV kernels (contiguous x and y); compiled with -mavx512f -mfma.
#include <immintrin.h>

#include "ukernel.h"

namespace kindling {
namespace {

inline __mmask16 tail_mask(int64_t n) { return n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1u); }

inline float finish(float acc, float alpha, float beta, const float* y) {
  return beta == 0.0f ? alpha * acc : alpha * acc + beta * *y;
}

}  // namespace

void gemv_n_f32_avx512(int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                       float beta, float* y) {
  // Four rows per pass share each x vector load; two accumulators per row hide FMA latency.
  int64_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const float* r0 = A + i * lda;
    const float* r1 = r0 + lda;
    const float* r2 = r1 + lda;
    const float* r3 = r2 + lda;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(),
           a3 = _mm512_setzero_ps();
    __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps(), b2 = _mm512_setzero_ps(),
           b3 = _mm512_setzero_ps();
    int64_t p = 0;
    for (; p + 32 <= k; p += 32) {
      const __m512 x0 = _mm512_loadu_ps(x + p), x1 = _mm512_loadu_ps(x + p + 16);
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + p), x0, a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + p), x0, a1);
      a2 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + p), x0, a2);
      a3 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + p), x0, a3);
      b0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + p + 16), x1, b0);
      b1 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + p + 16), x1, b1);
      b2 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + p + 16), x1, b2);
      b3 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + p + 16), x1, b3);
    }
    for (; p < k; p += 16) {
      const __mmask16 mk = tail_mask(k - p);
      const __m512 x0 = _mm512_maskz_loadu_ps(mk, x + p);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, r0 + p), x0, a0);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, r1 + p), x0, a1);
      a2 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, r2 + p), x0, a2);
      a3 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, r3 + p), x0, a3);
    }
    y[i + 0] = finish(_mm512_reduce_add_ps(_mm512_add_ps(a0, b0)), alpha, beta, y + i + 0);
    y[i + 1] = finish(_mm512_reduce_add_ps(_mm512_add_ps(a1, b1)), alpha, beta, y + i + 1);
    y[i + 2] = finish(_mm512_reduce_add_ps(_mm512_add_ps(a2, b2)), alpha, beta, y + i + 2);
    y[i + 3] = finish(_mm512_reduce_add_ps(_mm512_add_ps(a3, b3)), alpha, beta, y + i + 3);
  }
  for (; i < m; ++i) {
    const float* r0 = A + i * lda;
    __m512 a0 = _mm512_setzero_ps(), b0 = _mm512_setzero_ps();
    int64_t p = 0;
    for (; p + 32 <= k; p += 32) {
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + p), _mm512_loadu_ps(x + p), a0);
      b0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + p + 16), _mm512_loadu_ps(x + p + 16), b0);
    }
    for (; p < k; p += 16) {
      const __mmask16 mk = tail_mask(k - p);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, r0 + p), _mm512_maskz_loadu_ps(mk, x + p), a0);
    }
    y[i] = finish(_mm512_reduce_add_ps(_mm512_add_ps(a0, b0)), alpha, beta, y + i);
  }
}

void gemv_t_f32_avx512(int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                       float beta, float* y) {
  // 128 output columns (8 zmm accumulators, enough to cover FMA latency) per pass over the k rows.
  constexpr int kNV = 8;
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
  for (int64_t i0 = 0; i0 < m; i0 += 16 * kNV) {
    __mmask16 mk[kNV];
    for (int v = 0; v < kNV; ++v) {
      const int64_t left = m - i0 - 16 * v;
      mk[v] = left <= 0 ? __mmask16(0) : tail_mask(left);
    }
    __m512 acc[kNV];
#pragma GCC unroll 8
    for (int v = 0; v < kNV; ++v) acc[v] = _mm512_setzero_ps();
    if (m - i0 >= 16 * kNV) {
      for (int64_t p = 0; p < k; ++p) {
        const __m512 xp = _mm512_set1_ps(x[p]);
        const float* row = A + p * lda + i0;
#pragma GCC unroll 8
        for (int v = 0; v < kNV; ++v) acc[v] = _mm512_fmadd_ps(_mm512_loadu_ps(row + 16 * v), xp, acc[v]);
      }
    } else {
      for (int64_t p = 0; p < k; ++p) {
        const __m512 xp = _mm512_set1_ps(x[p]);
        const float* row = A + p * lda + i0;
#pragma GCC unroll 8
        for (int v = 0; v < kNV; ++v)
          acc[v] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk[v], row + 16 * v), xp, acc[v]);
      }
    }
#pragma GCC unroll 8
    for (int v = 0; v < kNV; ++v) {
      float* yy = y + i0 + 16 * v;
      __m512 r = _mm512_mul_ps(acc[v], va);
      if (beta != 0.0f) r = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk[v], yy), vb, r);
      _mm512_mask_storeu_ps(yy, mk[v], r);
    }
  }
}

}  // namespace kindling
