// native/src/kernels/random_avx2.cc — the sampling transforms on 8 floats or 4 doubles at a time
// (random_simd.h). The float32 normal transform is PyTorch's AVX2 kernel, operation for operation. The
// float64 ones evaluate log, sin and cos as libm.cc's fast path does, four lanes at once; a lane whose
// result might round either way is redone by libm.cc, so every value is the correctly rounded one.
#include <immintrin.h>

#include <cstdint>

#include "libm.h"
#include "mt19937.h"
#include "random_simd.h"
// Last: no fused multiply-adds but the explicit ones from here on (fp_exact.h).
#include "fp_exact.h"

namespace kindling {
namespace {

// Constants are rounded to float from their double values, as Math.fround does in libm.ts.
inline __m256 set(double v) { return _mm256_set1_ps(static_cast<float>(v)); }
inline __m256 fma(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
inline __m256 mul(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
inline __m256 neg(__m256 a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
inline __m256i set_i(int v) { return _mm256_set1_epi32(v); }

// logAvx of libm.ts for x in (0, 1].
__m256 log_avx(__m256 x) {
  const __m256i bits = _mm256_castps_si256(x);
  __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), set_i(126));
  const __m256 m0 = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, set_i(0x807fffff)), set_i(0x3f000000)));
  const __m256 small = _mm256_cmp_ps(m0, set(0.707106781186547524), _CMP_LT_OQ);
  e = _mm256_add_epi32(e, _mm256_castps_si256(small));  // e - 1 where small (the mask is -1)
  // m - 1, plus m again where m was below sqrt(1/2).
  const __m256 m = _mm256_add_ps(_mm256_sub_ps(m0, _mm256_set1_ps(1.0f)), _mm256_and_ps(small, m0));
  const __m256 z = mul(m, m);
  __m256 y = fma(set(7.0376836292e-2), m, set(-1.1514610310e-1));
  y = fma(y, m, set(1.1676998740e-1));
  y = fma(y, m, set(-1.2420140846e-1));
  y = fma(y, m, set(1.4249322787e-1));
  y = fma(y, m, set(-1.6668057665e-1));
  y = fma(y, m, set(2.0000714765e-1));
  y = fma(y, m, set(-2.4999993993e-1));
  y = fma(y, m, set(3.3333331174e-1));
  y = mul(y, m);
  const __m256 ef = _mm256_cvtepi32_ps(e);
  y = fma(y, z, mul(ef, set(-2.12194440e-4)));
  y = fma(neg(z), _mm256_set1_ps(0.5f), y);
  return fma(ef, set(0.693359375), _mm256_add_ps(m, y));
}

// sincosAvx of libm.ts for x >= 0.
void sincos_avx(__m256 x, __m256* sin_x, __m256* cos_x) {
  __m256i j = _mm256_cvttps_epi32(mul(x, set(1.27323954473516)));
  j = _mm256_and_si256(_mm256_add_epi32(j, set_i(1)), set_i(~1));
  const __m256 y = _mm256_cvtepi32_ps(j);
  __m256 r = fma(y, set(-0.78515625), x);
  r = fma(y, set(-2.4187564849853515625e-4), r);
  r = fma(y, set(-3.77489497744594108e-8), r);
  const __m256 z = mul(r, r);
  __m256 c = fma(set(2.443315711809948e-5), z, set(-1.388731625493765e-3));
  c = fma(c, z, set(4.166664568298827e-2));
  c = mul(c, z);
  c = fma(c, z, neg(mul(z, _mm256_set1_ps(0.5f))));
  c = _mm256_add_ps(c, _mm256_set1_ps(1.0f));
  __m256 s = fma(set(-1.9515295891e-4), z, set(8.3321608736e-3));
  s = fma(s, z, set(-1.6666654611e-1));
  s = mul(s, z);
  s = fma(s, r, r);
  const __m256i zero = _mm256_setzero_si256();
  const __m256 poly_cos = _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(j, set_i(2)), zero));
  const __m256 sin_neg = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(j, set_i(4)), 29));
  const __m256i cos_pos = _mm256_and_si256(_mm256_sub_epi32(j, set_i(2)), set_i(4));
  const __m256 cos_neg = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cmpeq_epi32(cos_pos, zero), 31));
  *sin_x = _mm256_xor_ps(_mm256_blendv_ps(c, s, poly_cos), sin_neg);
  *cos_x = _mm256_xor_ps(_mm256_blendv_ps(s, c, poly_cos), cos_neg);
}

}  // namespace

void mt_twist_avx2(uint32_t* mt) { mt_twist(mt); }

void mt_temper_avx2(const uint32_t* mt, uint32_t* out, int64_t n) { mt_temper(mt, out, n); }

void normal_fill16_f32_avx2(float* data, int64_t blocks, float mean, float std) {
  const __m256 vmean = _mm256_set1_ps(mean), vstd = _mm256_set1_ps(std);
  for (int64_t b = 0; b < blocks; b++, data += 16) {
    const __m256 u1 = _mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_loadu_ps(data));
    const __m256 u2 = _mm256_loadu_ps(data + 8);
    const __m256 radius = _mm256_sqrt_ps(mul(_mm256_set1_ps(-2.0f), log_avx(u1)));
    __m256 s, c;
    sincos_avx(mul(set(2 * M_PI), u2), &s, &c);
    _mm256_storeu_ps(data, fma(mul(radius, c), vstd, vmean));
    _mm256_storeu_ps(data + 8, fma(mul(radius, s), vstd, vmean));
  }
}

// ---- float64: libm.cc's fast log, sin and cos on four lanes ---------------------------------------------

namespace {

using Tables = libm::FastTables;

struct DD4 {
  __m256d h, l;
};

inline __m256d set_d(double v) { return _mm256_set1_pd(v); }
inline __m256d add(__m256d a, __m256d b) { return _mm256_add_pd(a, b); }
inline __m256d sub(__m256d a, __m256d b) { return _mm256_sub_pd(a, b); }
inline __m256d mul(__m256d a, __m256d b) { return _mm256_mul_pd(a, b); }
inline __m256d fma(__m256d a, __m256d b, __m256d c) { return _mm256_fmadd_pd(a, b, c); }
// The exact rounding error of p = a * b.
inline __m256d prod_err(__m256d a, __m256d b, __m256d p) { return _mm256_fmsub_pd(a, b, p); }
inline __m256d abs(__m256d a) { return _mm256_andnot_pd(set_d(-0.0), a); }

inline DD4 two_sum(__m256d a, __m256d b) {
  const __m256d s = add(a, b), bb = sub(s, a);
  return {s, add(sub(a, sub(s, bb)), sub(b, bb))};
}

inline DD4 fast_two_sum(__m256d a, __m256d b) {
  const __m256d s = add(a, b);
  return {s, sub(b, sub(s, a))};
}

inline __m256d gather(const double* table, __m128i index) {
  const __m256d all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
  return _mm256_mask_i32gather_pd(_mm256_setzero_pd(), table, index, all, 8);
}

// The rounded value of v; `ok` marks the lanes where an error of 2^-63 |v| cannot change it (libm.cc's
// rounds_surely).
inline __m256d round_checked(DD4 v, __m256d* ok) {
  const DD4 n = fast_two_sum(v.h, v.l);
  const __m256d e = mul(abs(n.h), set_d(0x1p-63));
  *ok = _mm256_cmp_pd(add(n.h, sub(n.l, e)), add(n.h, add(n.l, e)), _CMP_EQ_OQ);
  return n.h;
}

// libm.cc's log_fast for positive normal x.
DD4 log_fast(const Tables& t, __m256d x) {
  const __m256i bits = _mm256_castpd_si256(x);
  // The biased exponent as a double: its bits under those of 2^52, minus 2^52.
  const __m256d two52 = set_d(0x1p52);
  const __m256i biased = _mm256_or_si256(_mm256_srli_epi64(bits, 52), _mm256_castpd_si256(two52));
  __m256d k = sub(_mm256_castsi256_pd(biased), set_d(0x1p52 + 1023));
  const __m256i mantissa = _mm256_and_si256(bits, _mm256_set1_epi64x(0x000fffffffffffffLL));
  __m256d m = _mm256_castsi256_pd(_mm256_or_si256(mantissa, _mm256_set1_epi64x(0x3ff0000000000000LL)));
  const __m256d big = _mm256_cmp_pd(m, set_d(1.4142135623730951), _CMP_GT_OQ);
  m = _mm256_blendv_pd(m, mul(m, set_d(0.5)), big);
  k = add(k, _mm256_and_pd(big, set_d(1)));
  const __m128i i = _mm_sub_epi32(_mm256_cvttpd_epi32(add(mul(m, set_d(128)), set_d(0.5))), _mm_set1_epi32(Tables::kLogFirst));
  const __m256d invc = gather(t.log_invc, i);
  const __m256d p = mul(m, invc);
  const DD4 r = two_sum(sub(p, set_d(1)), prod_err(m, invc, p));
  const __m256d r2 = mul(r.h, r.h), r2_err = prod_err(r.h, r.h, r2);
  const __m256d c = r.h;
  __m256d poly = fma(c, set_d(1.0 / 9), set_d(-0.125));
  poly = fma(poly, c, set_d(1.0 / 7));
  poly = fma(poly, c, set_d(-1.0 / 6));
  poly = fma(poly, c, set_d(0.2));
  poly = fma(poly, c, set_d(-0.25));
  poly = fma(poly, c, set_d(1.0 / 3));
  poly = mul(mul(c, r2), poly);
  const DD4 half = two_sum(r.h, mul(r2, set_d(-0.5)));
  const __m256d lo = add(sub(sub(add(half.l, r.l), mul(r2_err, set_d(0.5))), mul(r.h, r.l)), poly);
  const DD4 a = two_sum(mul(k, set_d(6.93147180369123816490e-01)), gather(t.log_c_h, i));
  const DD4 b = two_sum(a.h, half.h);
  const __m256d tail = add(add(add(add(a.l, b.l), mul(k, set_d(1.90821492927058770002e-10))), gather(t.log_c_l, i)), lo);
  return {b.h, tail};
}

// Correctly rounded log of x, lanes in (0, 1].
__m256d log_cr(const Tables& t, __m256d x) {
  __m256d ok;
  __m256d y = round_checked(log_fast(t, x), &ok);
  ok = _mm256_and_pd(ok, _mm256_cmp_pd(x, set_d(0x1p-1022), _CMP_GE_OQ));
  if (_mm256_movemask_pd(ok) != 0xf) {
    alignas(32) double xs[4], ys[4];
    _mm256_store_pd(xs, x);
    _mm256_store_pd(ys, y);
    const int good = _mm256_movemask_pd(ok);
    for (int lane = 0; lane < 4; lane++) {
      if (((good >> lane) & 1) == 0) ys[lane] = libm::log_cr(xs[lane]);
    }
    y = _mm256_load_pd(ys);
  }
  return y;
}

// x - k pi/2 as a double-double (as libm.cc reduces), and k.
DD4 reduce(__m256d x, __m256d* k_out) {
  const __m256d k = _mm256_round_pd(mul(x, set_d(2 / M_PI)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m256d a = sub(x, mul(k, set_d(1.57079632673412561417e+00)));
  const DD4 hb = two_sum(a, mul(k, set_d(-6.07710050630396597660e-11)));
  const DD4 hc = two_sum(hb.h, mul(k, set_d(-2.02226624871116645580e-21)));
  const __m256d l = sub(add(hb.l, hc.l), mul(k, set_d(8.47842766036889956997e-32)));
  *k_out = k;
  return fast_two_sum(hc.h, l);
}

// Correctly rounded sin and cos (libm.cc's fast path, redone by libm.cc where unsure), lanes in (0, 8).
void sincos_cr(const Tables& t, __m256d x, __m256d* sin_x, __m256d* cos_x) {
  // Lanes outside (0, 8), NaN included, are redone below; 1 in their place keeps the table indices valid.
  const __m256d in_range = _mm256_and_pd(_mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_GT_OQ), _mm256_cmp_pd(x, set_d(8), _CMP_LT_OQ));
  __m256d k;
  const DD4 r = reduce(_mm256_blendv_pd(set_d(1), x, in_range), &k);
  // sin and cos of |r| = rh + rl from those of j/128 (libm.cc's sincos_reduced).
  const __m256d sign = _mm256_and_pd(r.h, set_d(-0.0));
  const __m256d rh = abs(r.h), rl = _mm256_xor_pd(r.l, sign);
  const __m128i j = _mm256_cvttpd_epi32(add(mul(rh, set_d(128)), set_d(0.5)));
  const __m256d th = sub(rh, mul(_mm256_cvtepi32_pd(j), set_d(1.0 / 128)));
  const __m256d sh = gather(t.sin_h, j), sl = gather(t.sin_l, j), ch = gather(t.cos_h, j), cl = gather(t.cos_l, j);
  const __m256d t2 = mul(th, th);
  const __m256d ct = add(mul(t2, sub(set_d(0.5), mul(t2, sub(set_d(1.0 / 24), mul(t2, set_d(1.0 / 720)))))), mul(th, rl));
  const __m256d st = mul(mul(th, t2), sub(set_d(1.0 / 6), mul(t2, sub(set_d(1.0 / 120), mul(t2, set_d(1.0 / 5040))))));
  const __m256d ph = mul(ch, th);
  const DD4 u = two_sum(sh, ph);
  __m256d s_lo = add(add(add(u.l, prod_err(ch, th, ph)), sl), mul(cl, th));
  s_lo = sub(sub(add(s_lo, mul(ch, rl)), mul(sh, ct)), mul(ch, st));
  const __m256d qh = mul(sh, th);
  const DD4 v = two_sum(ch, _mm256_xor_pd(qh, set_d(-0.0)));
  __m256d c_lo = add(sub(v.l, prod_err(sh, th, qh)), cl);
  c_lo = add(sub(sub(sub(c_lo, mul(sl, th)), mul(sh, rl)), mul(ch, ct)), mul(sh, st));
  // sin r = sign * sin |r|. By quadrant k mod 4 (read from the fraction of k/4), sin x and cos x are
  // (sin r, cos r), (cos r, -sin r), (-sin r, -cos r), (-cos r, sin r).
  const DD4 sr{_mm256_xor_pd(u.h, sign), _mm256_xor_pd(s_lo, sign)};
  const __m256d kq = mul(k, set_d(0.25));
  const __m256d q = sub(kq, _mm256_floor_pd(kq));
  const __m256d q1 = _mm256_cmp_pd(q, set_d(0.25), _CMP_EQ_OQ), q2 = _mm256_cmp_pd(q, set_d(0.5), _CMP_EQ_OQ);
  const __m256d swap = _mm256_or_pd(q1, _mm256_cmp_pd(q, set_d(0.75), _CMP_EQ_OQ));
  const __m256d sin_neg = _mm256_and_pd(_mm256_cmp_pd(q, set_d(0.5), _CMP_GE_OQ), set_d(-0.0));
  const __m256d cos_neg = _mm256_and_pd(_mm256_or_pd(q1, q2), set_d(-0.0));
  const DD4 a{_mm256_xor_pd(_mm256_blendv_pd(sr.h, v.h, swap), sin_neg), _mm256_xor_pd(_mm256_blendv_pd(sr.l, c_lo, swap), sin_neg)};
  const DD4 b{_mm256_xor_pd(_mm256_blendv_pd(v.h, sr.h, swap), cos_neg), _mm256_xor_pd(_mm256_blendv_pd(c_lo, sr.l, swap), cos_neg)};
  __m256d ok_s, ok_c;
  *sin_x = round_checked(a, &ok_s);
  *cos_x = round_checked(b, &ok_c);
  const int good = _mm256_movemask_pd(_mm256_and_pd(_mm256_and_pd(ok_s, ok_c), in_range));
  if (good != 0xf) {
    alignas(32) double xs[4], ss[4], cs[4];
    _mm256_store_pd(xs, x);
    _mm256_store_pd(ss, *sin_x);
    _mm256_store_pd(cs, *cos_x);
    for (int lane = 0; lane < 4; lane++) {
      if (((good >> lane) & 1) == 0) libm::sincos_cr(xs[lane], &ss[lane], &cs[lane]);
    }
    *sin_x = _mm256_load_pd(ss);
    *cos_x = _mm256_load_pd(cs);
  }
}

// fp_exact.h's fmad on four lanes (its exact product error computed with an FMA gives the same value).
__m256d fmad(__m256d a, __m256d b, __m256d c) {
  const __m256d p = mul(a, b);
  const __m256d s = add(p, c), bb = sub(s, p);
  const __m256d se = add(sub(p, sub(s, bb)), sub(c, bb));
  const __m256d fused = add(s, add(se, prod_err(a, b, p)));
  // Where c is 0 or p is not finite: p + c. (p - p is 0 exactly when p is finite.)
  const __m256d plain = _mm256_or_pd(_mm256_cmp_pd(c, _mm256_setzero_pd(), _CMP_EQ_OQ),
                                     _mm256_cmp_pd(sub(p, p), _mm256_setzero_pd(), _CMP_NEQ_UQ));
  return _mm256_blendv_pd(fused, add(p, c), plain);
}

}  // namespace

void normal_fill16_f64_avx2(double* data, int64_t blocks, double mean, double std) {
  const Tables& t = libm::fast_tables();
  const __m256d vmean = set_d(mean), vstd = set_d(std);
  for (int64_t b = 0; b < blocks; b++, data += 16) {
    for (int half = 0; half < 8; half += 4) {
      const __m256d u1 = sub(set_d(1), _mm256_loadu_pd(data + half));
      const __m256d u2 = _mm256_loadu_pd(data + 8 + half);
      const __m256d radius = _mm256_sqrt_pd(mul(set_d(-2), log_cr(t, u1)));
      __m256d s, c;
      sincos_cr(t, mul(set_d(2 * M_PI), u2), &s, &c);
      _mm256_storeu_pd(data + half, fmad(mul(radius, c), vstd, vmean));
      _mm256_storeu_pd(data + 8 + half, fmad(mul(radius, s), vstd, vmean));
    }
  }
}

void scaled_log1m_avx2(const double* u, double* out, int64_t n, double scale) {
  const Tables& t = libm::fast_tables();
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    _mm256_storeu_pd(out + i, mul(set_d(scale), log_cr(t, sub(set_d(1), _mm256_loadu_pd(u + i)))));
  }
  for (; i < n; i++) out[i] = scale * libm::log_cr(1 - u[i]);
}

}  // namespace kindling
