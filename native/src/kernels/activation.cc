// native/src/kernels/activation.cc — parameterised activations in one pass, in PyTorch's formulas,
// with a float32 exp that the compiler vectorizes (libm's exp runs one element at a time).
#include "activation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "clones.h"
#include "parallel.h"
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

// PyTorch's CPU kernels: leaky_relu a > 0 ? a : a·slope; elu a <= 0 ? expm1(a)·alpha : a (its
// vectorized path's expm1); silu a / (1 + exp(-a)).
template <typename T>
KINDLING_INLINE void activation_run(ActivationOp op, T param, const T* x, int64_t sx, T* o, int64_t n) {
  switch (op) {
    case ActivationOp::kLeakyRelu: return map_run(x, sx, o, n, [=](T a) { return a > T(0) ? a : a * param; });
    case ActivationOp::kElu: return map_run(x, sx, o, n, [=](T a) {
      const T negative = expm1_of(a) * param;  // computed for every element, so the loop has no branch
      return a <= T(0) ? negative : a;
    });
    case ActivationOp::kSilu: return map_run(x, sx, o, n, [](T a) { return a / (T(1) + exp_of(-a)); });
  }
}

KINDLING_CLONES void activation_dispatch(ActivationOp op, float param, const float* x, int64_t sx, float* o, int64_t n) {
  activation_run(op, param, x, sx, o, n);
}
KINDLING_CLONES void activation_dispatch(ActivationOp op, double param, const double* x, int64_t sx, double* o,
                                         int64_t n) {
  activation_run(op, param, x, sx, o, n);
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

template void activation<float>(ActivationOp, float, const float*, const int64_t*, const int64_t*, int, int64_t, float*);
template void activation<double>(ActivationOp, double, const double*, const int64_t*, const int64_t*, int, int64_t,
                                 double*);

}  // namespace kindling
