// native/src/kernels/elementwise.h — pointwise kernels on float32/float64 strided views.
#pragma once
#include <cstdint>

namespace kindling {

// Op codes shared with src/backends/native/ops.ts (the order there must match).
enum class UnaryOp : int {
  kNeg, kExp, kLog, kSqrt, kRsqrt, kAbs, kSigmoid, kTanh, kRelu, kSin, kCos, kLog1p, kExpm1, kReciprocal, kSign
};
enum class BinaryOp : int { kAdd, kSub, kMul, kDiv, kMaximum, kMinimum, kPow };

// out[i] = op(x[i]) over a view given by (shape, strides, offset); out is contiguous.
template <typename T>
void unary(UnaryOp op, const T* x, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, T* out);

// out[i] = a[i] op b[i]; a and b share `shape`, out is contiguous.
template <typename T>
void binary(BinaryOp op, const T* a, const int64_t* sa, int64_t oa, const T* b, const int64_t* sb, int64_t ob,
            const int64_t* shape, int ndim, T* out);

// dst = cast(src) through two views of one shape (dst may be strided); same element type.
template <typename T>
void copy_strided(const T* src, const int64_t* ss, int64_t so, T* dst, const int64_t* ds, int64_t dO,
                  const int64_t* shape, int ndim);

// out[a, b] = sum over r of x[a, r, b] for a contiguous x of shape [A, R, B] (op 0 sum, 1 max, 2 min).
template <typename T>
void reduce_middle(int op, const T* x, int64_t A, int64_t R, int64_t B, T* out);

}  // namespace kindling
