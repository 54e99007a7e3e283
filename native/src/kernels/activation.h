// native/src/kernels/activation.h — activations (leaky_relu, elu, silu, gelu) and gelu's gradient in one pass.
#pragma once
#include <cstdint>

namespace kindling {

// Op codes shared with src/backends/native/fused.ts.
enum class ActivationOp : int { kLeakyRelu, kElu, kSilu, kGelu, kGeluTanh };

// out[i] = op(x[i]) with `param` (leaky_relu's negative slope, elu's alpha; unused by silu) over a
// view given by (shape, strides, offset); out is contiguous and may be x's own elements.
template <typename T>
void activation(ActivationOp op, T param, const T* x, const int64_t* shape, const int64_t* strides, int ndim,
                int64_t offset, T* out);

// out[i] = grad[i]·op'(x[i]) over views of one shape (gelu's two forms only); out is contiguous.
template <typename T>
void activation_backward(ActivationOp op, const T* grad, const int64_t* sg, int64_t og, const T* x, const int64_t* sx,
                         int64_t ox, const int64_t* shape, int ndim, T* out);

}  // namespace kindling
