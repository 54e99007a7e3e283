// AVX-512 f64 microkernel, 14 x 16 tile (same register plan as the f32 14x32 kernel, 8 lanes per zmm).
#include "ukernel.h"
#include "ukernel_avx512_impl.h"

namespace kindling {

void ukernel_f64_14x16_avx512(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                              double alpha, double beta) {
  avx512::ukernel<avx512::F64, 14, 2>(kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
