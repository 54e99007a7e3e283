// native/src/kernels/rnn.cc — the fused LSTM cell (see rnn.h). Each formula is the composed kernels'
// own (same operations in the same order, no fused multiply-add), so the result equals theirs. The
// outputs are distinct arrays that the inputs do not overlap (fresh tensors), hence __restrict: with a
// dozen pointers the vectorizer would otherwise give up on checking them at run time.
#include "rnn.h"

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

}  // namespace kindling
