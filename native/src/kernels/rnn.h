// native/src/kernels/rnn.h — an LSTM step's gate arithmetic and its gradient, each in one pass (see
// lstmCellOp in src/nn/functional/rnn.ts for the formulas and the layouts).
#pragma once
#include <cstdint>

namespace kindling {

// A strided [N, H] operand: element (r, j) is at data[offset + r * row + j * col].
template <typename T>
struct Rows {
  const T* data;
  int64_t offset, row, col;
  const T& at(int64_t r, int64_t j) const { return data[offset + r * row + j * col]; }
};

// From gates [N, 4H] (i, f, g, o; gate k of row r is gates.at(r, k * H + j)) and c [N, H]: out
// [2, N, H] holds h' = σ(o)·tanh(c') and c' = σ(f)·c + σ(i)·tanh(g); acts [5, N, H] holds σ(i),
// σ(f), tanh(g), σ(o) and tanh(c') for the backward. Both outputs are contiguous.
template <typename T>
void lstm_cell(int64_t n, int64_t h, Rows<T> gates, Rows<T> c, T* out, T* acts);

// The gradients of the gates (dgates [N, 4H]) and of c (dc_prev [N, H]) from those of h' and c',
// c and the forward's acts (contiguous [5, N, H]).
template <typename T>
void lstm_cell_backward(int64_t n, int64_t h, Rows<T> grad_h, Rows<T> grad_c, Rows<T> c, const T* acts, T* dgates, T* dc_prev);

// One direction of an LSTM layer over `steps` steps of n rows, all operands dense: for each step t in
// order (from the last with `reverse`), gates[t] = xp[t] + h·wᵀ and (y[t], cs[t]) = (h', c') of the cell
// on gates[t] and c, where h and c are h0 and c0 at the first step and the previous step's y and cs after.
// xp and gates are [steps·n, 4h], w is W_hh [4h, h], y and cs [steps·n, h].
template <typename T>
void lstm_layer(int64_t steps, int64_t n, int64_t h, bool reverse, const T* xp, const T* w, const T* h0, const T* c0,
                T* gates, T* y, T* cs);

// lstm_layer's gradients: dgates [steps·n, 4h] (which is xp's), dh0 and dc0 [n, h], from the gradients of
// y (grad_y, [steps·n, h]) and of the last step's h and c (grad_h, grad_c, [n, h]), each null for none.
// The activations are recomputed from the saved gates and cs, as the forward computed them.
template <typename T>
void lstm_layer_backward(int64_t steps, int64_t n, int64_t h, bool reverse, const T* gates, const T* w, const T* c0,
                         const T* cs, const T* grad_y, const T* grad_h, const T* grad_c, T* dgates, T* dh0, T* dc0);

}  // namespace kindling
