// AVX-512 f32 microkernel, 14 x 32 tile (28 zmm accumulators + 2 B vectors + 1 broadcast).
// Chosen by measurement on Zen 5: it has the highest flops per loaded byte among tiles that fit 32 zmm.
// The edge kernels compute the first 1 to 13 rows of a panel straight into C: a full 14-row tile
// for a few rows would waste most of its work (M = 32, an RNN step's batch, is 14 + 14 + 4).
#include <array>
#include <utility>

#include "ukernel.h"
#include "ukernel_avx512_impl.h"

namespace kindling {

void ukernel_f32_14x32_avx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                              float alpha, float beta) {
  avx512::ukernel<avx512::F32, 14, 2>(kc, a, b, c, ldc, alpha, beta);
}

namespace {
template <int R>
void rows_kernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha, float beta) {
  avx512::ukernel<avx512::F32, R, 2, 14>(kc, a, b, c, ldc, alpha, beta);
}
template <int... R>
constexpr std::array<UKernelFn<float>, sizeof...(R)> rows_kernels(std::integer_sequence<int, R...>) {
  return {rows_kernel<R + 1>...};
}
}  // namespace

void ukernel_f32_rows_avx512(int rows, int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                             float beta) {
  static constexpr auto kKernels = rows_kernels(std::make_integer_sequence<int, 13>{});
  kKernels[size_t(rows - 1)](kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
