// Portable packing routines for GEMM micro-panels (the vectorised transposes live in pack_f32_avx512.cc).
#include "pack.h"

#include <cstring>

namespace kindling {

template <typename T, int W>
void pack_panel(int64_t rows, int64_t kc, const T* src, int64_t rs, int64_t cs, T* dst) {
  if (rows == W && rs == 1) {
    // Panel width is contiguous in memory: each k step is one straight W-element copy.
    for (int64_t p = 0; p < kc; ++p) {
      const T* s = src + p * cs;
#pragma GCC unroll 8
      for (int i = 0; i < W; ++i) dst[p * W + i] = s[i];
    }
    return;
  }
  if (rs == 1) {
    for (int64_t p = 0; p < kc; ++p) {
      const T* s = src + p * cs;
      T* d = dst + p * W;
      int64_t i = 0;
      for (; i < rows; ++i) d[i] = s[i];
      for (; i < W; ++i) d[i] = T(0);
    }
    return;
  }
  if (cs == 1) {
    // Each panel row is contiguous along k: read rows sequentially, write with stride W.
    int64_t i = 0;
    for (; i < rows; ++i) {
      const T* s = src + i * rs;
      for (int64_t p = 0; p < kc; ++p) dst[p * W + i] = s[p];
    }
    for (; i < W; ++i)
      for (int64_t p = 0; p < kc; ++p) dst[p * W + i] = T(0);
    return;
  }
  for (int64_t p = 0; p < kc; ++p) {
    T* d = dst + p * W;
    int64_t i = 0;
    for (; i < rows; ++i) d[i] = src[i * rs + p * cs];
    for (; i < W; ++i) d[i] = T(0);
  }
}

// Instantiations for every panel width used by a microkernel (MR and NR values).
template void pack_panel<float, 4>(int64_t, int64_t, const float*, int64_t, int64_t, float*);
template void pack_panel<float, 6>(int64_t, int64_t, const float*, int64_t, int64_t, float*);
template void pack_panel<float, 14>(int64_t, int64_t, const float*, int64_t, int64_t, float*);
template void pack_panel<float, 16>(int64_t, int64_t, const float*, int64_t, int64_t, float*);
template void pack_panel<float, 32>(int64_t, int64_t, const float*, int64_t, int64_t, float*);
template void pack_panel<double, 4>(int64_t, int64_t, const double*, int64_t, int64_t, double*);
template void pack_panel<double, 6>(int64_t, int64_t, const double*, int64_t, int64_t, double*);
template void pack_panel<double, 8>(int64_t, int64_t, const double*, int64_t, int64_t, double*);
template void pack_panel<double, 14>(int64_t, int64_t, const double*, int64_t, int64_t, double*);
template void pack_panel<double, 16>(int64_t, int64_t, const double*, int64_t, int64_t, double*);

}  // namespace kindling
