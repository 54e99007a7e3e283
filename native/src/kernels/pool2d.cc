// native/src/kernels/pool2d.cc — max-pooling window search and gather / scatter-add along a dim.
#include "pool2d.h"

#include "../runtime/thread_pool.h"
#include "strided.h"

namespace kindling {

template <typename T>
void max_pool2d_indices(const Pool2dParams& p, const T* x, double* indices) {
  parallel_for(p.planes, [&](int64_t plane) {
    const T* in = x + plane * p.in_h * p.in_w;
    double* out = indices + plane * p.out_h * p.out_w;
    for (int64_t oy = 0; oy < p.out_h; ++oy) {
      for (int64_t ox = 0; ox < p.out_w; ++ox) {
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
        out[oy * p.out_w + ox] = static_cast<double>(best_at < 0 ? 0 : best_at);
      }
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
