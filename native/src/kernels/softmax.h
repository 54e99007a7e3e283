// native/src/kernels/softmax.h — softmax and log-softmax along one dim, and their gradients, each
// in one call instead of the five or so elementwise and reduction passes they compose to.
#pragma once
#include <cstdint>

namespace kindling {

// out[a, r, b] = softmax (or, with `log`, log-softmax) over r of a contiguous x[A, R, B]: the
// maximum is subtracted first, and a NaN anywhere along r makes that whole slice NaN.
template <typename T>
void softmax(const T* x, int64_t A, int64_t R, int64_t B, bool log, T* out);

// The gradient given the incoming gradient g and the forward's output y (both contiguous [A, R, B]):
// log-softmax: g - exp(y) * sum_r g; softmax: y * (g - sum_r g * y).
template <typename T>
void softmax_backward(const T* g, const T* y, int64_t A, int64_t R, int64_t B, bool log, T* out);

}  // namespace kindling
