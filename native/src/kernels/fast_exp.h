// native/src/kernels/fast_exp.h — float exp as plain arithmetic, for loops that must vectorize.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "clones.h"

namespace kindling {

// float's exp without branches or calls, so that the loops around it vectorize (std::exp is a scalar
// call, and sigmoid and tanh were most of an LSTM step's pointwise time): Cephes' expf, x = n·ln2 + r
// with |r| <= ln2/2 and a degree-6 polynomial, within 2 ulp; 2^n is built in the exponent bits, so the
// clamp's top (n = 128) gives inf, and inputs below the normal range give 0. NaN passes through.
KINDLING_INLINE float exp_branchless(float v) {
  const float x = std::min(std::max(v, -87.33654f), 88.72283f);
  // round to nearest by adding and taking away 1.5·2^23 (floor would not vectorize)
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  // below the smallest normal result, 0 (so that exp(-inf) is 0, as a masked softmax needs)
  return v < -87.33654f ? 0.0f : p * scale;
}
}  // namespace kindling
