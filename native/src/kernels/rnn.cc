// native/src/kernels/rnn.cc — the fused LSTM cell (see rnn.h). Each formula is the composed kernels'
// own (same operations in the same order, no fused multiply-add), so the result equals theirs. The
// outputs are distinct arrays that the inputs do not overlap (fresh tensors), hence __restrict: with a
// dozen pointers the vectorizer would otherwise give up on checking them at run time.
#include "rnn.h"

#include "../gemm/gemm.h"
#include "../runtime/thread_pool.h"
#include "clones.h"
#include "parallel.h"
#include "sigmoid_tanh.h"

namespace kindling {
namespace {

// Rows of a [N, H] operand as pointers with a column stride: stride 1 is the case that vectorizes.
template <typename T>
struct Row {
  const T* p;
  int64_t col;
  KINDLING_INLINE T operator[](int64_t j) const { return p[j * col]; }
};
template <typename T>
KINDLING_INLINE Row<T> row_of(const Rows<T>& x, int64_t r, int64_t j0 = 0) {
  return {x.data + x.offset + r * x.row + j0 * x.col, x.col};
}

template <typename T, typename G, typename C>
KINDLING_INLINE void cell_row(int64_t h, G gi, G gf, G gg, G go, C c, T* __restrict h2, T* __restrict c2, T* __restrict ai,
                              T* __restrict af, T* __restrict ag, T* __restrict ao, T* __restrict atc) {
  for (int64_t j = 0; j < h; ++j) {
    const T i = sigmoid(gi[j]), f = sigmoid(gf[j]), g = tanh_of(gg[j]), o = sigmoid(go[j]);
    const T fc = f * c[j], ig = i * g;
    const T cn = fc + ig;
    const T tc = tanh_of(cn);
    h2[j] = o * tc;
    c2[j] = cn;
    ai[j] = i;
    af[j] = f;
    ag[j] = g;
    ao[j] = o;
    atc[j] = tc;
  }
}

template <typename T>
KINDLING_CLONES void cell_rows(int64_t r0, int64_t r1, int64_t n, int64_t h, Rows<T> gates, Rows<T> c, T* out, T* acts) {
  const int64_t nh = n * h;
  for (int64_t r = r0; r < r1; ++r) {
    T* const o = out + r * h;
    T* const a = acts + r * h;
    const bool dense = gates.col == 1 && c.col == 1;
    if (dense) {
      const T* g = gates.data + gates.offset + r * gates.row;
      cell_row<T>(h, g, g + h, g + 2 * h, g + 3 * h, c.data + c.offset + r * c.row, o, o + nh, a, a + nh, a + 2 * nh,
                  a + 3 * nh, a + 4 * nh);
    } else {
      cell_row<T>(h, row_of(gates, r), row_of(gates, r, h), row_of(gates, r, 2 * h), row_of(gates, r, 3 * h), row_of(c, r),
                  o, o + nh, a, a + nh, a + 2 * nh, a + 3 * nh, a + 4 * nh);
    }
  }
}

template <typename T, typename V>
KINDLING_INLINE void cell_backward_row(int64_t h, V gh, V gc, V c, const T* __restrict i, const T* __restrict f,
                                       const T* __restrict g, const T* __restrict o, const T* __restrict tc, T* __restrict di,
                                       T* __restrict df, T* __restrict dg, T* __restrict dout, T* __restrict dc_prev) {
  for (int64_t j = 0; j < h; ++j) {
    // dL/dc' from both outputs: c' itself, and h' = o·tanh(c')
    const T dc = gc[j] + (gh[j] * o[j]) * (T(1) - tc[j] * tc[j]);
    di[j] = (dc * g[j]) * (i[j] - i[j] * i[j]);
    df[j] = (dc * c[j]) * (f[j] - f[j] * f[j]);
    dg[j] = (dc * i[j]) * (T(1) - g[j] * g[j]);
    dout[j] = (gh[j] * tc[j]) * (o[j] - o[j] * o[j]);
    dc_prev[j] = dc * f[j];
  }
}

template <typename T>
KINDLING_CLONES void cell_backward_rows(int64_t r0, int64_t r1, int64_t n, int64_t h, Rows<T> gh, Rows<T> gc, Rows<T> c,
                                        const T* acts, T* dgates, T* dc_prev) {
  const int64_t nh = n * h;
  for (int64_t r = r0; r < r1; ++r) {
    const T* a = acts + r * h;
    T* const d = dgates + r * 4 * h;
    if (gh.col == 1 && gc.col == 1 && c.col == 1) {
      cell_backward_row<T>(h, gh.data + gh.offset + r * gh.row, gc.data + gc.offset + r * gc.row, c.data + c.offset + r * c.row,
                           a, a + nh, a + 2 * nh, a + 3 * nh, a + 4 * nh, d, d + h, d + 2 * h, d + 3 * h, dc_prev + r * h);
    } else {
      cell_backward_row<T>(h, row_of(gh, r), row_of(gc, r), row_of(c, r), a, a + nh, a + 2 * nh, a + 3 * nh, a + 4 * nh, d,
                           d + h, d + 2 * h, d + 3 * h, dc_prev + r * h);
    }
  }
}


// C[m, n] = A[m, k]·op(B) with op(B)[p, j] at b[p * b_rs + j * b_cs], A and C dense rows.
KINDLING_INLINE void gemm_of(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t b_rs,
                             int64_t b_cs, float* c, int64_t ldc) {
  sgemm_strided(m, n, k, 1.0f, a, lda, 1, b, b_rs, b_cs, 0.0f, c, ldc, 1);
}
KINDLING_INLINE void gemm_of(int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b, int64_t b_rs,
                             int64_t b_cs, double* c, int64_t ldc) {
  dgemm_strided(m, n, k, 1.0, a, lda, 1, b, b_rs, b_cs, 0.0, c, ldc, 1);
}

// One row of a layer step: the gates are xp + h·wᵀ (that product already in g), kept in g for the backward.
template <typename T>
KINDLING_INLINE void layer_row(int64_t h, const T* __restrict x, T* __restrict g, const T* __restrict c, T* __restrict y,
                               T* __restrict c2) {
  for (int64_t k = 0; k < 4 * h; ++k) g[k] = x[k] + g[k];
  for (int64_t j = 0; j < h; ++j) {
    const T i = sigmoid(g[j]), f = sigmoid(g[h + j]), gg = tanh_of(g[2 * h + j]), o = sigmoid(g[3 * h + j]);
    const T fc = f * c[j], ig = i * gg;
    const T cn = fc + ig;
    y[j] = o * tanh_of(cn);
    c2[j] = cn;
  }
}

template <typename T>
KINDLING_CLONES void layer_rows(int64_t r0, int64_t r1, int64_t h, const T* xp, T* gates, const T* c, T* y, T* c2) {
  for (int64_t r = r0; r < r1; ++r)
    layer_row<T>(h, xp + r * 4 * h, gates + r * 4 * h, c + r * h, y + r * h, c2 + r * h);
}

// One row of a layer step's gradient; dh and dc hold the gradients reaching h' and c' from later steps
// and are replaced by those of h and c (dh by the caller's product, dc here).
// kGy: whether y has a gradient (a branch per element would keep the loop from vectorizing).
template <typename T, bool kGy>
KINDLING_INLINE void layer_backward_row(int64_t h, const T* __restrict g, const T* __restrict c, const T* __restrict c2,
                                        const T* __restrict gy, const T* __restrict dh, T* __restrict dc, T* __restrict d) {
  for (int64_t j = 0; j < h; ++j) {
    const T i = sigmoid(g[j]), f = sigmoid(g[h + j]), gg = tanh_of(g[2 * h + j]), o = sigmoid(g[3 * h + j]);
    const T tc = tanh_of(c2[j]);
    const T gh = kGy ? gy[j] + dh[j] : dh[j];
    // dL/dc' from both outputs: c' itself, and h' = o·tanh(c')
    const T dcn = dc[j] + (gh * o) * (T(1) - tc * tc);
    d[j] = (dcn * gg) * (i - i * i);
    d[h + j] = (dcn * c[j]) * (f - f * f);
    d[2 * h + j] = (dcn * i) * (T(1) - gg * gg);
    d[3 * h + j] = (gh * tc) * (o - o * o);
    dc[j] = dcn * f;
  }
}

template <typename T>
KINDLING_CLONES void layer_backward_rows(int64_t r0, int64_t r1, int64_t h, const T* gates, const T* c, const T* c2,
                                         const T* gy, const T* dh, T* dc, T* dgates) {
  for (int64_t r = r0; r < r1; ++r) {
    if (gy == nullptr)
      layer_backward_row<T, false>(h, gates + r * 4 * h, c + r * h, c2 + r * h, nullptr, dh + r * h, dc + r * h, dgates + r * 4 * h);
    else
      layer_backward_row<T, true>(h, gates + r * 4 * h, c + r * h, c2 + r * h, gy + r * h, dh + r * h, dc + r * h, dgates + r * 4 * h);
  }
}
}  // namespace

template <typename T>
void lstm_cell(int64_t n, int64_t h, Rows<T> gates, Rows<T> c, T* out, T* acts) {
  parallel_ranges(n, n * h, 2 * kParallelGrain, [&](int64_t r0, int64_t r1) { cell_rows<T>(r0, r1, n, h, gates, c, out, acts); });
}

template <typename T>
void lstm_cell_backward(int64_t n, int64_t h, Rows<T> grad_h, Rows<T> grad_c, Rows<T> c, const T* acts, T* dgates, T* dc_prev) {
  parallel_ranges(n, n * h, 2 * kParallelGrain, [&](int64_t r0, int64_t r1) {
    cell_backward_rows<T>(r0, r1, n, h, grad_h, grad_c, c, acts, dgates, dc_prev);
  });
}

template void lstm_cell<float>(int64_t, int64_t, Rows<float>, Rows<float>, float*, float*);
template void lstm_cell<double>(int64_t, int64_t, Rows<double>, Rows<double>, double*, double*);
template void lstm_cell_backward<float>(int64_t, int64_t, Rows<float>, Rows<float>, Rows<float>, const float*, float*, float*);
template void lstm_cell_backward<double>(int64_t, int64_t, Rows<double>, Rows<double>, Rows<double>, const double*, double*,
                                         double*);

template <typename T>
void lstm_layer(int64_t steps, int64_t n, int64_t h, bool reverse, const T* xp, const T* w, const T* h0, const T* c0,
                T* gates, T* y, T* cs) {
  const T* hp = h0;
  const T* cp = c0;
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = reverse ? steps - 1 - s : s;
    T* const g = gates + t * n * 4 * h;
    // h·W_hhᵀ: op(B)[p, j] = w[j, p]
    gemm_of(n, 4 * h, h, hp, h, w, 1, h, g, 4 * h);
    const T* const x = xp + t * n * 4 * h;
    T* const yt = y + t * n * h;
    T* const ct = cs + t * n * h;
    parallel_ranges(n, n * h, 2 * kParallelGrain, [&](int64_t r0, int64_t r1) { layer_rows<T>(r0, r1, h, x, g, cp, yt, ct); });
    hp = yt;
    cp = ct;
  }
}

template <typename T>
void lstm_layer_backward(int64_t steps, int64_t n, int64_t h, bool reverse, const T* gates, const T* w, const T* c0,
                         const T* cs, const T* grad_y, const T* grad_h, const T* grad_c, T* dgates, T* dh0, T* dc0) {
  // dh0 and dc0 carry the gradients of h and c from step to step, ending as those of h0 and c0; dh's
  // product needs its own buffer, since it reads the step's dgates after the rows have read dh.
  const int64_t nh = n * h;
  for (int64_t k = 0; k < nh; ++k) dh0[k] = grad_h == nullptr ? T(0) : grad_h[k];
  for (int64_t k = 0; k < nh; ++k) dc0[k] = grad_c == nullptr ? T(0) : grad_c[k];
  for (int64_t s = steps - 1; s >= 0; --s) {
    const int64_t t = reverse ? steps - 1 - s : s;
    // the c this step started from: c0 at the first step, else the previous step's
    const int64_t prev = reverse ? t + 1 : t - 1;
    const T* const cp = s == 0 ? c0 : cs + prev * nh;
    const T* const g = gates + t * n * 4 * h;
    T* const d = dgates + t * n * 4 * h;
    const T* const gy = grad_y == nullptr ? nullptr : grad_y + t * nh;
    parallel_ranges(n, nh, 2 * kParallelGrain, [&](int64_t r0, int64_t r1) {
      layer_backward_rows<T>(r0, r1, h, g, cp, cs + t * nh, gy, dh0, dc0, d);
    });
    // dh = dgates·W_hh: op(B) = w itself
    gemm_of(n, h, 4 * h, d, 4 * h, w, h, 1, dh0, h);
  }
}

template void lstm_layer<float>(int64_t, int64_t, int64_t, bool, const float*, const float*, const float*, const float*,
                                float*, float*, float*);
template void lstm_layer<double>(int64_t, int64_t, int64_t, bool, const double*, const double*, const double*,
                                 const double*, double*, double*, double*);
template void lstm_layer_backward<float>(int64_t, int64_t, int64_t, bool, const float*, const float*, const float*,
                                         const float*, const float*, const float*, const float*, float*, float*, float*);
template void lstm_layer_backward<double>(int64_t, int64_t, int64_t, bool, const double*, const double*, const double*,
                                          const double*, const double*, const double*, const double*, double*, double*,
                                          double*);

}  // namespace kindling
