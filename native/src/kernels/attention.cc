// native/src/kernels/attention.cc — blockwise scaled dot-product attention (see attention.h). The
// (batch, head) pairs are split across the thread pool; each works through its queries kRows at a
// time, with that block's scores [kRows, S] in a per-thread buffer and its products on the packed GEMM.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "../gemm/gemm.h"
#include "../runtime/thread_pool.h"
#include "../runtime/work_buffer.h"
#include "clones.h"
#include "fast_exp.h"
#include "rows.h"

namespace kindling {
namespace {

// Query rows per block: a block's scores (kRows x S, 1 MB for 2048 keys) stay in L2.
constexpr int64_t kRows = 128;

thread_local WorkBuffer t_scores;

// C = alpha·A·op(B) + beta·C on the calling thread's share (the pool runs nested calls inline), A and
// op(B) strided, C with unit column stride.
void gemm_of(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
             int64_t b_rs, int64_t b_cs, float beta, float* c, int64_t c_rs) {
  sgemm_strided(m, n, k, alpha, a, a_rs, a_cs, b, b_rs, b_cs, beta, c, c_rs, 1);
}
void gemm_of(int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t a_rs, int64_t a_cs, const double* b,
             int64_t b_rs, int64_t b_cs, double beta, double* c, int64_t c_rs) {
  dgemm_strided(m, n, k, alpha, a, a_rs, a_cs, b, b_rs, b_cs, beta, c, c_rs, 1);
}

template <typename T>
KINDLING_INLINE T exp_of(T x) {
  return std::exp(x);
}
template <>
KINDLING_INLINE float exp_of(float x) {
  return exp_branchless(x);
}

// Scores of queries [i0, i0 + rows) of one (b1, b2) pair: scale·q·kᵀ, plus the mask, −∞ above the
// causal diagonal.
template <typename T>
void scores(const AttentionShape& sh, const Heads<const T>& q, const Heads<const T>& k, const Mask<T>& mask, int64_t b1,
            int64_t b2, int64_t i0, int64_t rows, T* sc) {
  // op(B)[p, j] = k[j, p]
  gemm_of(rows, sh.s, sh.d, T(sh.scale), q.at(b1, b2) + i0 * q.rs, q.rs, 1, k.at(b1, b2), 1, k.rs, T(0), sc, sh.s);
  const T ninf = -std::numeric_limits<T>::infinity();
  for (int64_t r = 0; r < rows; ++r) {
    T* row = sc + r * sh.s;
    const int64_t i = i0 + r;
    if (mask.data != nullptr) {
      const T* m = mask.data + b1 * mask.s0 + b2 * mask.s1 + i * mask.rs;
      for (int64_t j = 0; j < sh.s; ++j) row[j] += m[j * mask.cs];
    }
    if (sh.causal)
      for (int64_t j = i + 1; j < sh.s; ++j) row[j] = ninf;
  }
}

// Each row of scores to exp(x − max), its 1 / Σ in inv and its log-sum-exp in lse. A row of −∞ gives
// NaN, as softmax does. Float rows go through the softmax kernels' vectorized row helpers.
template <typename T>
KINDLING_CLONES void exp_rows(int64_t rows, int64_t s, T* sc, T* inv, T* lse) {
  for (int64_t r = 0; r < rows; ++r) {
    T* row = sc + r * s;
    T m = -std::numeric_limits<T>::infinity();
    for (int64_t j = 0; j < s; ++j) m = row[j] > m ? row[j] : m;
    for (int64_t j = 0; j < s; ++j) row[j] = exp_of(row[j] - m);
    double sum = 0;
    for (int64_t j = 0; j < s; ++j) sum += double(row[j]);
    inv[r] = T(1.0 / sum);
    lse[r] = T(double(m) + std::log(sum));
  }
}
template <>
KINDLING_CLONES void exp_rows(int64_t rows, int64_t s, float* sc, float* inv, float* lse) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = sc + r * s;
    const float m = exp_shifted(row, s, row);
    const double sum = row_sum(row, nullptr, s);
    inv[r] = float(1.0 / sum);
    lse[r] = float(double(m) + std::log(sum));
  }
}

// The weights exp(x − lse) of each row, then dS = P·(dP − Σ dout·out) in place of dP.
template <typename T>
KINDLING_CLONES void weights_rows(int64_t rows, int64_t s, T* sc, const T* lse) {
  for (int64_t r = 0; r < rows; ++r) {
    T* row = sc + r * s;
    const T shift = lse[r];
    for (int64_t j = 0; j < s; ++j) row[j] = exp_of(row[j] - shift);
  }
}
template <typename T>
KINDLING_CLONES void grad_scores_rows(int64_t rows, int64_t s, const T* p, T* dp, const T* di) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* pr = p + r * s;
    T* dr = dp + r * s;
    const T dot = di[r];
    for (int64_t j = 0; j < s; ++j) dr[j] = pr[j] * (dr[j] - dot);
  }
}

// Σ a·b over a row, in double.
template <typename T>
KINDLING_INLINE double dot_of(const T* a, const T* b, int64_t n) {
  double dot = 0;
  for (int64_t c = 0; c < n; ++c) dot += double(a[c]) * double(b[c]);
  return dot;
}
template <>
KINDLING_INLINE double dot_of(const float* a, const float* b, int64_t n) {
  return row_sum(a, b, n);
}

// Runs fn(b1, b2) for every (batch, head) pair, the pairs split across the pool.
template <typename F>
void for_pairs(const AttentionShape& sh, F fn) {
  parallel_for(sh.b1 * sh.b2, [&](int64_t t) { fn(t / sh.b2, t % sh.b2); });
}

}  // namespace

template <typename T>
void attention_forward(const AttentionShape& sh, Heads<const T> q, Heads<const T> k, Heads<const T> v, Mask<T> mask,
                       Heads<T> out, T* lse) {
  for_pairs(sh, [&](int64_t b1, int64_t b2) {
    T* sc = static_cast<T*>(t_scores.get(sizeof(T) * size_t(kRows * (sh.s + 1))));
    if (sc == nullptr) return;
    T* inv = sc + kRows * sh.s;
    T* lse_pair = lse + (b1 * sh.b2 + b2) * sh.l;
    T* o = out.at(b1, b2);
    for (int64_t i0 = 0; i0 < sh.l; i0 += kRows) {
      const int64_t rows = std::min(kRows, sh.l - i0);
      scores(sh, q, k, mask, b1, b2, i0, rows, sc);
      exp_rows(rows, sh.s, sc, inv, lse_pair + i0);
      gemm_of(rows, sh.dv, sh.s, T(1), sc, sh.s, 1, v.at(b1, b2), v.rs, 1, T(0), o + i0 * out.rs, out.rs);
      for (int64_t r = 0; r < rows; ++r) {
        T* orow = o + (i0 + r) * out.rs;
        for (int64_t c = 0; c < sh.dv; ++c) orow[c] *= inv[r];
      }
    }
  });
}

template <typename T>
void attention_backward(const AttentionShape& sh, Heads<const T> q, Heads<const T> k, Heads<const T> v, Mask<T> mask,
                        Heads<const T> out, Heads<const T> dout, const T* lse, Heads<T> dq, Heads<T> dk, Heads<T> dv) {
  for_pairs(sh, [&](int64_t b1, int64_t b2) {
    T* p = static_cast<T*>(t_scores.get(sizeof(T) * size_t(kRows * (2 * sh.s + 1))));
    if (p == nullptr) return;
    T* dp = p + kRows * sh.s;
    T* di = dp + kRows * sh.s;
    const T* lse_pair = lse + (b1 * sh.b2 + b2) * sh.l;
    const T* g = dout.at(b1, b2);
    const T* o = out.at(b1, b2);
    for (int64_t i0 = 0; i0 < sh.l; i0 += kRows) {
      const int64_t rows = std::min(kRows, sh.l - i0);
      // dk and dv sum over every block of queries: the first one writes them
      const T beta = i0 == 0 ? T(0) : T(1);
      scores(sh, q, k, mask, b1, b2, i0, rows, p);
      weights_rows(rows, sh.s, p, lse_pair + i0);
      // dv += Pᵀ·dout: op(A)[j, r] = p[r, j]
      gemm_of(sh.s, sh.dv, rows, T(1), p, 1, sh.s, g + i0 * dout.rs, dout.rs, 1, beta, dv.at(b1, b2), dv.rs);
      // dP = dout·vᵀ: op(B)[c, j] = v[j, c]
      gemm_of(rows, sh.s, sh.dv, T(1), g + i0 * dout.rs, dout.rs, 1, v.at(b1, b2), 1, v.rs, T(0), dp, sh.s);
      for (int64_t r = 0; r < rows; ++r) di[r] = T(dot_of(g + (i0 + r) * dout.rs, o + (i0 + r) * out.rs, sh.dv));
      grad_scores_rows(rows, sh.s, p, dp, di);
      // dq = scale·dS·k; dk += scale·dSᵀ·q
      gemm_of(rows, sh.d, sh.s, T(sh.scale), dp, sh.s, 1, k.at(b1, b2), k.rs, 1, T(0), dq.at(b1, b2) + i0 * dq.rs, dq.rs);
      gemm_of(sh.s, sh.d, rows, T(sh.scale), dp, 1, sh.s, q.at(b1, b2) + i0 * q.rs, q.rs, 1, beta, dk.at(b1, b2), dk.rs);
    }
  });
}

template void attention_forward<float>(const AttentionShape&, Heads<const float>, Heads<const float>, Heads<const float>,
                                       Mask<float>, Heads<float>, float*);
template void attention_forward<double>(const AttentionShape&, Heads<const double>, Heads<const double>, Heads<const double>,
                                        Mask<double>, Heads<double>, double*);
template void attention_backward<float>(const AttentionShape&, Heads<const float>, Heads<const float>, Heads<const float>,
                                        Mask<float>, Heads<const float>, Heads<const float>, const float*, Heads<float>,
                                        Heads<float>, Heads<float>);
template void attention_backward<double>(const AttentionShape&, Heads<const double>, Heads<const double>,
                                         Heads<const double>, Mask<double>, Heads<const double>, Heads<const double>,
                                         const double*, Heads<double>, Heads<double>, Heads<double>);

}  // namespace kindling
