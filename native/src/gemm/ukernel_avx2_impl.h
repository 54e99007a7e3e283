// Register-blocked AVX2+FMA microkernel template; included only by files compiled with -mavx2 -mfma.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace kindling {
namespace avx2 {

struct F32 {
  using T = float;
  using V = __m256;
  static constexpr int kLanes = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const T* p) { return _mm256_load_ps(p); }
  static V loadu(const T* p) { return _mm256_loadu_ps(p); }
  static void storeu(T* p, V v) { _mm256_storeu_ps(p, v); }
  static V set1(T x) { return _mm256_broadcast_ss(&x); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
};

struct F64 {
  using T = double;
  using V = __m256d;
  static constexpr int kLanes = 4;
  static V zero() { return _mm256_setzero_pd(); }
  static V load(const T* p) { return _mm256_load_pd(p); }
  static V loadu(const T* p) { return _mm256_loadu_pd(p); }
  static void storeu(T* p, V v) { _mm256_storeu_pd(p, v); }
  static V set1(T x) { return _mm256_broadcast_sd(&x); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
};

// MR x NV ymm accumulators (6 x 2 = 12) + NV B vectors + 1 broadcast fit the 16 ymm registers.
template <typename Ops, int MR, int NV>
__attribute__((always_inline)) inline void ukernel(int64_t kc, const typename Ops::T* __restrict a,
                                                   const typename Ops::T* __restrict b, typename Ops::T* c,
                                                   int64_t ldc, typename Ops::T alpha, typename Ops::T beta) {
  using V = typename Ops::V;
  constexpr int kL = Ops::kLanes;
  constexpr int kNR = NV * kL;
  V acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) acc[i][j] = Ops::zero();
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);

  for (int64_t p = 0; p < kc; ++p) {
    V bv[NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) bv[j] = Ops::load(b + j * kL);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const V av = Ops::set1(a[i]);
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j) acc[i][j] = Ops::fmadd(av, bv[j], acc[i][j]);
    }
    a += MR;
    b += kNR;
  }

  const V va = Ops::set1(alpha);
  if (beta == typename Ops::T(0)) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j) Ops::storeu(c + i * ldc + j * kL, Ops::mul(acc[i][j], va));
  } else {
    const V vb = Ops::set1(beta);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j)
        Ops::storeu(c + i * ldc + j * kL,
                    Ops::fmadd(acc[i][j], va, Ops::mul(Ops::loadu(c + i * ldc + j * kL), vb)));
  }
}

}  // namespace avx2
}  // namespace kindling
