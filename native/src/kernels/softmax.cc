// native/src/kernels/softmax.cc — fused (log-)softmax forward and backward (see softmax.h). Sums are
// taken in double; exponentials too, except float (log-)softmax over the last dim (softmax_rows_float).
#include "softmax.h"

#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "../runtime/thread_pool.h"
#include "clones.h"
#include "fast_exp.h"
#include "rows.h"

namespace kindling {
namespace {

// A float softmax over rows of R contiguous elements (softmax on the last dim, attention's case):
// the exponentials in float through exp_branchless, once each and vectorized, their sum in double.
// Within a few ulp of the double path, at a fraction of its time (std::exp in double, twice per element).
KINDLING_CLONES void softmax_rows_float(const float* x, int64_t a0, int64_t a1, int64_t R, float* out) {
  for (int64_t a = a0; a < a1; ++a) {
    float* oa = out + a * R;
    exp_shifted(x + a * R, R, oa);
    const float inv = float(1.0 / row_sum(oa, nullptr, R));
    for (int64_t k = 0; k < R; ++k) oa[k] *= inv;
  }
}

// Log-softmax the same way: x - max - log(Σ exp(x - max)), the exponentials in float, their sum and its
// log in double (cross entropy's case: rows of class scores).
KINDLING_CLONES void log_softmax_rows_float(const float* x, int64_t a0, int64_t a1, int64_t R, float* out) {
  for (int64_t a = a0; a < a1; ++a) {
    const float* xa = x + a * R;
    float* oa = out + a * R;
    const float m = exp_shifted(xa, R, oa);
    // x - max first: exact for the largest scores, where max + log Σ would round at max's magnitude.
    const float log_sum = float(std::log(row_sum(oa, nullptr, R)));
    for (int64_t k = 0; k < R; ++k) oa[k] = (xa[k] - m) - log_sum;
  }
}

// Its backward, g − exp(y)·Σ g per row, the sum in double.
KINDLING_CLONES void log_softmax_backward_rows_float(const float* g, const float* y, int64_t a0, int64_t a1, int64_t R,
                                                     float* out) {
  for (int64_t a = a0; a < a1; ++a) {
    const float* ga = g + a * R;
    const float* ya = y + a * R;
    float* oa = out + a * R;
    const float s = float(row_sum(ga, nullptr, R));
    for (int64_t k = 0; k < R; ++k) oa[k] = ga[k] - exp_branchless(ya[k]) * s;
  }
}

// Softmax's backward, y·(g − Σ g·y) per row, the sum in double.
KINDLING_CLONES void softmax_backward_rows_float(const float* g, const float* y, int64_t a0, int64_t a1, int64_t R, float* out) {
  for (int64_t a = a0; a < a1; ++a) {
    const float* ga = g + a * R;
    const float* ya = y + a * R;
    float* oa = out + a * R;
    const float s = float(row_sum(ga, ya, R));
    for (int64_t k = 0; k < R; ++k) oa[k] = ya[k] * (ga[k] - s);
  }
}

// Slices [a0, a1) of [A, R, B]; `mx` and `sum` hold each column's maximum and sum of exponentials.
template <typename T>
void softmax_slices(const T* x, int64_t a0, int64_t a1, int64_t R, int64_t B, bool log, T* out) {
  if constexpr (std::is_same_v<T, float>) {
    if (B == 1) return log ? log_softmax_rows_float(x, a0, a1, R, out) : softmax_rows_float(x, a0, a1, R, out);
  }
  std::vector<double> mx(static_cast<size_t>(B)), sum(static_cast<size_t>(B));
  for (int64_t a = a0; a < a1; ++a) {
    const T* xa = x + a * R * B;
    T* oa = out + a * R * B;
    for (int64_t b = 0; b < B; ++b) mx[size_t(b)] = -INFINITY;
    for (int64_t r = 0; r < R; ++r)
      for (int64_t b = 0; b < B; ++b) {
        const double v = double(xa[r * B + b]);
        double& m = mx[size_t(b)];
        m = (v != v || m != m) ? v + m : (v > m ? v : m);
      }
    for (int64_t b = 0; b < B; ++b) sum[size_t(b)] = 0.0;
    for (int64_t r = 0; r < R; ++r)
      for (int64_t b = 0; b < B; ++b) sum[size_t(b)] += std::exp(double(xa[r * B + b]) - mx[size_t(b)]);
    for (int64_t b = 0; b < B; ++b) sum[size_t(b)] = log ? std::log(sum[size_t(b)]) : 1.0 / sum[size_t(b)];
    for (int64_t r = 0; r < R; ++r)
      for (int64_t b = 0; b < B; ++b) {
        const double t = double(xa[r * B + b]) - mx[size_t(b)];
        oa[r * B + b] = static_cast<T>(log ? t - sum[size_t(b)] : std::exp(t) * sum[size_t(b)]);
      }
  }
}

template <typename T>
void softmax_backward_slices(const T* g, const T* y, int64_t a0, int64_t a1, int64_t R, int64_t B, bool log, T* out) {
  if constexpr (std::is_same_v<T, float>) {
    if (B == 1) {
      return log ? log_softmax_backward_rows_float(g, y, a0, a1, R, out) : softmax_backward_rows_float(g, y, a0, a1, R, out);
    }
  }
  std::vector<double> sum(static_cast<size_t>(B));
  for (int64_t a = a0; a < a1; ++a) {
    const int64_t base = a * R * B;
    for (int64_t b = 0; b < B; ++b) sum[size_t(b)] = 0.0;
    for (int64_t r = 0; r < R; ++r)
      for (int64_t b = 0; b < B; ++b) {
        const int64_t i = base + r * B + b;
        sum[size_t(b)] += log ? double(g[i]) : double(g[i]) * double(y[i]);
      }
    for (int64_t r = 0; r < R; ++r)
      for (int64_t b = 0; b < B; ++b) {
        const int64_t i = base + r * B + b;
        const double s = sum[size_t(b)];
        out[i] = static_cast<T>(log ? double(g[i]) - std::exp(double(y[i])) * s : double(y[i]) * (double(g[i]) - s));
      }
  }
}

// Below this many elements a softmax stays on the calling thread.
constexpr int64_t kParallelWork = int64_t(1) << 16;

}  // namespace

template <typename T>
void softmax(const T* x, int64_t A, int64_t R, int64_t B, bool log, T* out) {
  parallel_ranges(A, A * R * B, kParallelWork, [&](int64_t a0, int64_t a1) { softmax_slices(x, a0, a1, R, B, log, out); });
}

template <typename T>
void softmax_backward(const T* g, const T* y, int64_t A, int64_t R, int64_t B, bool log, T* out) {
  parallel_ranges(A, A * R * B, kParallelWork, [&](int64_t a0, int64_t a1) { softmax_backward_slices(g, y, a0, a1, R, B, log, out); });
}

template void softmax<float>(const float*, int64_t, int64_t, int64_t, bool, float*);
template void softmax<double>(const double*, int64_t, int64_t, int64_t, bool, double*);
template void softmax_backward<float>(const float*, const float*, int64_t, int64_t, int64_t, bool, float*);
template void softmax_backward<double>(const double*, const double*, int64_t, int64_t, int64_t, bool, double*);

}  // namespace kindling
