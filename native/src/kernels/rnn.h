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

}  // namespace kindling
