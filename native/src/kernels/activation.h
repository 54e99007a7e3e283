// native/src/kernels/activation.h — parameterised activations (leaky_relu, elu, silu) in one pass.
#pragma once
#include <cstdint>

namespace kindling {

// Op codes shared with src/backends/native/fused.ts.
enum class ActivationOp : int { kLeakyRelu, kElu, kSilu };

// out[i] = op(x[i]) with `param` (leaky_relu's negative slope, elu's alpha; unused by silu) over a
// view given by (shape, strides, offset); out is contiguous and may be x's own elements.
template <typename T>
void activation(ActivationOp op, T param, const T* x, const int64_t* shape, const int64_t* strides, int ndim,
                int64_t offset, T* out);

}  // namespace kindling
