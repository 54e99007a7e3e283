// native/src/kernels/pool2d.h — max-pooling window search and gather / scatter-add along a dim.
#pragma once
#include <cstdint>

namespace kindling {

struct Pool2dParams {
  int64_t planes = 1;  // batch × channels
  int64_t in_h = 1, in_w = 1, out_h = 1, out_w = 1;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dilation_h = 1,
          dilation_w = 1;
};

// indices[plane, oy, ox] = flat (iy·W + ix) index of the first maximum of each window of a dense
// x[plane, H, W]; positions in the padding never win (PyTorch pads with −inf); NaN wins.
// With `values`, also writes each window's maximum there (the pooled output) in the same pass.
template <typename T>
void max_pool2d_indices(const Pool2dParams& p, const T* x, double* indices, T* values = nullptr);

// grad_input[plane] = zeros with grad_output added at each window's index (max pooling's gradient),
// one plane at a time so the zeroing and the scatter share the cache.
template <typename T>
void max_pool2d_backward(const Pool2dParams& p, const T* grad_output, const double* indices, T* grad_input);

// out[i] = x[base(i) + index[i]·x_stride_dim] and dst[base(i) + index[i]·dst_stride_dim] += src[i], where
// base(i) is the offset of position i of `shape` with the indexed dim's coordinate dropped.
template <typename T>
void gather_dim(const T* x, const int64_t* x_strides, int64_t x_offset, int dim, const double* index,
                const int64_t* i_strides, int64_t i_offset, const int64_t* shape, int ndim, T* out);
template <typename T>
void scatter_add_dim(T* dst, const int64_t* d_strides, int64_t d_offset, int dim, const double* index,
                     const int64_t* i_strides, int64_t i_offset, const T* src, const int64_t* s_strides,
                     int64_t s_offset, const int64_t* shape, int ndim);

}  // namespace kindling
