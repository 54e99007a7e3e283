// native/src/kernels/elementwise.h — pointwise kernels on float32/float64 strided views.
#pragma once
#include <cstdint>

namespace kindling {

// Op codes shared with src/backends/native/ops.ts (the order there must match).
enum class UnaryOp : int {
  kNeg, kExp, kLog, kSqrt, kRsqrt, kAbs, kSigmoid, kTanh, kRelu, kSin, kCos, kLog1p, kExpm1, kReciprocal, kSign,
  kErfinv, kLgamma, kDigamma, kTrigamma, kErf
};
// kThresholdBackward: a where b > 0 (or NaN), else 0 — ReLU's gradient in one pass.
enum class BinaryOp : int { kAdd, kSub, kMul, kDiv, kMaximum, kMinimum, kPow, kThresholdBackward, kFmod };
enum class CompareOp : int { kEq, kNe, kLt, kLe, kGt, kGe };

// out[i] = op(x[i]) over a view given by (shape, strides, offset); out is contiguous.
template <typename T>
void unary(UnaryOp op, const T* x, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, T* out);

// out[i] = a[i] op b[i]; a and b share `shape`, out is contiguous.
template <typename T>
void binary(BinaryOp op, const T* a, const int64_t* sa, int64_t oa, const T* b, const int64_t* sb, int64_t ob,
            const int64_t* shape, int ndim, T* out);

// out[i] = a[i] op b[i] as 0/1 bytes (a bool tensor); a and b share `shape`, out is contiguous.
template <typename T>
void compare(CompareOp op, const T* a, const int64_t* sa, int64_t oa, const T* b, const int64_t* sb, int64_t ob,
             const int64_t* shape, int ndim, uint8_t* out);

// out[i] = c[i] ? a[i] : b[i] with c a bool (byte) view; all share `shape`, out is contiguous.
template <typename T>
void where(const uint8_t* c, const int64_t* sc, int64_t oc, const T* a, const int64_t* sa, int64_t oa, const T* b,
           const int64_t* sb, int64_t ob, const int64_t* shape, int ndim, T* out);

// Max (or min) over r of a dense x[A, R, B] with the index of the first extreme (int64 stored as double).
template <typename T>
void arg_reduce(bool is_max, const T* x, int64_t A, int64_t R, int64_t B, T* values, double* indices);

// y[i] += alpha * x[i] for dense x and y of n elements (the optimizers' parameter update).
template <typename T>
void axpy(int64_t n, T alpha, const T* x, T* y);

// dst = cast(src) through two views of one shape (dst may be strided); same element type.
template <typename T>
void copy_strided(const T* src, const int64_t* ss, int64_t so, T* dst, const int64_t* ds, int64_t dO,
                  const int64_t* shape, int ndim);

// out[a, b] = sum over r of x[a, r, b] for a contiguous x of shape [A, R, B] (op 0 sum, 1 max, 2 min).
template <typename T>
void reduce_middle(int op, const T* x, int64_t A, int64_t R, int64_t B, T* out);

// out[k] = sum over a and r of x[a, k, r] for a contiguous x of shape [A, K, R]: every dim but one
// reduced in one pass, as for a convolution's bias gradient (sum over batch and positions).
template <typename T>
void sum_outer_inner(const T* x, int64_t A, int64_t K, int64_t R, T* out);

}  // namespace kindling
