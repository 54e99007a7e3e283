// native/src/kernels/norm.cc — layer norm forward and backward (see norm.h): one pass over each row
// for its statistics and one to write it, rows split across the pool; the weight and bias gradients
// sum over rows by column blocks, so that every thread owns its columns and no partial sums merge.
#include "norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../runtime/thread_pool.h"
#include "../runtime/work_buffer.h"
#include "clones.h"
#include "parallel.h"
#include "rows.h"

namespace kindling {
namespace {

// The mean and biased variance of a row, in double.
template <typename T>
KINDLING_INLINE void moments(const T* x, int64_t n, double* mean, double* var) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += double(x[j]);
    s1 += double(x[j + 1]);
    s2 += double(x[j + 2]);
    s3 += double(x[j + 3]);
  }
  for (; j < n; ++j) s0 += double(x[j]);
  const double m = ((s0 + s1) + (s2 + s3)) / double(n);
  double q0 = 0, q1 = 0;
  j = 0;
  for (; j + 2 <= n; j += 2) {
    const double d0 = double(x[j]) - m, d1 = double(x[j + 1]) - m;
    q0 += d0 * d0;
    q1 += d1 * d1;
  }
  for (; j < n; ++j) q0 += (double(x[j]) - m) * (double(x[j]) - m);
  *mean = m;
  *var = (q0 + q1) / double(n);
}
// Float rows on double vector lanes (rows.h): a scalar double chain per sum was most of a 256-wide row's time.
template <>
KINDLING_INLINE void moments(const float* x, int64_t n, double* mean, double* var) {
  const double m = row_sum(x, nullptr, n) / double(n);
  d8 lane = {0, 0, 0, 0, 0, 0, 0, 0};
  const d8 mv = {m, m, m, m, m, m, m, m};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    f8 u;
    load8(u, x + j);
    const d8 d = __builtin_convertvector(u, d8) - mv;
    lane += d * d;
  }
  double q = 0;
  for (int l = 0; l < 8; ++l) q += lane[l];
  for (; j < n; ++j) q += (double(x[j]) - m) * (double(x[j]) - m);
  *mean = m;
  *var = q / double(n);
}

template <typename T>
KINDLING_CLONES void norm_rows(const T* x, const T* w, const T* b, int64_t r0, int64_t r1, int64_t c, double eps, T* y,
                               T* mean, T* rstd) {
  for (int64_t r = r0; r < r1; ++r) {
    const T* xr = x + r * c;
    T* yr = y + r * c;
    double m, v;
    moments(xr, c, &m, &v);
    const T mt = T(m), rt = T(1.0 / std::sqrt(v + eps));
    mean[r] = mt;
    rstd[r] = rt;
    // the composed ops' roundings: (x − mean)·rstd, then ·w, then +b
    if (w != nullptr && b != nullptr) {
      for (int64_t j = 0; j < c; ++j) yr[j] = ((xr[j] - mt) * rt) * w[j] + b[j];
    } else if (w != nullptr) {
      for (int64_t j = 0; j < c; ++j) yr[j] = ((xr[j] - mt) * rt) * w[j];
    } else if (b != nullptr) {
      for (int64_t j = 0; j < c; ++j) yr[j] = (xr[j] - mt) * rt + b[j];
    } else {
      for (int64_t j = 0; j < c; ++j) yr[j] = (xr[j] - mt) * rt;
    }
  }
}

// Σ g·w (g without w) and Σ g·w·x̂ over a row, x̂ = (x − m)·rs, in double.
template <typename T>
KINDLING_INLINE void grad_sums(const T* g, const T* x, const T* w, T m, T rs, int64_t c, T* gw, T* xh, double* a, double* b) {
  double sa = 0, sb = 0;
  for (int64_t j = 0; j < c; ++j) {
    const T v = w != nullptr ? g[j] * w[j] : g[j];
    sa += double(v);
    sb += double(v) * double((x[j] - m) * rs);
  }
  (void)gw;
  (void)xh;
  *a = sa;
  *b = sb;
}
// Float rows: g·w and x̂ into row buffers first, so that both sums run on rows.h's vector lanes.
template <>
KINDLING_INLINE void grad_sums(const float* g, const float* x, const float* w, float m, float rs, int64_t c, float* gw, float* xh,
                               double* a, double* b) {
  for (int64_t j = 0; j < c; ++j) gw[j] = w != nullptr ? g[j] * w[j] : g[j];
  for (int64_t j = 0; j < c; ++j) xh[j] = (x[j] - m) * rs;
  *a = row_sum(gw, nullptr, c);
  *b = row_sum(gw, xh, c);
}

thread_local WorkBuffer t_row;

template <typename T>
KINDLING_CLONES void input_grad_rows(const T* g, const T* x, const T* mean, const T* rstd, const T* w, int64_t r0, int64_t r1,
                                     int64_t c, T* dx) {
  T* gw = static_cast<T*>(t_row.get(sizeof(T) * size_t(2 * c)));
  if (gw == nullptr) return;
  T* xh = gw + c;
  for (int64_t r = r0; r < r1; ++r) {
    const T* gr = g + r * c;
    const T* xr = x + r * c;
    T* dr = dx + r * c;
    const T m = mean[r], rs = rstd[r];
    double a, bsum;
    grad_sums(gr, xr, w, m, rs, c, gw, xh, &a, &bsum);
    const T am = T(a / double(c)), bm = T(bsum / double(c));
    for (int64_t j = 0; j < c; ++j) {
      const T v = w != nullptr ? gr[j] * w[j] : gr[j];
      dr[j] = rs * ((v - am) - ((xr[j] - m) * rs) * bm);
    }
  }
}

template <typename T>
KINDLING_CLONES void param_grad_cols(const T* g, const T* x, const T* mean, const T* rstd, int64_t rows, int64_t j0, int64_t j1,
                                     int64_t c, T* dw, T* db) {
  std::vector<double> sw(size_t(j1 - j0), 0.0), sb(size_t(j1 - j0), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const T* gr = g + r * c + j0;
    const T* xr = x + r * c + j0;
    const T m = mean[r], rs = rstd[r];
    for (int64_t j = 0; j < j1 - j0; ++j) {
      sw[size_t(j)] += double(gr[j]) * double((xr[j] - m) * rs);
      sb[size_t(j)] += double(gr[j]);
    }
  }
  for (int64_t j = 0; j < j1 - j0; ++j) {
    if (dw != nullptr) dw[j0 + j] = T(sw[size_t(j)]);
    if (db != nullptr) db[j0 + j] = T(sb[size_t(j)]);
  }
}

}  // namespace

template <typename T>
void layer_norm(const T* x, const T* weight, const T* bias, int64_t rows, int64_t cols, double eps, T* y, T* mean, T* rstd) {
  parallel_ranges(rows, rows * cols, 2 * kParallelGrain,
                  [&](int64_t r0, int64_t r1) { norm_rows<T>(x, weight, bias, r0, r1, cols, eps, y, mean, rstd); });
}

template <typename T>
void layer_norm_backward(const T* g, const T* x, const T* mean, const T* rstd, const T* weight, int64_t rows, int64_t cols,
                         T* dx, T* dweight, T* dbias) {
  if (dx != nullptr) {
    parallel_ranges(rows, rows * cols, 2 * kParallelGrain,
                    [&](int64_t r0, int64_t r1) { input_grad_rows<T>(g, x, mean, rstd, weight, r0, r1, cols, dx); });
  }
  if (dweight != nullptr || dbias != nullptr) {
    // blocks of 64 columns: whole cache lines per row, and enough blocks to share
    const int64_t blocks = (cols + 63) / 64;
    parallel_ranges(blocks, rows * cols, 2 * kParallelGrain, [&](int64_t b0, int64_t b1) {
      param_grad_cols<T>(g, x, mean, rstd, rows, b0 * 64, std::min(cols, b1 * 64), cols, dweight, dbias);
    });
  }
}

template void layer_norm<float>(const float*, const float*, const float*, int64_t, int64_t, double, float*, float*, float*);
template void layer_norm<double>(const double*, const double*, const double*, int64_t, int64_t, double, double*, double*,
                                 double*);
template void layer_norm_backward<float>(const float*, const float*, const float*, const float*, const float*, int64_t, int64_t,
                                         float*, float*, float*);
template void layer_norm_backward<double>(const double*, const double*, const double*, const double*, const double*, int64_t,
                                          int64_t, double*, double*, double*);

}  // namespace kindling
