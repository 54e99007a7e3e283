// native/src/kernels/libm.cc — correctly rounded log, sin and cos (libm.h), equal bit for bit to
// src/core/libm.ts. A table-driven evaluation good to about 2^-66 answers whenever its error bound
// cannot straddle a rounding boundary (all but ~0.2% of arguments); the rest take a line-for-line port
// of libm.ts's double-double series, so the two always agree, including on its rare imperfections.
#include "libm.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "fp_exact.h"

namespace kindling {
namespace libm {
namespace {

using exact::DD;
using exact::fast_two_sum;
using exact::two_prod_err;
using exact::two_sum;

// ---- The port of libm.ts (same operations in the same order) --------------------------------------

DD dd_mul(DD a, DD b) {
  const double p = a.h * b.h;
  const double e = two_prod_err(a.h, b.h, p) + (a.h * b.l + a.l * b.h);
  const double h = p + e;
  return {h, e - (h - p)};
}

DD dd_add(DD a, DD b) {
  const double s = a.h + b.h, bb = s - a.h;
  const double e = (a.h - (s - bb)) + (b.h - bb) + a.l + b.l;
  const double h = s + e;
  return {h, e - (h - s)};
}

DD dd_recip(double n) {
  const double hi = 1 / n, p = hi * n;
  return {hi, ((1 - p) - two_prod_err(hi, n, p)) / n};
}

DD neg(DD a) { return {-a.h, -a.l}; }

constexpr double kLn2Hi = 0.6931471805599453, kLn2Lo = 2.3190468138462996e-17;
constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kPio2_1 = 1.57079632673412561417e+00, kPio2_2 = 6.07710050630396597660e-11;
constexpr double kPio2_3 = 2.02226624871116645580e-21, kPio2_3t = 8.47842766036889956997e-32;
constexpr int kTail = 10;

struct Series {
  DD inv3, inv5, inv7, inv6, inv120, inv5040, inv24, inv720, inv40320;
  double sin_tail[kTail], cos_tail[kTail];
  Series() : inv3(dd_recip(3)), inv5(dd_recip(5)), inv7(dd_recip(7)), inv6(dd_recip(6)), inv120(dd_recip(120)),
             inv5040(dd_recip(5040)), inv24(dd_recip(24)), inv720(dd_recip(720)), inv40320(dd_recip(40320)) {
    // (-1)^(n/2) / n! for n = 9, 11, ... and 10, 12, ..., as libm.ts's taylorTail builds them.
    for (int k = 0; k < kTail; k++) {
      for (int which = 0; which < 2; which++) {
        const int n = 9 + which + 2 * k;
        double f = 1;
        for (int i = 2; i <= n; i++) f /= i;
        (which == 0 ? sin_tail : cos_tail)[k] = ((n >> 1) & 1) == 1 ? -f : f;
      }
    }
  }
};
const Series kS;

// logCR before its final rounding.
DD log_dd(double x) {
  if (x == 1) return {0, 0};
  if (!(x > 0) || x == INFINITY) return {std::log(x), 0};
  int k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984.0;
    k = -54;
  }
  uint64_t bits;
  std::memcpy(&bits, &x, 8);
  k += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x800fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m;
  std::memcpy(&m, &bits, 8);
  if (m > kSqrt2) {
    m *= 0.5;
    k += 1;
  }
  const double num = m - 1, dh = m + 1, dv = dh - m;
  const double dl = (m - (dh - dv)) + (1 - dv);
  const double sh = num / dh, p = sh * dh;
  const double sl = ((num - p) - two_prod_err(sh, dh, p) - sh * dl) / dh;
  const DD s2 = dd_mul({sh, sl}, {sh, sl});
  double t = 1.0 / 43;
  for (int i = 41; i >= 9; i -= 2) t = 1.0 / i + s2.h * t;
  DD r = dd_mul(s2, {t, 0});
  r = dd_mul(s2, dd_add(kS.inv7, r));
  r = dd_mul(s2, dd_add(kS.inv5, r));
  r = dd_mul(s2, dd_add(kS.inv3, r));
  r = dd_mul({2 * sh, 2 * sl}, dd_add({1, 0}, r));
  if (k == 0) return r;
  const double kh = k * kLn2Hi;
  return dd_add({kh, two_prod_err(k, kLn2Hi, kh) + k * kLn2Lo}, r);
}

DD sin_dd(DD r, DD r2) {
  double t = 0;
  for (int i = kTail - 1; i >= 0; i--) t = kS.sin_tail[i] + r2.h * t;
  DD s = dd_mul(r2, {t, 0});
  s = dd_mul(r2, dd_add(neg(kS.inv5040), s));
  s = dd_mul(r2, dd_add(kS.inv120, s));
  s = dd_mul(r2, dd_add(neg(kS.inv6), s));
  return dd_mul(r, dd_add({1, 0}, s));
}

DD cos_dd(DD r2) {
  double t = 0;
  for (int i = kTail - 1; i >= 0; i--) t = kS.cos_tail[i] + r2.h * t;
  DD c = dd_mul(r2, {t, 0});
  c = dd_mul(r2, dd_add(kS.inv40320, c));
  c = dd_mul(r2, dd_add(neg(kS.inv720), c));
  c = dd_mul(r2, dd_add(kS.inv24, c));
  c = dd_mul(r2, dd_add({-0.5, -0.0}, c));
  return dd_add({1, 0}, c);
}

// Math.round for |v| < 2^62: the nearest integer, halves rounded up (no call to floor, which
// baseline x86-64 has no instruction for).
inline double js_round(double v) {
  double f = static_cast<double>(static_cast<int64_t>(v));
  if (f > v) f -= 1;
  return v - f >= 0.5 ? f + 1 : f;
}

// x - k * pi/2 as a double-double, and k (libm.ts's reduction, exact for the |x| <= 1e6 it serves).
inline DD reduce(double x, double* k_out) {
  const double k = js_round(x * (2 / M_PI));
  const double a = x - k * kPio2_1, b = k * kPio2_2;
  double h = a - b, bb = h - a;
  double l = (a - (h - bb)) + (-b - bb);
  const double c = k * kPio2_3, h2 = h - c;
  bb = h2 - h;
  l += (h - (h2 - bb)) + (-c - bb) - k * kPio2_3t;
  h = h2 + l;
  *k_out = k;
  return {h, l - (h - h2)};
}

// sinCosCR(x, which) before its final rounding; `which` 0 is sin, 1 is cos.
DD sin_cos_dd(double x, int which) {
  double k;
  const DD r = reduce(x, &k);
  const DD r2 = dd_mul(r, r);
  const int64_t q = (((static_cast<int64_t>(k) % 4) + 4) % 4 + which) % 4;
  const DD v = (q & 1) == 0 ? sin_dd(r, r2) : cos_dd(r2);
  return q >= 2 ? neg(v) : v;
}

double sin_cos_slow(double x, int which) {
  if (!std::isfinite(x) || std::fabs(x) > 1e6) return which == 0 ? std::sin(x) : std::cos(x);
  if (x == 0) return which == 0 ? x : 1;
  const DD v = sin_cos_dd(x, which);
  return v.h + v.l;
}

// ---- The fast evaluation -----------------------------------------------------------------------------

// The rounded value of h + l, when an error of up to 2^-63 |h| cannot change it (Ziv's test).
bool rounds_surely(DD v, double* out) {
  const DD n = fast_two_sum(v.h, v.l);
  const double e = std::fabs(n.h) * 0x1p-63;
  if (n.h + (n.l - e) != n.h + (n.l + e)) return false;
  *out = n.h;
  return true;
}

// log(2) split so that k * kFastLn2Hi is exact (fdlibm's).
constexpr double kFastLn2Hi = 6.93147180369123816490e-01, kFastLn2Lo = 1.90821492927058770002e-10;

struct Tables : FastTables {
  Tables() {
    for (int i = 0; i < kLogCount; i++) {
      log_invc[i] = 128.0 / (i + kLogFirst);
      const DD v = log_dd(log_invc[i]);
      log_c_h[i] = -v.h;
      log_c_l[i] = -v.l;
    }
    for (int j = 0; j < kTrigCount; j++) {
      const DD s = j == 0 ? DD{0, 0} : sin_cos_dd(j / 128.0, 0), c = j == 0 ? DD{1, 0} : sin_cos_dd(j / 128.0, 1);
      sin_h[j] = s.h;
      sin_l[j] = s.l;
      cos_h[j] = c.h;
      cos_l[j] = c.l;
    }
  }
};
const Tables kT;

// log(x) for a positive normal x, to about 2^-66 relative.
DD log_fast(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, 8);
  int k = static_cast<int>(bits >> 52) - 1023;
  bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m;
  std::memcpy(&m, &bits, 8);
  if (m > kSqrt2) {
    m *= 0.5;
    k += 1;
  }
  const int i = static_cast<int>(m * 128 + 0.5) - kT.kLogFirst;
  const double invc = kT.log_invc[i];
  // r = m * invc - 1 exactly (p - 1 is exact: p is within 1% of 1); |r| < 2^-7.4.
  const double p = m * invc;
  const DD r = two_sum(p - 1, two_prod_err(m, invc, p));
  const double r2 = r.h * r.h, r2_err = two_prod_err(r.h, r.h, r2);
  // log1p(r) = r - r^2/2 + r^3 (1/3 - r/4 + ... + r^6/9); the next term is below 2^-70 |r|.
  const double c = r.h;
  const double poly =
      c * r2 * (1.0 / 3 + c * (-0.25 + c * (0.2 + c * (-1.0 / 6 + c * (1.0 / 7 + c * (-0.125 + c * (1.0 / 9)))))));
  const DD t = two_sum(r.h, -0.5 * r2);
  const double lo = t.l + r.l - 0.5 * r2_err - r.h * r.l + poly;
  const DD a = two_sum(k * kFastLn2Hi, kT.log_c_h[i]);
  const DD b = two_sum(a.h, t.h);
  return {b.h, a.l + b.l + k * kFastLn2Lo + kT.log_c_l[i] + lo};
}

// sin and cos of r = rh + rl, 0 <= rh <= pi/4 + tiny, to about 2^-67 relative: r = j/128 + t, |t| <= 1/256.
void sincos_reduced(double rh, double rl, DD* s, DD* c) {
  const int j = static_cast<int>(rh * 128 + 0.5);
  const double th = rh - j / 128.0;  // exact (Sterbenz, or j = 0)
  const DD sa{kT.sin_h[j], kT.sin_l[j]}, ca{kT.cos_h[j], kT.cos_l[j]};
  const double t2 = th * th;
  // 1 - cos t and t - sin t for t = th (the rl parts enter below, to first order).
  const double ct = t2 * (0.5 - t2 * (1.0 / 24 - t2 * (1.0 / 720))) + th * rl;
  const double st = th * t2 * (1.0 / 6 - t2 * (1.0 / 120 - t2 * (1.0 / 5040)));
  // sin(a + t) = sin a + cos a * t - sin a * (1 - cos t) - cos a * (t - sin t)
  const double ph = ca.h * th, pl = two_prod_err(ca.h, th, ph);
  const DD u = two_sum(sa.h, ph);
  *s = {u.h, u.l + pl + sa.l + ca.l * th + ca.h * rl - sa.h * ct - ca.h * st};
  // cos(a + t) = cos a - sin a * t - cos a * (1 - cos t) + sin a * (t - sin t)
  const double qh = sa.h * th, ql = two_prod_err(sa.h, th, qh);
  const DD v = two_sum(ca.h, -qh);
  *c = {v.h, v.l - ql + ca.l - sa.l * th - sa.h * rl - ca.h * ct + sa.h * st};
}

}  // namespace

const FastTables& fast_tables() { return kT; }

double log_cr(double x) {
  double out;
  if (x >= 2.2250738585072014e-308 && x < INFINITY && x != 1 && rounds_surely(log_fast(x), &out)) return out;
  const DD v = log_dd(x);
  return v.h + v.l;
}

void sincos_cr(double x, double* sin_x, double* cos_x) {
  if (!(x > 0 && x < 8)) {
    *sin_x = sin_cos_slow(x, 0);
    *cos_x = sin_cos_slow(x, 1);
    return;
  }
  double k;
  const DD r = reduce(x, &k);
  DD sr, cr;
  sincos_reduced(std::fabs(r.h), r.h < 0 ? -r.l : r.l, &sr, &cr);
  if (r.h < 0) sr = neg(sr);
  // sin x and cos x by quadrant: (sin r, cos r), (cos r, -sin r), (-sin r, -cos r), (-cos r, sin r).
  const int q = static_cast<int>(k) & 3;
  const DD sv = q == 0 ? sr : q == 1 ? cr : q == 2 ? neg(sr) : neg(cr);
  const DD cv = q == 0 ? cr : q == 1 ? neg(sr) : q == 2 ? neg(cr) : sr;
  if (!rounds_surely(sv, sin_x)) *sin_x = sin_cos_slow(x, 0);
  if (!rounds_surely(cv, cos_x)) *cos_x = sin_cos_slow(x, 1);
}

}  // namespace libm
}  // namespace kindling
