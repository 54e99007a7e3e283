// Register-blocked AVX-512 microkernel template; included only by files compiled with -mavx512f -mfma.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace kindling {
namespace avx512 {

// Thin per-dtype wrappers so one kernel body serves float (16 lanes) and double (8 lanes).
struct F32 {
  using T = float;
  using V = __m512;
  static constexpr int kLanes = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const T* p) { return _mm512_load_ps(p); }
  static V loadu(const T* p) { return _mm512_loadu_ps(p); }
  static void storeu(T* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(T x) { return _mm512_set1_ps(x); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
};

struct F64 {
  using T = double;
  using V = __m512d;
  static constexpr int kLanes = 8;
  static V zero() { return _mm512_setzero_pd(); }
  static V load(const T* p) { return _mm512_load_pd(p); }
  static V loadu(const T* p) { return _mm512_loadu_pd(p); }
  static void storeu(T* p, V v) { _mm512_storeu_pd(p, v); }
  static V set1(T x) { return _mm512_set1_pd(x); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
};

// MR rows x NV vectors of accumulators live in zmm registers for the whole k loop (MR * NV + NV + 1 <= 32).
// The loops over MR/NV are compile-time and fully unrolled, so the compiler keeps acc[][] in registers.
// AS is the packed A panel's width: an edge kernel computes the first MR rows of a wider panel.
template <typename Ops, int MR, int NV, int AS = MR>
__attribute__((always_inline)) inline void ukernel(int64_t kc, const typename Ops::T* __restrict a,
                                                   const typename Ops::T* __restrict b, typename Ops::T* c,
                                                   int64_t ldc, typename Ops::T alpha, typename Ops::T beta) {
  using V = typename Ops::V;
  constexpr int kL = Ops::kLanes;
  constexpr int kNR = NV * kL;
  V acc[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) acc[i][j] = Ops::zero();

  // C is touched only after the k loop; prefetch it now so the write-back does not stall on misses.
#pragma GCC unroll 32
  for (int i = 0; i < MR; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + kNR - 1), _MM_HINT_T0);
  }

  // Two k steps per iteration halves loop overhead without bloating the code much.
  int64_t p = 0;
  for (; p + 2 <= kc; p += 2) {
#pragma GCC unroll 2
    for (int u = 0; u < 2; ++u) {
      V bv[NV];
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) bv[j] = Ops::load(b + u * kNR + j * kL);
#pragma GCC unroll 32
      for (int i = 0; i < MR; ++i) {
        const V av = Ops::set1(a[u * AS + i]);
#pragma GCC unroll 8
        for (int j = 0; j < NV; ++j) acc[i][j] = Ops::fmadd(av, bv[j], acc[i][j]);
      }
    }
    a += 2 * AS;
    b += 2 * kNR;
  }
  if (p < kc) {
    V bv[NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) bv[j] = Ops::load(b + j * kL);
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i) {
      const V av = Ops::set1(a[i]);
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) acc[i][j] = Ops::fmadd(av, bv[j], acc[i][j]);
    }
  }

  const V va = Ops::set1(alpha);
  if (beta == typename Ops::T(0)) {
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) Ops::storeu(c + i * ldc + j * kL, Ops::mul(acc[i][j], va));
  } else if (beta == typename Ops::T(1)) {
    // beta == 1 is the common case for every k block after the first; skip the multiply.
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j)
        Ops::storeu(c + i * ldc + j * kL, Ops::fmadd(acc[i][j], va, Ops::loadu(c + i * ldc + j * kL)));
  } else {
    const V vb = Ops::set1(beta);
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j)
        Ops::storeu(c + i * ldc + j * kL,
                    Ops::fmadd(acc[i][j], va, Ops::mul(Ops::loadu(c + i * ldc + j * kL), vb)));
  }
}

}  // namespace avx512
}  // namespace kindling
