// native/src/kernels/fused.h — one-pass kernels for what the primitives would take several passes
// for: clamp, addcmul/addcdiv, fill, and the optimizers' parameter updates.
#pragma once
#include <cstdint>

namespace kindling {

// out[i] = x[i] limited to [lo, hi] (NaN kept; every element becomes hi when lo > hi); out is contiguous.
template <typename T>
void clamp(const T* x, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, T lo, T hi, T* out);

// out[i] = x[i] + (value * a[i]) * b[i], or (value * a[i]) / b[i] with `divide`; all share `shape`.
template <typename T>
void addcmul(bool divide, T value, const T* x, const int64_t* sx, int64_t ox, const T* a, const int64_t* sa,
             int64_t oa, const T* b, const int64_t* sb, int64_t ob, const int64_t* shape, int ndim, T* out);

// dst[i] = value for n contiguous elements.
template <typename T>
void fill(T* dst, int64_t n, T value);

// One step of PyTorch 1.13's single-tensor Adam / AdamW on n contiguous elements, as the constants
// that the optimizer computes in double precision. The arrays must not overlap (nor in sgd_step).
struct AdamStep {
  double sign;           // -1 with maximize
  double decay;          // AdamW's 1 - lr * weight_decay, else 1
  double weight_decay;   // Adam's L2 term added to the gradient, else 0
  double beta1, beta2;
  double step_size;      // lr / (1 - beta1^step)
  double bias_correction2_sqrt;
  double eps;
};
template <typename T>
void adam_step(const AdamStep& s, T* param, const T* grad, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, int64_t n);

// One step of PyTorch 1.13's single-tensor SGD with momentum on n contiguous elements; `first`
// starts the momentum buffer as a copy of the (decayed) gradient.
struct SgdStep {
  double sign;  // -1 with maximize
  double lr, momentum, dampening, weight_decay;
  bool nesterov, first;
};
template <typename T>
void sgd_step(const SgdStep& s, T* param, const T* grad, T* momentum_buffer, int64_t n);

}  // namespace kindling
