// AVX2+FMA f64 microkernel, 6 x 8 tile (12 ymm accumulators), for CPUs without AVX-512.
#include "ukernel.h"
#include "ukernel_avx2_impl.h"

namespace kindling {

void ukernel_f64_6x8_avx2(int64_t kc, const double* a, const double* b, double* c, int64_t ldc, double alpha,
                          double beta) {
  avx2::ukernel<avx2::F64, 6, 2>(kc, a, b, c, ldc, alpha, beta);
}

}  // namespace kindling
