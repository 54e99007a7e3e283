// native/src/kernels/pool2d.cc — max-pooling window search and gather / scatter-add along a dim.
#include "pool2d.h"

#include <algorithm>

#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "clones.h"
#include "strided.h"

namespace kindling {

void max_pool_2x2_plane_f32_avx512(const float* in, int64_t iw, int64_t oh, int64_t ow, double* out, float* values);

namespace {

// Below this many input elements pooling stays on the calling thread.
constexpr int64_t kParallelWork = int64_t(1) << 15;

// The window of output (oy, ox): first maximum over in-bounds positions, NaN winning (the generic
// path, used at the borders where windows reach into the padding).
template <typename T>
void max_pool_window(const Pool2dParams& p, const T* in, int64_t oy, int64_t ox, double* out) {
  int64_t best_at = -1;
  T best = 0;
  for (int64_t ky = 0; ky < p.kernel_h; ++ky) {
    const int64_t iy = oy * p.stride_h - p.pad_h + ky * p.dilation_h;
    if (iy < 0 || iy >= p.in_h) continue;
    for (int64_t kx = 0; kx < p.kernel_w; ++kx) {
      const int64_t ix = ox * p.stride_w - p.pad_w + kx * p.dilation_w;
      if (ix < 0 || ix >= p.in_w) continue;
      const T v = in[iy * p.in_w + ix];
      if (best_at < 0 || (best == best && (v > best || v != v))) {
        best = v;
        best_at = iy * p.in_w + ix;
      }
    }
  }
  *out = static_cast<double>(best_at < 0 ? 0 : best_at);
}

// Windows inside the image (no padding, no dilation), one window slot at a time across a row of
// outputs: the outputs' running maxima are independent, so the compare-and-select vectorizes. It
// must be compiled for AVX2/AVX-512 (target_clones): baseline x86-64 has no vector blend, and the
// scalar branches it falls back to mispredict on real activations (~6x slower).
template <typename T>
KINDLING_INLINE void max_pool_rows(const Pool2dParams& p, const T* in, double* out) {
  constexpr int64_t kRow = 256;
  const int64_t oh = p.out_h, ow = p.out_w, iw = p.in_w, kh = p.kernel_h, kw = p.kernel_w, sh = p.stride_h,
                sw = p.stride_w;
  T best[kRow];
  int64_t at[kRow];
  for (int64_t oy = 0; oy < oh; ++oy) {
    for (int64_t ox0 = 0; ox0 < ow; ox0 += kRow) {
      const int64_t n = ow - ox0 < kRow ? ow - ox0 : kRow;
      const int64_t first = oy * sh * iw + ox0 * sw;
      for (int64_t j = 0; j < n; ++j) {
        best[j] = in[first + j * sw];
        at[j] = first + j * sw;
      }
      for (int64_t ky = 0; ky < kh; ++ky) {
        for (int64_t kx = 0; kx < kw; ++kx) {
          if (ky == 0 && kx == 0) continue;
          const int64_t base = first + ky * iw + kx;
          for (int64_t j = 0; j < n; ++j) {
            const T v = in[base + j * sw];
            const bool take = (best[j] == best[j]) & ((v > best[j]) | (v != v));
            best[j] = take ? v : best[j];
            at[j] = take ? base + j * sw : at[j];
          }
        }
      }
      for (int64_t j = 0; j < n; ++j) out[oy * ow + ox0 + j] = static_cast<double>(at[j]);
    }
  }
}

// One name for both dtypes, as in elementwise.cc: the template caller reaches its clone by overload.
KINDLING_CLONES void max_pool_rows_dispatch(const Pool2dParams& p, const float* in, double* out) { max_pool_rows(p, in, out); }
KINDLING_CLONES void max_pool_rows_dispatch(const Pool2dParams& p, const double* in, double* out) { max_pool_rows(p, in, out); }

bool is_2x2_stride_2(const Pool2dParams& p) {
  return p.kernel_h == 2 && p.kernel_w == 2 && p.stride_h == 2 && p.stride_w == 2 && p.pad_h == 0 && p.pad_w == 0 &&
         p.dilation_h == 1 && p.dilation_w == 1 && 2 * p.out_h <= p.in_h && 2 * p.out_w <= p.in_w &&
         p.in_h * p.in_w < (int64_t(1) << 31);
}

template <typename T>
void max_pool_plane_indices(const Pool2dParams& p, const T* in, double* out) {
  // ceil_mode can make the last windows hang past the input; only the generic path clips them.
  const bool inside = (p.out_h - 1) * p.stride_h + p.kernel_h <= p.in_h && (p.out_w - 1) * p.stride_w + p.kernel_w <= p.in_w;
  if (p.pad_h == 0 && p.pad_w == 0 && p.dilation_h == 1 && p.dilation_w == 1 && inside) return max_pool_rows_dispatch(p, in, out);
  for (int64_t oy = 0; oy < p.out_h; ++oy)
    for (int64_t ox = 0; ox < p.out_w; ++ox) max_pool_window(p, in, oy, ox, out + oy * p.out_w + ox);
}

template <typename T>
void max_pool_plane(const Pool2dParams& p, const T* in, double* out, T* values) {
#if KINDLING_X86_KERNELS
  if constexpr (sizeof(T) == 4) {
    if (is_2x2_stride_2(p) && active_isa() == Isa::kAvx512)
      return max_pool_2x2_plane_f32_avx512(in, p.in_w, p.out_h, p.out_w, out, values);
  }
#endif
  max_pool_plane_indices(p, in, out);
  if (values != nullptr)
    for (int64_t o = 0; o < p.out_h * p.out_w; ++o) values[o] = in[static_cast<int64_t>(out[o])];
}

}  // namespace

template <typename T>
void max_pool2d_indices(const Pool2dParams& p, const T* x, double* indices, T* values) {
  // Planes are small, so each thread takes a contiguous range of them rather than one at a time.
  const int64_t ohw = p.out_h * p.out_w;
  parallel_ranges(p.planes, p.planes * p.in_h * p.in_w, kParallelWork, [&](int64_t first, int64_t last) {
    for (int64_t plane = first; plane < last; ++plane)
      max_pool_plane(p, x + plane * p.in_h * p.in_w, indices + plane * ohw, values != nullptr ? values + plane * ohw : nullptr);
  });
}

template <typename T>
void max_pool2d_backward(const Pool2dParams& p, const T* grad_output, const double* indices, T* grad_input) {
  const int64_t hw = p.in_h * p.in_w, ohw = p.out_h * p.out_w;
  parallel_ranges(p.planes, p.planes * hw, kParallelWork, [&](int64_t first, int64_t last) {
    for (int64_t plane = first; plane < last; ++plane) {
      T* dx = grad_input + plane * hw;
      const T* g = grad_output + plane * ohw;
      const double* at = indices + plane * ohw;
      std::fill(dx, dx + hw, T(0));
      for (int64_t o = 0; o < ohw; ++o) dx[static_cast<int64_t>(at[o])] += g[o];
    }
  });
}

template <typename T>
void gather_dim(const T* x, const int64_t* x_strides, int64_t x_offset, int dim, const double* index,
                const int64_t* i_strides, int64_t i_offset, const int64_t* shape, int ndim, T* out) {
  int64_t base_strides[kMaxDims];
  for (int d = 0; d < ndim; d++) base_strides[d] = d == dim ? 0 : x_strides[d];
  const int64_t step = x_strides[dim];
  int64_t pos = 0;
  for_each_run(shape, ndim, {base_strides, i_strides}, {x_offset, i_offset},
               [&](const int64_t* p, int64_t count, const int64_t* r) {
                 for (int64_t j = 0; j < count; j++)
                   out[pos + j] = x[p[0] + j * r[0] + static_cast<int64_t>(index[p[1] + j * r[1]]) * step];
                 pos += count;
               });
}

template <typename T>
void scatter_add_dim(T* dst, const int64_t* d_strides, int64_t d_offset, int dim, const double* index,
                     const int64_t* i_strides, int64_t i_offset, const T* src, const int64_t* s_strides,
                     int64_t s_offset, const int64_t* shape, int ndim) {
  int64_t base_strides[kMaxDims];
  for (int d = 0; d < ndim; d++) base_strides[d] = d == dim ? 0 : d_strides[d];
  const int64_t step = d_strides[dim];
  // Sequential on purpose: several positions may add into one destination element.
  for_each_run(shape, ndim, {base_strides, i_strides, s_strides}, {d_offset, i_offset, s_offset},
               [&](const int64_t* p, int64_t count, const int64_t* r) {
                 for (int64_t j = 0; j < count; j++)
                   dst[p[0] + j * r[0] + static_cast<int64_t>(index[p[1] + j * r[1]]) * step] += src[p[2] + j * r[2]];
               });
}

template void max_pool2d_indices<float>(const Pool2dParams&, const float*, double*, float*);
template void max_pool2d_indices<double>(const Pool2dParams&, const double*, double*, double*);
template void max_pool2d_backward<float>(const Pool2dParams&, const float*, const double*, float*);
template void max_pool2d_backward<double>(const Pool2dParams&, const double*, const double*, double*);
template void gather_dim<float>(const float*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                const int64_t*, int, float*);
template void gather_dim<double>(const double*, const int64_t*, int64_t, int, const double*, const int64_t*,
                                 int64_t, const int64_t*, int, double*);
template void scatter_add_dim<float>(float*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                     const float*, const int64_t*, int64_t, const int64_t*, int);
template void scatter_add_dim<double>(double*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                      const double*, const int64_t*, int64_t, const int64_t*, int);

}  // namespace kindling
