// AVX-512 f32 GEMV kernels (contiguous x and y); compiled with -mavx512f -mfma.
#include <immintrin.h>

#include <cstdint>

#include "ukernel.h"

namespace kindling {
namespace {

inline __mmask16 tail_mask(int64_t n) { return n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1u); }

inline float finish(float acc, float alpha, float beta, const float* y) {
  return beta == 0.0f ? alpha * acc : alpha * acc + beta * *y;
}

}  // namespace

namespace {

// Floats from row r to its next 64-byte boundary (0 when r is aligned).
inline int64_t head_of(const float* r) { return int64_t((64 - reinterpret_cast<uintptr_t>(r) % 64) % 64 / 4); }

// out[j] = dot(rows[j][0, k), x) for R rows that share one alignment: their first `head` floats are
// read with masked loads, the rest with aligned ones, so no load of the (large, streamed) rows
// straddles two cache lines. Two accumulators per row hide the FMA latency.
template <int R>
inline void dots(const float* const* rows, int64_t head, int64_t k, const float* x, float* out) {
  __m512 a[R], b[R];
  for (int j = 0; j < R; ++j) a[j] = b[j] = _mm512_setzero_ps();
  int64_t p = 0;
  if (head > 0) {
    const __mmask16 mk = tail_mask(head < k ? head : k);
    const __m512 xv = _mm512_maskz_loadu_ps(mk, x);
    for (int j = 0; j < R; ++j) a[j] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, rows[j]), xv, a[j]);
    p = head < k ? head : k;
  }
  for (; p + 32 <= k; p += 32) {
    const __m512 x0 = _mm512_loadu_ps(x + p), x1 = _mm512_loadu_ps(x + p + 16);
    for (int j = 0; j < R; ++j) {
      a[j] = _mm512_fmadd_ps(_mm512_load_ps(rows[j] + p), x0, a[j]);
      b[j] = _mm512_fmadd_ps(_mm512_load_ps(rows[j] + p + 16), x1, b[j]);
    }
  }
  for (; p < k; p += 16) {
    const __mmask16 mk = tail_mask(k - p);
    const __m512 xv = _mm512_maskz_loadu_ps(mk, x + p);
    for (int j = 0; j < R; ++j) a[j] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, rows[j] + p), xv, a[j]);
  }
  for (int j = 0; j < R; ++j) out[j] = _mm512_reduce_add_ps(_mm512_add_ps(a[j], b[j]));
}

}  // namespace

void gemv_n_f32_avx512(int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                       float beta, float* y) {
  // Rows i and i + period start equally far from a 64-byte boundary, so rows are taken four at a
  // time `period` apart (every other row for the lecture's 1000-float rows); the four share each x
  // load.
  int64_t period = 1;
  while ((period * lda) % 16 != 0 && period < 16) period *= 2;
  int64_t i = 0;
  for (; i + 4 * period <= m; i += 4 * period) {
    for (int64_t q = 0; q < period; ++q) {
      const float* rows[4];
      for (int j = 0; j < 4; ++j) rows[j] = A + (i + q + j * period) * lda;
      float out[4];
      dots<4>(rows, head_of(rows[0]), k, x, out);
      for (int j = 0; j < 4; ++j) {
        float* yj = y + i + q + j * period;
        *yj = finish(out[j], alpha, beta, yj);
      }
    }
  }
  for (; i < m; ++i) {
    const float* row = A + i * lda;
    float out;
    dots<1>(&row, head_of(row), k, x, &out);
    y[i] = finish(out, alpha, beta, y + i);
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
