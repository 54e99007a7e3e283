// native/src/kernels/fp_exact.h — error-free transformations (exact products and sums) for kernels that
// must round exactly as src/core/libm.ts does. Include it after every other header: from here on the
// compiler may not fuse a * b + c into a fused multiply-add, which would change low bits.
#pragma once

#include <cmath>

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace kindling {
namespace exact {

// A double-double: the unevaluated sum h + l.
struct DD {
  double h, l;
};

// The high half of a (Veltkamp's split), so that products of halves are exact.
inline double split_hi(double a) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  return c - (c - a);
}

// The rounding error of p = fl(a * b): a * b = p + two_prod_err(a, b, p) exactly (Dekker).
inline double two_prod_err(double a, double b, double p) {
  const double ah = split_hi(a), al = a - ah;
  const double bh = split_hi(b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// a + b = h + l exactly, for any a and b (Knuth).
inline DD two_sum(double a, double b) {
  const double s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// a + b = h + l exactly, for |a| >= |b| (Dekker).
inline DD fast_two_sum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}

// libm.ts's fmad: a * b + c with a single rounding except in double-rounding corners of the tail,
// which this reproduces rather than fixes.
inline double fmad(double a, double b, double c) {
  const double p = a * b;
  if (c == 0 || !std::isfinite(p)) return p + c;
  const double pe = two_prod_err(a, b, p);
  const double s = p + c, bb = s - p;
  const double se = (p - (s - bb)) + (c - bb);
  return s + (se + pe);
}

}  // namespace exact
}  // namespace kindling
