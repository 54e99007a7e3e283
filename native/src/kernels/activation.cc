// native/src/kernels/activation.cc — parameterised activations in one pass, in PyTorch's formulas,
// with a float32 exp that the compiler vectorizes (libm's exp runs one element at a time).
#include "activation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "clones.h"
#include "parallel.h"
#include "sigmoid_tanh.h"
#include "strided.h"

namespace kindling {
namespace {

KINDLING_INLINE float float_from_bits(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

struct Exp {
  float exp, expm1;
};

// Cephes' expf without branches or libm calls, so that loops over it vectorize: x = n·ln2 + r with
// |r| <= ln2/2 (ln2 in two parts, so r is exact; n rounded by the 1.5·2^23 trick, as floor does not
// vectorize without -fno-trapping-math), exp(r) - 1 = r + r²·p(r), scaled by 2^n in two halves so
// that overflow gives inf and denormal results come out right. Within 1 ulp of exp over all floats
// (checked against libm's double exp); exp - 1 keeps the polynomial's relative accuracy for n = 0
// (|x| < ln2/2) and is within 3.5 ulp elsewhere. NaN stays NaN: the clamps keep it, and it poisons every term.
KINDLING_INLINE Exp exp_f32(float x) {
  const float xc = std::min(std::max(x, -104.0f), 89.0f);
  const float t = xc * 1.44269504088896341f;
  float n = (t + 12582912.0f) - 12582912.0f;
  const float r = (xc - n * 0.693359375f) - n * -2.12194440e-4f;
  const float p =
      ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r +
       1.6666665459e-1f) * r + 5.0000001201e-1f;
  const float em1 = r + r * r * p;
  n = n == n ? n : 0.0f;  // a NaN must not reach the integer conversion
  const int32_t k = static_cast<int32_t>(n), half = k >> 1;
  const float e = (em1 + 1.0f) * float_from_bits((half + 127) << 23) * float_from_bits((k - half + 127) << 23);
  return {e, k == 0 ? em1 : e - 1.0f};
}

KINDLING_INLINE float exp_of(float x) { return exp_f32(x).exp; }
KINDLING_INLINE float expm1_of(float x) { return exp_f32(x).expm1; }
KINDLING_INLINE double exp_of(double x) { return std::exp(x); }
KINDLING_INLINE double expm1_of(double x) { return std::expm1(x); }

// PyTorch's vectorized float erf (Abramowitz and Stegun 7.1.26, within 1.5e-7 absolute), which its
// float gelu kernels use: sign(x)·(1 - t·r(t)·exp(-x²)) with t = 1/(1 + p·|x|).
KINDLING_INLINE float erf_of(float x) {
  const float a = std::fabs(x), t = 1.0f / (0.3275911f * a + 1.0f);
  const float r = (((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f;
  return std::copysign(1.0f - r * t * exp_of(-x * x), x);
}
KINDLING_INLINE double erf_of(double x) { return std::erf(x); }

// gelu's constants, as PyTorch's kernels spell them.
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kGeluBeta = 0.79788456080286535588;  // sqrt(2/pi)
constexpr double kGeluKappa = 0.044715;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)

// d/dx of x·Φ(x) = Φ(x) + x·φ(x), and of the tanh form, in PyTorch's GeluBackwardKernelImpl order.
template <typename T>
KINDLING_INLINE T gelu_grad(T x) {
  const T cdf = T(0.5) * (T(1) + erf_of(x * T(kSqrt1_2)));
  const T pdf = T(kInvSqrt2Pi) * exp_of(x * x * T(-0.5));
  return cdf + x * pdf;
}
template <typename T>
KINDLING_INLINE T gelu_tanh_grad(T x) {
  const T x_sq = x * x, inner = T(kGeluBeta) * (x + T(kGeluKappa) * x_sq * x), tanh_inner = tanh_of(inner);
  const T left = T(0.5) * x, right = T(1) + tanh_inner;
  const T left_derivative = T(0.5) * right, tanh_derivative = T(1) - tanh_inner * tanh_inner;
  const T inner_derivative = T(kGeluBeta) * (T(1) + T(3 * kGeluKappa) * x_sq);
  return left_derivative + left * tanh_derivative * inner_derivative;
}

// PyTorch's CPU kernels: leaky_relu a > 0 ? a : a·slope; elu a <= 0 ? expm1(a)·alpha : a (its
// vectorized path's expm1); silu a / (1 + exp(-a)); gelu a·0.5·(1 + erf(a/√2)) or, in its tanh form,
// 0.5·a·(1 + tanh(β·(a + κ·a³))).
template <typename T>
KINDLING_INLINE void activation_run(ActivationOp op, T param, const T* x, int64_t sx, T* o, int64_t n) {
  switch (op) {
    case ActivationOp::kLeakyRelu: return map_run(x, sx, o, n, [=](T a) { return a > T(0) ? a : a * param; });
    case ActivationOp::kElu: return map_run(x, sx, o, n, [=](T a) {
      const T negative = expm1_of(a) * param;  // computed for every element, so the loop has no branch
      return a <= T(0) ? negative : a;
    });
    case ActivationOp::kSilu: return map_run(x, sx, o, n, [](T a) { return a / (T(1) + exp_of(-a)); });
    case ActivationOp::kGelu:
      return map_run(x, sx, o, n, [](T a) { return a * T(0.5) * (T(1) + erf_of(a * T(kSqrt1_2))); });
    case ActivationOp::kGeluTanh: return map_run(x, sx, o, n, [](T a) {
      return T(0.5) * a * (T(1) + tanh_of(T(kGeluBeta) * (a + T(kGeluKappa) * (a * a * a))));
    });
  }
}

template <typename T, typename F>
KINDLING_INLINE void grad_run(const T* g, int64_t sg, const T* x, int64_t sx, T* o, int64_t n, F f) {
  if (sg == 1 && sx == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = g[i] * f(x[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = g[i * sg] * f(x[i * sx]);
  }
}

template <typename T>
KINDLING_INLINE void backward_run(ActivationOp op, const T* g, int64_t sg, const T* x, int64_t sx, T* o, int64_t n) {
  if (op == ActivationOp::kGeluTanh) return grad_run(g, sg, x, sx, o, n, [](T a) { return gelu_tanh_grad(a); });
  grad_run(g, sg, x, sx, o, n, [](T a) { return gelu_grad(a); });
}

KINDLING_CLONES void activation_dispatch(ActivationOp op, float param, const float* x, int64_t sx, float* o, int64_t n) {
  activation_run(op, param, x, sx, o, n);
}
KINDLING_CLONES void activation_dispatch(ActivationOp op, double param, const double* x, int64_t sx, double* o,
                                         int64_t n) {
  activation_run(op, param, x, sx, o, n);
}

KINDLING_CLONES void backward_dispatch(ActivationOp op, const float* g, int64_t sg, const float* x, int64_t sx, float* o,
                                       int64_t n) {
  backward_run(op, g, sg, x, sx, o, n);
}
KINDLING_CLONES void backward_dispatch(ActivationOp op, const double* g, int64_t sg, const double* x, int64_t sx,
                                       double* o, int64_t n) {
  backward_run(op, g, sg, x, sx, o, n);
}

}  // namespace

template <typename T>
void activation(ActivationOp op, T param, const T* x, const int64_t* shape, const int64_t* strides, int ndim,
                int64_t offset, T* out) {
  if (is_dense(shape, strides, ndim)) {
    parallel_chunks(numel_of(shape, ndim),
                    [&](int64_t b, int64_t c) { activation_dispatch(op, param, x + offset + b, 1, out + b, c); });
    return;
  }
  parallel_runs(shape, ndim, {strides}, {offset}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    activation_dispatch(op, param, x + p[0], r[0], out + pos, count);
  });
}

template <typename T>
void activation_backward(ActivationOp op, const T* grad, const int64_t* sg, int64_t og, const T* x, const int64_t* sx,
                         int64_t ox, const int64_t* shape, int ndim, T* out) {
  if (is_dense(shape, sg, ndim) && is_dense(shape, sx, ndim)) {
    parallel_chunks(numel_of(shape, ndim),
                    [&](int64_t b, int64_t c) { backward_dispatch(op, grad + og + b, 1, x + ox + b, 1, out + b, c); });
    return;
  }
  parallel_runs(shape, ndim, {sg, sx}, {og, ox}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    backward_dispatch(op, grad + p[0], r[0], x + p[1], r[1], out + pos, count);
  });
}

template void activation<float>(ActivationOp, float, const float*, const int64_t*, const int64_t*, int, int64_t, float*);
template void activation<double>(ActivationOp, double, const double*, const int64_t*, const int64_t*, int, int64_t,
                                 double*);
template void activation_backward<float>(ActivationOp, const float*, const int64_t*, int64_t, const float*,
                                         const int64_t*, int64_t, const int64_t*, int, float*);
template void activation_backward<double>(ActivationOp, const double*, const int64_t*, int64_t, const double*,
                                          const int64_t*, int64_t, const int64_t*, int, double*);

}  // namespace kindling
