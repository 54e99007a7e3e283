// Direct convolution kernel templates (see conv2d_direct.h); included only by the per-ISA files, which
// instantiate them with their vector type and register blocks.
#pragma once

#include <cstdint>

#include "conv2d_direct.h"

namespace kindling {
namespace direct {

template <int OB, int JV>
struct Block {
  static constexpr int ob = OB;
  static constexpr int jv = JV;
};

// One tile: OB output channels x JV vectors of positions from j0. Its accumulators stay in
// registers across the whole channel x tap loop: each tap costs JV unaligned loads and OB
// broadcasts for OB * JV FMAs.
template <typename Ops, int OB, int JV>
__attribute__((always_inline)) inline void corr_tile(const float* in, int64_t channels, int64_t plane,
                                                     const int64_t* off, int64_t taps, const float* w, int64_t opad,
                                                     const float* bias, float* out, int64_t out_stride, int64_t o0,
                                                     int64_t j0) {
  using V = typename Ops::V;
  constexpr int L = Ops::kLanes;
  V acc[OB][JV];
#pragma GCC unroll 16
  for (int i = 0; i < OB; ++i) {
    const V b = bias != nullptr ? Ops::set1(bias[o0 + i]) : Ops::zero();
#pragma GCC unroll 8
    for (int v = 0; v < JV; ++v) acc[i][v] = b;
  }
  const float* wp = w + o0;
  for (int64_t c = 0; c < channels; ++c) {
    const float* ip = in + c * plane + j0;
    for (int64_t t = 0; t < taps; ++t, wp += opad) {
      const float* src = ip + off[t];
      V x[JV];
#pragma GCC unroll 8
      for (int v = 0; v < JV; ++v) x[v] = Ops::loadu(src + v * L);
#pragma GCC unroll 16
      for (int i = 0; i < OB; ++i) {
        const V wv = Ops::set1(wp[i]);
#pragma GCC unroll 8
        for (int v = 0; v < JV; ++v) acc[i][v] = Ops::fmadd(wv, x[v], acc[i][v]);
      }
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < OB; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < JV; ++v) Ops::storeu(out + (o0 + i) * out_stride + j0 + v * L, acc[i][v]);
}

// Whole tiles of JV vectors, then the last few vectors one at a time, so the positions are only
// rounded up to a vector (jn is a multiple of the lane count).
template <typename Ops, int OB, int JV>
void corr_block(const float* in, int64_t channels, int64_t plane, const int64_t* off, int64_t taps, const float* w,
                int64_t opad, const float* bias, float* out, int64_t out_stride, int64_t jn) {
  constexpr int L = Ops::kLanes;
  for (int64_t o0 = 0; o0 < opad; o0 += OB) {
    int64_t j0 = 0;
    for (; j0 + JV * L <= jn; j0 += JV * L)
      corr_tile<Ops, OB, JV>(in, channels, plane, off, taps, w, opad, bias, out, out_stride, o0, j0);
    for (; j0 < jn; j0 += L) corr_tile<Ops, OB, 1>(in, channels, plane, off, taps, w, opad, bias, out, out_stride, o0, j0);
  }
}

// Weight-gradient dot products: OB output channels x TB taps of lane-wise partial sums stay in
// registers over the positions of all n images, and are added into `part` once per (channel, tap
// block, o block).
template <typename Ops, int OB, int TB>
void corr_grad_block(const float* dy, int64_t dy_image, int64_t dy_stride, int64_t opad, const float* in,
                     int64_t in_image, int64_t channels, int64_t plane, const int64_t* off, int64_t tpad,
                     float* part, int64_t jn, int64_t n) {
  using V = typename Ops::V;
  constexpr int L = Ops::kLanes;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t t0 = 0; t0 < tpad; t0 += TB) {
      const float* src[TB];
#pragma GCC unroll 8
      for (int u = 0; u < TB; ++u) src[u] = in + c * plane + off[t0 + u];
      for (int64_t o0 = 0; o0 < opad; o0 += OB) {
        V acc[OB][TB];
#pragma GCC unroll 16
        for (int i = 0; i < OB; ++i)
#pragma GCC unroll 8
          for (int u = 0; u < TB; ++u) acc[i][u] = Ops::zero();
        for (int64_t img = 0; img < n; ++img) {
          const float* d = dy + img * dy_image + o0 * dy_stride;
          const int64_t shift = img * in_image;
          for (int64_t j = 0; j < jn; j += L) {
            V x[TB];
#pragma GCC unroll 8
            for (int u = 0; u < TB; ++u) x[u] = Ops::loadu(src[u] + shift + j);
#pragma GCC unroll 16
            for (int i = 0; i < OB; ++i) {
              const V dv = Ops::loadu(d + i * dy_stride + j);
#pragma GCC unroll 8
              for (int u = 0; u < TB; ++u) acc[i][u] = Ops::fmadd(dv, x[u], acc[i][u]);
            }
          }
        }
#pragma GCC unroll 16
        for (int i = 0; i < OB; ++i)
#pragma GCC unroll 8
          for (int u = 0; u < TB; ++u) {
            float* p = part + (((o0 + i) * channels + c) * tpad + t0 + u) * L;
            Ops::storeu(p, Ops::add(Ops::loadu(p), acc[i][u]));
          }
      }
    }
}

// The kernel table for one ISA over its candidate register blocks Bs.
template <typename Ops, typename... Bs>
struct Kernels {
  // The block that pads `channels` least (the larger block on ties, for fewer passes over the input).
  static DirectBlock choose(int64_t channels) {
    DirectBlock best{0, 0};
    int64_t best_pad = 0;
    const DirectBlock cands[] = {DirectBlock{Bs::ob, Bs::jv}...};
    for (const DirectBlock& b : cands) {
      const int64_t pad = (channels + b.ob - 1) / b.ob * b.ob;
      if (best.ob == 0 || pad < best_pad || (pad == best_pad && b.ob > best.ob)) {
        best = b;
        best_pad = pad;
      }
    }
    return best;
  }

  static void corr(DirectBlock b, const float* in, int64_t channels, int64_t plane, const int64_t* off,
                   int64_t taps, const float* w, int64_t opad, const float* bias, float* out, int64_t out_stride,
                   int64_t jn) {
    (void)((b.ob == Bs::ob && b.jv == Bs::jv
                ? (corr_block<Ops, Bs::ob, Bs::jv>(in, channels, plane, off, taps, w, opad, bias, out, out_stride, jn),
                   true)
                : false) ||
           ...);
  }

  static void corr_grad(DirectBlock b, const float* dy, int64_t dy_image, int64_t dy_stride, int64_t opad,
                        const float* in, int64_t in_image, int64_t channels, int64_t plane, const int64_t* off,
                        int64_t tpad, float* part, int64_t jn, int64_t n) {
    (void)((b.ob == Bs::ob && b.jv == Bs::jv ? (corr_grad_block<Ops, Bs::ob, Bs::jv>(dy, dy_image, dy_stride, opad, in,
                                                                                  in_image, channels, plane, off, tpad,
                                                                                  part, jn, n),
                                                true)
                                             : false) ||
           ...);
  }

  static constexpr DirectConvKernels table() { return DirectConvKernels{Ops::kLanes, &choose, &corr, &corr_grad}; }
};

}  // namespace direct
}  // namespace kindling
