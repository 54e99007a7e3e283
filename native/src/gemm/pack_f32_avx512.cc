// AVX-512 f32 panel packing: 16 x 16 in-register transposes for sources contiguous along k
// (row-major A, transposed B); compiled with -mavx512f.
#include <immintrin.h>

#include "pack.h"

namespace kindling {
namespace {

// In-place transpose of 16 rows of 16 floats: afterwards r[c] holds column c.
inline void transpose_16x16(__m512 r[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // Within each 128-bit lane l, u[4g + j] = column (4l + j) of rows 4g..4g+3.
  for (int g = 0; g < 4; ++g) {
    u[4 * g + 0] = _mm512_shuffle_ps(t[4 * g + 0], t[4 * g + 2], 0x44);
    u[4 * g + 1] = _mm512_shuffle_ps(t[4 * g + 0], t[4 * g + 2], 0xEE);
    u[4 * g + 2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
    u[4 * g + 3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
  }
  // Gather lane l of the four row groups into one register per column.
  for (int j = 0; j < 4; ++j) {
    const __m512 x0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88);
    const __m512 x1 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xDD);
    const __m512 y0 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
    const __m512 y1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xDD);
    r[j] = _mm512_shuffle_f32x4(x0, y0, 0x88);
    r[j + 8] = _mm512_shuffle_f32x4(x0, y0, 0xDD);
    r[j + 4] = _mm512_shuffle_f32x4(x1, y1, 0x88);
    r[j + 12] = _mm512_shuffle_f32x4(x1, y1, 0xDD);
  }
}

// Packs a panel of width W (a multiple of 16 rows is loaded, rows >= `rows` are zero) whose rows are
// contiguous along k: 16 k steps at a time, each 16-row group transposed in registers.
template <int W>
void pack_rows_contiguous(int64_t rows, int64_t kc, const float* src, int64_t rs, float* dst) {
  constexpr int kGroups = (W + 15) / 16;
  for (int64_t p0 = 0; p0 < kc; p0 += 16) {
    const int64_t kn = kc - p0 < 16 ? kc - p0 : 16;
    const __mmask16 kmask = kn == 16 ? __mmask16(0xFFFF) : __mmask16((1u << kn) - 1u);
    for (int g = 0; g < kGroups; ++g) {
      __m512 r[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; ++i) {
        const int row = g * 16 + i;
        r[i] = row < rows ? _mm512_maskz_loadu_ps(kmask, src + row * rs + p0) : _mm512_setzero_ps();
      }
      transpose_16x16(r);
      const int width = W - g * 16 < 16 ? W - g * 16 : 16;
      const __mmask16 wmask = width == 16 ? __mmask16(0xFFFF) : __mmask16((1u << width) - 1u);
      for (int64_t p = 0; p < kn; ++p) _mm512_mask_storeu_ps(dst + (p0 + p) * W + g * 16, wmask, r[p]);
    }
  }
}

// Packs a panel whose width is contiguous in memory (rs == 1): masked zmm copies per k step, with the
// rows beyond `rows` zero-filled by the masked loads.
template <int W>
void pack_width_contiguous(int64_t rows, int64_t kc, const float* src, int64_t cs, float* dst) {
  constexpr int kGroups = (W + 15) / 16;
  __mmask16 load_mask[kGroups], store_mask[kGroups];
  for (int g = 0; g < kGroups; ++g) {
    const int64_t valid = rows - g * 16;
    load_mask[g] = valid <= 0 ? __mmask16(0) : valid >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << valid) - 1u);
    const int width = W - g * 16 < 16 ? W - g * 16 : 16;
    store_mask[g] = width == 16 ? __mmask16(0xFFFF) : __mmask16((1u << width) - 1u);
  }
  for (int64_t p = 0; p < kc; ++p) {
    const float* s = src + p * cs;
#pragma GCC unroll 2
    for (int g = 0; g < kGroups; ++g)
      _mm512_mask_storeu_ps(dst + p * W + g * 16, store_mask[g], _mm512_maskz_loadu_ps(load_mask[g], s + g * 16));
  }
}

}  // namespace

void pack_panel_f32_14_avx512(int64_t rows, int64_t kc, const float* src, int64_t rs, int64_t cs, float* dst) {
  if (cs == 1 && rs != 1) return pack_rows_contiguous<14>(rows, kc, src, rs, dst);
  if (rs == 1) return pack_width_contiguous<14>(rows, kc, src, cs, dst);
  pack_panel<float, 14>(rows, kc, src, rs, cs, dst);
}

void pack_panel_f32_32_avx512(int64_t rows, int64_t kc, const float* src, int64_t rs, int64_t cs, float* dst) {
  if (cs == 1 && rs != 1) return pack_rows_contiguous<32>(rows, kc, src, rs, dst);
  if (rs == 1) return pack_width_contiguous<32>(rows, kc, src, cs, dst);
  pack_panel<float, 32>(rows, kc, src, rs, cs, dst);
}

}  // namespace kindling
