// AVX-512 max-pool window search for LeNet-style 2x2 windows with stride 2: 16 outputs per step,
// the even and odd columns of two input rows split by permutes, the running maximum and its index
// updated with masked moves (the same first-maximum, NaN-wins rule as the generic kernel); the
// maxima themselves go to `values` when it is not null.
#include <immintrin.h>

#include <cstdint>

namespace kindling {

void max_pool_2x2_plane_f32_avx512(const float* in, int64_t iw, int64_t oh, int64_t ow, double* out, float* values) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i lane2 = _mm512_slli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 1);
  for (int64_t oy = 0; oy < oh; ++oy) {
    const float* r0 = in + 2 * oy * iw;
    const float* r1 = r0 + iw;
    for (int64_t ox = 0; ox < ow; ox += 16) {
      const int64_t n = ow - ox < 16 ? ow - ox : 16;
      const int64_t m = 2 * n;  // input floats of this step
      const __mmask16 lo = m >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << m) - 1);
      const __mmask16 hi = m <= 16 ? __mmask16(0) : m >= 32 ? __mmask16(0xFFFF) : __mmask16((1u << (m - 16)) - 1);
      const __m512 a0 = _mm512_maskz_loadu_ps(lo, r0 + 2 * ox), a1 = _mm512_maskz_loadu_ps(hi, r0 + 2 * ox + 16);
      const __m512 b0 = _mm512_maskz_loadu_ps(lo, r1 + 2 * ox), b1 = _mm512_maskz_loadu_ps(hi, r1 + 2 * ox + 16);
      const __m512 cand[3] = {_mm512_permutex2var_ps(a0, odd, a1), _mm512_permutex2var_ps(b0, even, b1),
                              _mm512_permutex2var_ps(b0, odd, b1)};
      const __m512i first = _mm512_add_epi32(_mm512_set1_epi32(int32_t(2 * oy * iw + 2 * ox)), lane2);
      const int32_t step[3] = {1, int32_t(iw), int32_t(iw + 1)};
      __m512 best = _mm512_permutex2var_ps(a0, even, a1);
      __m512i at = first;
      for (int k = 0; k < 3; ++k) {
        const __m512 v = cand[k];
        const __mmask16 take = _mm512_cmp_ps_mask(best, best, _CMP_ORD_Q) &
                               (_mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q));
        best = _mm512_mask_mov_ps(best, take, v);
        at = _mm512_mask_add_epi32(at, take, first, _mm512_set1_epi32(step[k]));
      }
      double* o = out + oy * ow + ox;
      const __mmask8 olo = n >= 8 ? __mmask8(0xFF) : __mmask8((1u << n) - 1);
      const __mmask8 ohi = n <= 8 ? __mmask8(0) : __mmask8((1u << (n - 8)) - 1);
      _mm512_mask_storeu_pd(o, olo, _mm512_cvtepi32_pd(_mm512_castsi512_si256(at)));
      _mm512_mask_storeu_pd(o + 8, ohi, _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(at, 1)));
      if (values != nullptr) _mm512_mask_storeu_ps(values + oy * ow + ox, __mmask16((1u << n) - 1), best);
    }
  }
}

}  // namespace kindling
