// AVX2+FMA f32 microkernel, 6 x 16 tile (12 ymm accumulators), for CPUs without AVX-512.
#include "ukernel.h"
#include "ukernel_avx2_impl.h"

namespace kindling {

void ukernel_f32_6x16_avx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha,
                           float beta) {
  avx2::ukernel<avx2::F32, 6, 2>(kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
