// native/src/kernels/libm.h — the correctly rounded log, sin and cos of PyTorch's double-precision
// sampling kernels, bit for bit as src/core/libm.ts computes them (fp_exact.h has its fmad).
#pragma once

namespace kindling {
namespace libm {

// Correctly rounded natural log of x > 0 (logCR in libm.ts).
double log_cr(double x);
// Correctly rounded sin and cos of x (sinCosCR in libm.ts), both from one argument reduction.
void sincos_cr(double x, double* sin_x, double* cos_x);

// The tables of the fast evaluations, shared with the SIMD kernels (random_avx2.cc), which evaluate the
// same way. log x = k log 2 - log(invc) + log1p(m * invc - 1) for x = 2^k m, m in [sqrt(1/2), sqrt(2)]
// and invc = 128 / i with i = round(128 m); sin and cos of r = j/128 + t from those of j/128.
struct FastTables {
  static constexpr int kLogFirst = 90, kLogCount = 93, kTrigCount = 102;
  double log_invc[kLogCount], log_c_h[kLogCount], log_c_l[kLogCount];  // invc and log(1 / invc)
  double sin_h[kTrigCount], sin_l[kTrigCount], cos_h[kTrigCount], cos_l[kTrigCount];
};
const FastTables& fast_tables();

}  // namespace libm
}  // namespace kindling
