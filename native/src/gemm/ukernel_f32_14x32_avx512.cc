// AVX-512 f32 microkernel, 14 x 32 tile (28 zmm accumulators + 2 B vectors + 1 broadcast).
// Chosen by measurement on Zen 5: it has the highest flops per loaded byte among tiles that fit 32 zmm.
#include "ukernel.h"
#include "ukernel_avx512_impl.h"

namespace kindling {

void ukernel_f32_14x32_avx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                              float alpha, float beta) {
  avx512::ukernel<avx512::F32, 14, 2>(kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
