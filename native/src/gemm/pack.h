// Packing of GEMM operands into k-major micro-panels (A: MR x KC, B: KC x NR), zero-padded at the edges.
#pragma once

#include <cstdint>

namespace kindling {

// Packs rows [0, rows) (rows <= W) x k-columns [0, kc) of a strided matrix into one panel:
// dst[p * W + i] = src[i * rs + p * cs], with dst[p * W + i] = 0 for rows <= i < W.
// For A: "rows" are rows of op(A) (rs = row stride, cs = column stride).
// For B: "rows" are columns of op(B), so pass rs = B's column stride and cs = B's row stride.
// Both transposes are therefore just stride swaps; the fast paths pick contiguous directions.
template <typename T, int W>
void pack_panel(int64_t rows, int64_t kc, const T* src, int64_t rs, int64_t cs, T* dst);

// AVX-512 variants (pack_f32_avx512.cc) that transpose 16 x 16 blocks in registers when the
// panel source is contiguous along k (cs == 1); they fall back to pack_panel otherwise.
void pack_panel_f32_14_avx512(int64_t rows, int64_t kc, const float* src, int64_t rs, int64_t cs, float* dst);
void pack_panel_f32_32_avx512(int64_t rows, int64_t kc, const float* src, int64_t rs, int64_t cs, float* dst);

}  // namespace kindling
