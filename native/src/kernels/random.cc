// native/src/kernels/random.cc — mt19937 and the sampling kernels (random.h), ported from
// src/core/random.ts. The 32-bit words come from one serial stream, drawn a block at a time into a small
// stack buffer; the transforms that cost more than the words (normal, exponential) then run on the thread
// pool over values whose words are already drawn, so every value and the final state are the serial ones.
#include "random.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "libm.h"
#include "mt19937.h"
#include "random_simd.h"
// Last: no fused multiply-adds from here on (fp_exact.h).
#include "fp_exact.h"

namespace kindling {
namespace {

// Words per stack block (16 KB), and elements per chunk of the transforms that run on the pool: a chunk's
// uniforms are still in cache (L2 or L3) when the threads transform them.
constexpr int64_t kWordBlock = 4096;
constexpr int64_t kChunk = int64_t(1) << 20;

// fn(begin, end) over [0, n) in pieces that the pool's threads claim as they come free: a thread the
// shared machine descheduled then delays one small piece, not half the work. One piece below min_n.
template <typename F>
void parallel_pieces(int64_t n, int64_t min_n, F&& fn) {
  const int64_t pieces = n < min_n ? 1 : std::min<int64_t>(n, 4 * get_pool_threads());
  parallel_for(pieces, [&](int64_t t) { fn(n * t / pieces, n * (t + 1) / pieces); });
}

bool use_avx2() {
#if KINDLING_X86_KERNELS
  return active_isa() != Isa::kScalar;
#else
  return false;
#endif
}

// The next n words of the stream: PyTorch's mt19937::operator() n times. TypeScript's setState only
// accepts positions a generator can reach (left + next = 625, or a fresh seed's 1 and 0); the bound on m
// merely keeps any other state from reading past mt.
void draw_words(GeneratorState& g, uint32_t* out, int64_t n) {
  while (n > 0) {
    int64_t m = std::min<int64_t>({n, int64_t(g.left) - 1, int64_t(kMtN) - g.next});
    if (m <= 0) {
#if KINDLING_X86_KERNELS
      if (use_avx2()) mt_twist_avx2(g.mt);
      else mt_twist(g.mt);
#else
      mt_twist(g.mt);
#endif
      g.left = kMtN + 1;
      g.next = 0;
      m = std::min<int64_t>(n, kMtN);
    }
#if KINDLING_X86_KERNELS
    if (use_avx2()) mt_temper_avx2(g.mt + g.next, out, m);
    else mt_temper(g.mt + g.next, out, m);
#else
    mt_temper(g.mt + g.next, out, m);
#endif
    g.left -= uint32_t(m);
    g.next += uint32_t(m);
    out += m;
    n -= m;
  }
}

// Calls put(words, first, count) over the next n elements in order, a stack block at a time, each
// element taking kPer consecutive words.
template <int kPer, typename F>
void for_word_blocks(GeneratorState& g, int64_t n, F&& put) {
  alignas(64) uint32_t words[kWordBlock];
  constexpr int64_t kElems = kWordBlock / kPer;
  for (int64_t i = 0; i < n; i += kElems) {
    const int64_t len = std::min(kElems, n - i);
    draw_words(g, words, len * kPer);
    put(static_cast<const uint32_t*>(words), i, len);
  }
}

// uniform_real_distribution<float>(0, 1): the low 24 bits of a word, scaled (exact).
inline float uniform24(uint32_t w) { return float(w & 0xffffffu) * 0x1p-24f; }
// uniform_real_distribution<double>(0, 1): the low 53 bits of random64 (high word first), scaled (exact).
inline double uniform53(const uint32_t* w) {
  return double((uint64_t(w[0] & 0x1fffffu) << 32) | w[1]) * 0x1p-53;
}

// ---- Normal ------------------------------------------------------------------------------------------

// Constants of the float kernels, rounded to float from their double values as Math.fround does.
constexpr float f32(double v) { return static_cast<float>(v); }

// PyTorch's AVX2 float log for x in (0, 1], one lane (logAvx in libm.ts).
float log_avx(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  int e = int(bits >> 23) - 127 + 1;
  bits = (bits & 0x807fffffu) | 0x3f000000u;
  float m;
  std::memcpy(&m, &bits, 4);
  if (m < f32(0.707106781186547524)) {
    e -= 1;
    m = (m - 1.0f) + m;
  } else {
    m = m - 1.0f;
  }
  const float z = m * m;
  float y = std::fma(f32(7.0376836292e-2), m, f32(-1.1514610310e-1));
  y = std::fma(y, m, f32(1.1676998740e-1));
  y = std::fma(y, m, f32(-1.2420140846e-1));
  y = std::fma(y, m, f32(1.4249322787e-1));
  y = std::fma(y, m, f32(-1.6668057665e-1));
  y = std::fma(y, m, f32(2.0000714765e-1));
  y = std::fma(y, m, f32(-2.4999993993e-1));
  y = std::fma(y, m, f32(3.3333331174e-1));
  y = y * m;
  const float ef = float(e);
  y = std::fma(y, z, ef * f32(-2.12194440e-4));
  y = std::fma(-z, 0.5f, y);
  return std::fma(ef, f32(0.693359375), m + y);
}

// PyTorch's AVX2 float sincos for x >= 0, one lane (sincosAvx in libm.ts).
void sincos_avx(float x, float* sin_x, float* cos_x) {
  int j = int(x * f32(1.27323954473516));
  j = (j + 1) & ~1;
  const float y = float(j);
  float r = std::fma(y, f32(-0.78515625), x);
  r = std::fma(y, f32(-2.4187564849853515625e-4), r);
  r = std::fma(y, f32(-3.77489497744594108e-8), r);
  const float z = r * r;
  float c = std::fma(f32(2.443315711809948e-5), z, f32(-1.388731625493765e-3));
  c = std::fma(c, z, f32(4.166664568298827e-2));
  c = c * z;
  c = std::fma(c, z, -(z * 0.5f));
  c = c + 1.0f;
  float s = std::fma(f32(-1.9515295891e-4), z, f32(8.3321608736e-3));
  s = std::fma(s, z, f32(-1.6666654611e-1));
  s = s * z;
  s = std::fma(s, r, r);
  const bool poly_cos = (j & 2) == 0;
  const float sv = poly_cos ? s : c, cv = poly_cos ? c : s;
  *sin_x = (j & 4) != 0 ? -sv : sv;
  *cos_x = ((j - 2) & 4) == 0 ? -cv : cv;
}

// normalFill16Avx of random.ts over `blocks` blocks of 16.
void normal_fill16_f32(float* data, int64_t blocks, float mean, float std) {
  for (int64_t b = 0; b < blocks; b++, data += 16) {
    for (int j = 0; j < 8; j++) {
      const float radius = std::sqrt(-2.0f * log_avx(1.0f - data[j]));
      const float theta = f32(2 * M_PI) * data[j + 8];
      float s, c;
      sincos_avx(theta, &s, &c);
      data[j] = std::fma(radius * c, std, mean);
      data[j + 8] = std::fma(radius * s, std, mean);
    }
  }
}

// normalFill16Double of random.ts over `blocks` blocks of 16.
void normal_fill16_f64(double* data, int64_t blocks, double mean, double std) {
  for (int64_t b = 0; b < blocks; b++, data += 16) {
    for (int j = 0; j < 8; j++) {
      const double radius = std::sqrt(-2 * libm::log_cr(1 - data[j]));
      double s, c;
      libm::sincos_cr(2 * M_PI * data[j + 8], &s, &c);
      data[j] = exact::fmad(radius * c, std, mean);
      data[j + 8] = exact::fmad(radius * s, std, mean);
    }
  }
}

void fill16(float* data, int64_t blocks, float mean, float std) {
#if KINDLING_X86_KERNELS
  if (use_avx2()) return normal_fill16_f32_avx2(data, blocks, mean, std);
#endif
  normal_fill16_f32(data, blocks, mean, std);
}

void fill16(double* data, int64_t blocks, double mean, double std) {
#if KINDLING_X86_KERNELS
  if (use_avx2()) return normal_fill16_f64_avx2(data, blocks, mean, std);
#endif
  normal_fill16_f64(data, blocks, mean, std);
}

// Uniforms for `n` elements from the stream: 24-bit ones for float, 53-bit ones for double.
void draw_uniforms(GeneratorState& g, float* out, int64_t n) {
  for_word_blocks<1>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    for (int64_t k = 0; k < len; k++) out[i + k] = uniform24(w[k]);
  });
}

void draw_uniforms(GeneratorState& g, double* out, int64_t n) {
  for_word_blocks<2>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    for (int64_t k = 0; k < len; k++) out[i + k] = uniform53(w + 2 * k);
  });
}

// normal_distribution<double>, with its cached second value (normalDouble in random.ts).
double normal_double(GeneratorState& g, double mean, double std) {
  if (g.has_double_normal != 0) {
    const double cached = g.double_normal;
    g.has_double_normal = 0;
    g.double_normal = 0;  // as the TypeScript setter leaves an empty slot
    return exact::fmad(cached, std, mean);
  }
  uint32_t w[4];
  draw_words(g, w, 4);
  const double u1 = uniform53(w), u2 = uniform53(w + 2);
  const double r = std::sqrt(-2 * libm::log_cr(1 - u2));
  double s, c;
  libm::sincos_cr(2 * M_PI * u1, &s, &c);
  g.has_double_normal = 1;
  g.double_normal = r * s;
  return exact::fmad(r * c, std, mean);
}

// The 16-wide path: all n uniforms, each block of 16 transformed in place, then, when 16 does not divide
// n, the last 16 redrawn and transformed again. Chunks keep the uniforms in cache for the transform.
template <typename T>
void normal_blocks(GeneratorState& g, T* out, int64_t n, T mean, T std) {
  for (int64_t c = 0; c < n; c += kChunk) {
    const int64_t len = std::min(kChunk, n - c);
    draw_uniforms(g, out + c, len);
    parallel_pieces(len / 16, 256, [&](int64_t b0, int64_t b1) { fill16(out + c + 16 * b0, b1 - b0, mean, std); });
  }
  if (n % 16 != 0) {
    draw_uniforms(g, out + n - 16, 16);
    fill16(out + n - 16, 1, mean, std);
  }
}

// u[i] = scale * log(1 - u[i]), exponential_'s transform.
void scaled_log1m(double* u, int64_t n, double scale) {
#if KINDLING_X86_KERNELS
  if (use_avx2()) return scaled_log1m_avx2(u, u, n, scale);
#endif
  for (int64_t i = 0; i < n; i++) u[i] = scale * libm::log_cr(1 - u[i]);
}

// ---- Integers ----------------------------------------------------------------------------------------

// A JavaScript typed array's store of the integer-valued double v.
inline void store(float* p, double v) { *p = float(v); }
inline void store(double* p, double v) { *p = v; }
inline void store(int32_t* p, double v) { *p = int32_t(uint32_t(uint64_t(int64_t(v)))); }
inline void store(uint8_t* p, double v) { *p = uint8_t(uint64_t(int64_t(v))); }

// w % d for a 32-bit w and 1 <= d < 2^32, by one multiplication (Lemire, Kaser and Kurz 2019).
struct FastMod {
  uint64_t m, d;
  explicit FastMod(uint64_t divisor) : m(~uint64_t(0) / divisor + 1), d(divisor) {}
  uint32_t operator()(uint32_t w) const {
    return uint32_t((static_cast<unsigned __int128>(m * w) * d) >> 64);
  }
};

// Stores 1 or 0 (bit) without a branch: GCC compiles `key < threshold ? 1 : 0` into one, which p = 0.5
// mispredicts half the time (3x slower).
inline void store_bit(uint8_t* p, uint64_t bit) { *p = uint8_t(bit); }
inline void store_bit(float* p, uint64_t bit) {
  const uint32_t bits = (0u - uint32_t(bit)) & 0x3f800000u;  // 1.0f
  std::memcpy(p, &bits, 4);
}
inline void store_bit(double* p, uint64_t bit) {
  const uint64_t bits = (0u - bit) & 0x3ff0000000000000u;  // 1.0
  std::memcpy(p, &bits, 8);
}

}  // namespace

// ---- Entry points ------------------------------------------------------------------------------------

void random_uniform(GeneratorState& g, float* out, int64_t n, double from, double to) {
  const float f = float(from);
  const float range = float(double(float(to)) - double(f));
  for_word_blocks<1>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    float* o = out + i;
    if (f == 0 && range == 1) {
      for (int64_t k = 0; k < len; k++) o[k] = uniform24(w[k]);
    } else {
      for (int64_t k = 0; k < len; k++) o[k] = std::fma(uniform24(w[k]), range, f);
    }
  });
}

void random_uniform(GeneratorState& g, double* out, int64_t n, double from, double to) {
  const double range = to - from;
  for_word_blocks<2>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    double* o = out + i;
    if (from == 0 && range == 1) {
      for (int64_t k = 0; k < len; k++) o[k] = uniform53(w + 2 * k);
    } else {
      for (int64_t k = 0; k < len; k++) o[k] = exact::fmad(uniform53(w + 2 * k), range, from);
    }
  });
}

void random_normal(GeneratorState& g, float* out, int64_t n, double mean, double std, bool elementwise) {
  if (n < 16 || elementwise) {
    for (int64_t i = 0; i < n; i++) out[i] = float(normal_double(g, mean, std));
    return;
  }
  normal_blocks<float>(g, out, n, float(mean), float(std));
}

void random_normal(GeneratorState& g, double* out, int64_t n, double mean, double std, bool elementwise) {
  if (n < 16 || elementwise) {
    for (int64_t i = 0; i < n; i++) out[i] = normal_double(g, mean, std);
    return;
  }
  normal_blocks<double>(g, out, n, mean, std);
}

template <typename T>
void random_int(GeneratorState& g, T* out, int64_t n, double low, double high) {
  const double range = high - low;
  // Ranges of 2^32 and more take 64-bit draws, and only for the dtypes that can hold such values.
  const bool wide = range >= 0x1p32 && (sizeof(T) == 8 || std::is_same<T, float>::value);
  if (!wide) {
    // A narrow dtype with a range of 2^32 or more keeps the word whole (w % range = w).
    const FastMod mod(range >= 0x1p32 ? (uint64_t(1) << 32) - 1 : uint64_t(range));
    const bool whole = range >= 0x1p32;
    for_word_blocks<1>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
      for (int64_t k = 0; k < len; k++) store(out + i + k, double(whole ? w[k] : mod(w[k])) + low);
    });
    return;
  }
  // (random64 % range) + low, wrapped to int64 and rounded to a double as BigInt arithmetic would.
  const bool full = range >= 0x1p64;
  const uint64_t r = full ? 0 : uint64_t(range);
  const uint64_t b = uint64_t(int64_t(low));
  for_word_blocks<2>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    for (int64_t k = 0; k < len; k++) {
      const uint64_t v = (uint64_t(w[2 * k]) << 32) | w[2 * k + 1];
      const uint64_t m = full ? v : v % r;
      store(out + i + k, range > 0x1p53 ? double(int64_t(m + b)) : double(m) + low);
    }
  });
}

template <typename T>
void random_bernoulli(GeneratorState& g, T* out, int64_t n, double p) {
  // u < p for u = K / 2^53 with the integer K < 2^53 is K < ceil(p * 2^53): the sign of K - ceil(p * 2^53).
  const uint64_t threshold = uint64_t(std::ceil(p * 0x1p53));
  for_word_blocks<2>(g, n, [&](const uint32_t* w, int64_t i, int64_t len) {
    for (int64_t k = 0; k < len; k++) {
      const uint64_t key = (uint64_t(w[2 * k] & 0x1fffffu) << 32) | w[2 * k + 1];
      store_bit(out + i + k, (key - threshold) >> 63);
    }
  });
}

template <typename T>
void random_exponential(GeneratorState& g, T* out, int64_t n, double lambd) {
  // Doubles are transformed in place; a float tensor's go through a stack block.
  constexpr bool kInPlace = std::is_same<T, double>::value;
  constexpr int64_t kLen = kInPlace ? kChunk : 8192;
  alignas(64) double block[kInPlace ? 1 : kLen];
  const double scale = -1 / lambd;
  for (int64_t c = 0; c < n; c += kLen) {
    const int64_t len = std::min(kLen, n - c);
    double* u = kInPlace ? reinterpret_cast<double*>(out) + c : block;
    draw_uniforms(g, u, len);
    parallel_pieces(len, 1024, [&](int64_t i0, int64_t i1) {
      scaled_log1m(u + i0, i1 - i0, scale);
      if (!kInPlace) for (int64_t i = i0; i < i1; i++) out[c + i] = T(u[i]);
    });
  }
}

template void random_int<float>(GeneratorState&, float*, int64_t, double, double);
template void random_int<double>(GeneratorState&, double*, int64_t, double, double);
template void random_int<int32_t>(GeneratorState&, int32_t*, int64_t, double, double);
template void random_int<uint8_t>(GeneratorState&, uint8_t*, int64_t, double, double);
template void random_bernoulli<float>(GeneratorState&, float*, int64_t, double);
template void random_bernoulli<double>(GeneratorState&, double*, int64_t, double);
template void random_bernoulli<uint8_t>(GeneratorState&, uint8_t*, int64_t, double);
template void random_exponential<float>(GeneratorState&, float*, int64_t, double);
template void random_exponential<double>(GeneratorState&, double*, int64_t, double);

}  // namespace kindling
