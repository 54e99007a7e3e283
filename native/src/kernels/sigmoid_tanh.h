// native/src/kernels/sigmoid_tanh.h — sigmoid and tanh per element, shared by the unary kernels and the
// fused LSTM cell so that both give the same values; the float forms vectorize (see fast_exp.h).
#pragma once

#include <cmath>

#include "clones.h"
#include "fast_exp.h"

namespace kindling {

template <typename T>
KINDLING_INLINE T sigmoid(T v) {
  return v >= T(0) ? T(1) / (T(1) + std::exp(-v)) : std::exp(v) / (T(1) + std::exp(v));
}
template <>
KINDLING_INLINE float sigmoid(float v) {
  return 1.0f / (1.0f + exp_branchless(-v));
}
// tanh: Cephes' tanhf polynomial below |x| = 0.625 (where 1 - 2/(e^2|x| + 1) would cancel), else from
// exp; both sides are computed and one selected, which vectorizes. Within a few ulp.
template <typename T>
KINDLING_INLINE T tanh_of(T v) {
  return std::tanh(v);
}
template <>
KINDLING_INLINE float tanh_of(float v) {
  const float a = std::fabs(v), z = v * v;
  const float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z + 1.33314422036e-1f) * z -
                       3.33332819422e-1f) * z * v + v;
  const float large = std::copysign(1.0f - 2.0f / (exp_branchless(2.0f * a) + 1.0f), v);
  return a < 0.625f ? small : large;
}
}  // namespace kindling
