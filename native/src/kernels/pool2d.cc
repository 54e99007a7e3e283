// native/src/kernels/pool2d.cc — max-pooling window search and gather / scatter-add along a dim.
#include "pool2d.h"

#include "../runtime/thread_pool.h"
#include "strided.h"

namespace kindling {

namespace {

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

// One plane. Inside the image the loops run window slot by window slot across a whole row of
// outputs, so each output's running maximum is independent of its neighbours' (no dependency
// chain through one window, and the selects vectorize); border windows take the generic path.
template <typename T>
void max_pool_plane(const Pool2dParams& p, const T* in, double* out) {
  constexpr int64_t kRow = 512;
  T best[kRow];
  int64_t at[kRow];
  // Output columns whose whole window lies inside the image.
  int64_t lo = 0, hi = p.out_w;
  while (lo < hi && lo * p.stride_w - p.pad_w < 0) ++lo;
  while (hi > lo && (hi - 1) * p.stride_w - p.pad_w + (p.kernel_w - 1) * p.dilation_w >= p.in_w) --hi;
  const bool fast = hi - lo <= kRow;
  for (int64_t oy = 0; oy < p.out_h; ++oy) {
    const int64_t y0 = oy * p.stride_h - p.pad_h;
    const bool rows_inside = y0 >= 0 && y0 + (p.kernel_h - 1) * p.dilation_h < p.in_h;
    if (!rows_inside || !fast) {
      for (int64_t ox = 0; ox < p.out_w; ++ox) max_pool_window(p, in, oy, ox, out + oy * p.out_w + ox);
      continue;
    }
    for (int64_t ox = 0; ox < lo; ++ox) max_pool_window(p, in, oy, ox, out + oy * p.out_w + ox);
    for (int64_t ox = hi; ox < p.out_w; ++ox) max_pool_window(p, in, oy, ox, out + oy * p.out_w + ox);
    // Locals, not p's fields: stores to at[] (int64) could otherwise alias them and block vectorizing.
    const int64_t n = hi - lo, x0 = lo * p.stride_w - p.pad_w, sw = p.stride_w;
    for (int64_t ky = 0; ky < p.kernel_h; ++ky) {
      const int64_t row = (y0 + ky * p.dilation_h) * p.in_w + x0;
      for (int64_t kx = 0; kx < p.kernel_w; ++kx) {
        const int64_t base = row + kx * p.dilation_w;
        if (ky == 0 && kx == 0) {
          for (int64_t j = 0; j < n; ++j) {
            best[j] = in[base + j * sw];
            at[j] = base + j * sw;
          }
          continue;
        }
        for (int64_t j = 0; j < n; ++j) {
          const T v = in[base + j * sw];
          const bool take = (best[j] == best[j]) & ((v > best[j]) | (v != v));
          best[j] = take ? v : best[j];
          at[j] = take ? base + j * sw : at[j];
        }
      }
    }
    for (int64_t j = 0; j < n; ++j) out[oy * p.out_w + lo + j] = static_cast<double>(at[j]);
  }
}

}  // namespace

template <typename T>
void max_pool2d_indices(const Pool2dParams& p, const T* x, double* indices) {
  // Planes are small, so each thread takes a contiguous range of them rather than one at a time.
  const int64_t chunks = p.planes * p.in_h * p.in_w >= (1 << 15) ? get_pool_threads() : 1;
  parallel_for(chunks, [&](int64_t c) {
    for (int64_t plane = p.planes * c / chunks; plane < p.planes * (c + 1) / chunks; ++plane)
      max_pool_plane(p, x + plane * p.in_h * p.in_w, indices + plane * p.out_h * p.out_w);
  });
}

template <typename T>
void gather_dim(const T* x, const int64_t* x_strides, int64_t x_offset, int dim, const double* index,
                const int64_t* i_strides, int64_t i_offset, const int64_t* shape, int ndim, T* out) {
  int64_t base_strides[kMaxDims];
  for (int d = 0; d < ndim; d++) base_strides[d] = d == dim ? 0 : x_strides[d];
  const int64_t step = x_strides[dim];
  int64_t pos = 0;
  for_each_run2(shape, ndim, base_strides, x_offset, i_strides, i_offset,
                [&](int64_t pb, int64_t pi, int64_t count, int64_t rb, int64_t ri) {
                  for (int64_t j = 0; j < count; j++)
                    out[pos + j] = x[pb + j * rb + static_cast<int64_t>(index[pi + j * ri]) * step];
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
  for_each_run3(shape, ndim, base_strides, d_offset, i_strides, i_offset, s_strides, s_offset,
                [&](int64_t pb, int64_t pi, int64_t ps, int64_t count, int64_t rb, int64_t ri, int64_t rs) {
                  for (int64_t j = 0; j < count; j++)
                    dst[pb + j * rb + static_cast<int64_t>(index[pi + j * ri]) * step] += src[ps + j * rs];
                });
}

template void max_pool2d_indices<float>(const Pool2dParams&, const float*, double*);
template void max_pool2d_indices<double>(const Pool2dParams&, const double*, double*);
template void gather_dim<float>(const float*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                const int64_t*, int, float*);
template void gather_dim<double>(const double*, const int64_t*, int64_t, int, const double*, const int64_t*,
                                 int64_t, const int64_t*, int, double*);
template void scatter_add_dim<float>(float*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                     const float*, const int64_t*, int64_t, const int64_t*, int);
template void scatter_add_dim<double>(double*, const int64_t*, int64_t, int, const double*, const int64_t*, int64_t,
                                      const double*, const int64_t*, int64_t, const int64_t*, int);

}  // namespace kindling
