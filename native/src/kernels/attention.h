// native/src/kernels/attention.h — scaled dot-product attention softmax(scale·q·kᵀ + mask)·v and its
// gradient, blockwise per (batch, head) without the [L, S] weights in memory (PyTorch's CPU flash
// attention): the forward keeps each row's log-sum-exp, the backward recomputes the weights from it.
#pragma once
#include <cstdint>

namespace kindling {

// A strided [B1, B2, R, C] operand with unit stride along C: element (b1, b2, r, c) at
// data[b1 * s0 + b2 * s1 + r * rs + c].
template <typename T>
struct Heads {
  T* data;
  int64_t s0, s1, rs;
  T* at(int64_t b1, int64_t b2) const { return data + b1 * s0 + b2 * s1; }
};

// An additive mask broadcast to [B1, B2, L, S]: element (b1, b2, i, j) at data[b1 * s0 + b2 * s1 + i * rs + j * cs].
template <typename T>
struct Mask {
  const T* data;  // null: no mask
  int64_t s0, s1, rs, cs;
};

// The sizes and options of one attention call: q [B1, B2, L, D], k [B1, B2, S, D], v [B1, B2, S, Dv].
struct AttentionShape {
  int64_t b1, b2, l, s, d, dv;
  double scale;
  bool causal;  // key j is masked for query i when j > i
};

// out = softmax(scale·q·kᵀ + mask)·v, and lse [B1, B2, L] (dense) the log-sum-exp of each row of scores.
template <typename T>
void attention_forward(const AttentionShape& sh, Heads<const T> q, Heads<const T> k, Heads<const T> v, Mask<T> mask,
                       Heads<T> out, T* lse);

// The gradients dq, dk and dv (in q's, k's and v's shapes) from that of the output (dout) and the
// forward's out and lse.
template <typename T>
void attention_backward(const AttentionShape& sh, Heads<const T> q, Heads<const T> k, Heads<const T> v, Mask<T> mask,
                        Heads<const T> out, Heads<const T> dout, const T* lse, Heads<T> dq, Heads<T> dk, Heads<T> dv);

}  // namespace kindling
