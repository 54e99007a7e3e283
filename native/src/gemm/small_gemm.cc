// Narrow float products (n <= 16) without the packed GEMM's machinery: attention's per-head products
// with 16-wide heads (64 x 64 by 64 x 16 in a small GPT) filled the 14 x 32 AVX-512 tiles half and ran
// at about 70 GFLOP/s. Here B is copied once into rows of one 16-float vector, and each block of
// eight rows of C accumulates in registers from A's elements broadcast one at a time, at any strides
// of A: about 125-165 GFLOP/s on one core. (Wider products lose here: more accumulators per row
// left the packed kernels ahead, 160 against 60 GFLOP/s at n = 32.)
#include "small_gemm.h"

#include <cstring>

#include "../kernels/clones.h"
#include "../runtime/work_buffer.h"

namespace kindling {
namespace {

// 16 floats: one AVX-512 register, two AVX2 ones; GCC lowers the type to each clone's registers.
typedef float f16 __attribute__((vector_size(64)));

thread_local WorkBuffer t_small_b;

// Rows [i0, i0 + MR) of C, each element accumulated along k in order (fused multiply-adds where the
// clone has them, as in the packed kernels).
template <int MR>
KINDLING_INLINE void rows_block(int64_t i0, int64_t n, int64_t k, const float* A, int64_t a_rs, int64_t a_cs,
                                const float* Bp, float* C, int64_t c_rs) {
  f16 acc[MR];
  for (int r = 0; r < MR; ++r) acc[r] = f16{};
  for (int64_t p = 0; p < k; ++p) {
    f16 b;
    std::memcpy(&b, Bp + p * 16, sizeof b);
    for (int r = 0; r < MR; ++r) acc[r] += A[(i0 + r) * a_rs + p * a_cs] * b;
  }
  for (int r = 0; r < MR; ++r) std::memcpy(C + (i0 + r) * c_rs, &acc[r], size_t(n) * sizeof(float));
}

// Eight rows at a time: eight independent accumulators hide the multiply-add latency.
KINDLING_CLONES_FMA void small_gemm_impl(int64_t m, int64_t n, int64_t k, const float* A, int64_t a_rs, int64_t a_cs,
                                         const float* Bp, float* C, int64_t c_rs) {
  int64_t i = 0;
  for (; i + 8 <= m; i += 8) rows_block<8>(i, n, k, A, a_rs, a_cs, Bp, C, c_rs);
  for (; i < m; ++i) rows_block<1>(i, n, k, A, a_rs, a_cs, Bp, C, c_rs);
}

}  // namespace

bool small_sgemm(int64_t m, int64_t n, int64_t k, const float* A, int64_t a_rs, int64_t a_cs, const float* B,
                 int64_t b_rs, int64_t b_cs, float* C, int64_t c_rs) {
  if (n > kSmallGemmMaxN || k > kSmallGemmMaxK || m * n * k > kSmallGemmMaxWork) return false;
  float* Bp = t_small_b.floats(size_t(k * 16));
  if (Bp == nullptr) return false;
  for (int64_t p = 0; p < k; ++p) {
    float* row = Bp + p * 16;
    const float* src = B + p * b_rs;
    if (b_cs == 1) {
      std::memcpy(row, src, size_t(n) * sizeof(float));
    } else {
      for (int64_t j = 0; j < n; ++j) row[j] = src[j * b_cs];
    }
    for (int64_t j = n; j < 16; ++j) row[j] = 0.0f;
  }
  small_gemm_impl(m, n, k, A, a_rs, a_cs, Bp, C, c_rs);
  return true;
}

}  // namespace kindling
