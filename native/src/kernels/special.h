// native/src/kernels/special.h — the special functions of PyTorch 1.13's CPU kernels (ATen/native/Math.h):
// erfinv, digamma and trigamma computed in the element type as there, and lgamma from the C library.
#pragma once
#include <cmath>
#include <limits>

namespace kindling {

// The inverse error function: a rational first guess refined by two Newton steps (calc_erfinv).
template <typename T>
inline T erfinv(T y) {
  const T a[4] = {T(0.886226899), T(-1.645349621), T(0.914624893), T(-0.140543331)};
  const T b[4] = {T(-2.118377725), T(1.442710462), T(-0.329097515), T(0.012229801)};
  const T c[4] = {T(-1.970840454), T(-1.624906493), T(3.429567803), T(1.641345311)};
  const T d[2] = {T(3.543889200), T(1.637067800)};
  const T y_abs = std::abs(y);
  if (y_abs > T(1) || y != y) return std::numeric_limits<T>::quiet_NaN();
  if (y_abs == T(1)) return std::copysign(std::numeric_limits<T>::infinity(), y);
  T x;
  if (y_abs <= T(0.7)) {
    const T z = y * y;
    const T num = (((a[3] * z + a[2]) * z + a[1]) * z + a[0]);
    const T dem = ((((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + T(1));
    x = y * num / dem;
  } else {
    const T z = std::sqrt(-std::log((T(1) - y_abs) / T(2)));
    const T num = ((c[3] * z + c[2]) * z + c[1]) * z + c[0];
    const T dem = (d[1] * z + d[0]) * z + T(1);
    x = std::copysign(num, y) / dem;
  }
  const T k = T(2) / static_cast<T>(std::sqrt(M_PI));
  x = x - (std::erf(x) - y) / (k * std::exp(-x * x));
  x = x - (std::erf(x) - y) / (k * std::exp(-x * x));
  return x;
}

// log|Γ(x)|, through the reentrant forms where glibc has them (std::lgamma writes the global signgam).
inline double lgamma_of(double x) {
#if defined(__GLIBC__)
  int sign;
  return lgamma_r(x, &sign);
#else
  return std::lgamma(x);
#endif
}
// float32 goes through the double function, which is what PyTorch's float results match (checked against 1.13).
inline float lgamma_of(float x) { return static_cast<float>(lgamma_of(static_cast<double>(x))); }

// ψ(x) (calc_digamma, after Cephes): pushed to x ≥ 10, then the asymptotic series.
template <typename T>
inline T digamma(T x) {
  const T PSI_10 = T(2.25175258906672110764);
  if (x == T(0)) return std::copysign(std::numeric_limits<T>::infinity(), -x);
  if (x < T(0)) {
    if (x == std::trunc(x)) return std::numeric_limits<T>::quiet_NaN();
    double q;
    const double r = std::modf(static_cast<double>(x), &q);
    return digamma<T>(T(1) - x) - static_cast<T>(M_PI / std::tan(M_PI * r));
  }
  T result = 0;
  while (x < T(10)) {
    result -= T(1) / x;
    x += T(1);
  }
  if (x == T(10)) return result + PSI_10;
  const T A[] = {T(8.33333333333333333333E-2), T(-2.10927960927960927961E-2), T(7.57575757575757575758E-3),
                 T(-4.16666666666666666667E-3), T(3.96825396825396825397E-3), T(-8.33333333333333333333E-3),
                 T(8.33333333333333333333E-2)};
  T y = 0;
  if (x < T(1.0e17)) {
    const T z = T(1) / (x * x);
    T p = A[0];
    for (int i = 1; i <= 6; i++) p = p * z + A[i];
    y = z * p;
  }
  return result + std::log(x) - (T(0.5) / x) - y;
}

// ψ'(x) (trigamma): reflection below 1/2, six recurrence steps, then the asymptotic series.
template <typename T>
inline T trigamma(T x) {
  T sign = +1;
  T result = 0;
  if (x < T(0.5)) {
    sign = -1;
    const T sin_pi_x = std::sin(T(M_PI) * x);
    result -= (T(M_PI) * T(M_PI)) / (sin_pi_x * sin_pi_x);
    x = T(1) - x;
  }
  for (int i = 0; i < 6; ++i) {
    result += T(1) / (x * x);
    x += T(1);
  }
  const T ixx = T(1) / (x * x);
  result += (T(1) + T(1) / (T(2) * x) + ixx * (T(1) / T(6) - ixx * (T(1) / T(30) - ixx * (T(1) / T(42))))) / x;
  return sign * result;
}

}  // namespace kindling
