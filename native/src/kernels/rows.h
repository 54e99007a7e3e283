// native/src/kernels/rows.h — reductions and exponentials over one contiguous float row, shared by the
// softmax kernels and blockwise attention.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "clones.h"
#include "fast_exp.h"

namespace kindling {

// Rows are short in attention (64 or 128 keys), so the reductions run on GCC vector types, which each
// clone compiles to its own registers (a running max or sum is a dependency chain the compiler may
// not reorder on its own, and its scalar loop was most of a 64-wide row's time).
typedef float f8 __attribute__((vector_size(32)));
typedef double d8 __attribute__((vector_size(64)));

// (Through a reference: a vector return value would change the ABI of the baseline clone.)
KINDLING_INLINE void load8(f8& v, const float* p) { std::memcpy(&v, p, sizeof v); }

// The maximum of a row's non-NaN elements (-inf if none). A NaN needs no test: its exponential is NaN,
// which makes the row's sum and so every output NaN, as in PyTorch.
KINDLING_INLINE float row_max(const float* x, int64_t R) {
  f8 lane = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
  int64_t r = 0;
  for (; r + 8 <= R; r += 8) {
    f8 v;
    load8(v, x + r);
    lane = v > lane ? v : lane;
  }
  float m = -INFINITY;
  for (int l = 0; l < 8; ++l) m = lane[l] > m ? lane[l] : m;
  for (; r < R; ++r) m = x[r] > m ? x[r] : m;
  return m;
}

// Σ a[r]·b[r] (or Σ a[r] without b) over a row, in double.
KINDLING_INLINE double row_sum(const float* a, const float* b, int64_t R) {
  d8 lane = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t r = 0;
  for (; r + 8 <= R; r += 8) {
    f8 u, v = {1, 1, 1, 1, 1, 1, 1, 1};
    load8(u, a + r);
    if (b != nullptr) load8(v, b + r);
    lane += __builtin_convertvector(u, d8) * __builtin_convertvector(v, d8);
  }
  double s = 0;
  for (int l = 0; l < 8; ++l) s += lane[l];
  for (; r < R; ++r) s += b == nullptr ? double(a[r]) : double(a[r]) * double(b[r]);
  return s;
}

// out = exp(x - max) over a row; returns the max.
KINDLING_INLINE float exp_shifted(const float* x, int64_t R, float* out) {
  const float m = row_max(x, R);
  for (int64_t r = 0; r < R; ++r) out[r] = exp_branchless(x[r] - m);
  return m;
}

}  // namespace kindling
