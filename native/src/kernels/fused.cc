// native/src/kernels/fused.cc — one-pass kernels (clamp, addcmul/addcdiv, fill, optimizer steps),
// written as plain loops in PyTorch's order of operations and compiled per ISA (clones.h).
// Each element is rounded as PyTorch's kernels round it: a fused multiply-add exactly where PyTorch's
// has one (add with alpha is Vectorized::fmadd; GCC contracts addcmul's self + value*t1*t2), written
// as std::fma, and nowhere else, so the compiler may not contract on its own here.
#pragma GCC optimize("fp-contract=off")

#include "fused.h"

#include <algorithm>
#include <cmath>

#include "clones.h"
#include "parallel.h"
#include "strided.h"

namespace kindling {
namespace {

template <typename T>
KINDLING_INLINE void clamp_run(const T* x, int64_t sx, T* o, int64_t n, T lo, T hi) {
  // Both tests fail for NaN, which so stays NaN, as PyTorch's min(max(x, lo), hi) keeps it.
  if (sx == 1) {
    for (int64_t i = 0; i < n; i++) {
      const T v = x[i] < lo ? lo : x[i];
      o[i] = v > hi ? hi : v;
    }
  } else {
    for (int64_t i = 0; i < n; i++) {
      const T v = x[i * sx] < lo ? lo : x[i * sx];
      o[i] = v > hi ? hi : v;
    }
  }
}

template <typename T>
KINDLING_INLINE void addc_run(bool divide, T value, const T* x, int64_t sx, const T* a, int64_t sa, const T* b,
                              int64_t sb, T* o, int64_t n) {
  if (sx == 1 && sa == 1 && sb == 1) {
    if (divide) {
      for (int64_t i = 0; i < n; i++) o[i] = x[i] + value * a[i] / b[i];
    } else {
      for (int64_t i = 0; i < n; i++) o[i] = std::fma(value * a[i], b[i], x[i]);
    }
  } else if (divide) {
    for (int64_t i = 0; i < n; i++) o[i] = x[i * sx] + value * a[i * sa] / b[i * sb];
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = std::fma(value * a[i * sa], b[i * sb], x[i * sx]);
  }
}

// The step's constants in the tensor's precision, as PyTorch converts Python floats to scalar_t.
template <typename T>
struct AdamConsts {
  T sign, decay, weight_decay, beta1, one_minus_beta1, beta2, one_minus_beta2, neg_step_size, bias_correction2_sqrt, eps;
  explicit AdamConsts(const AdamStep& s)
      : sign(T(s.sign)), decay(T(s.decay)), weight_decay(T(s.weight_decay)), beta1(T(s.beta1)),
        one_minus_beta1(T(1.0 - s.beta1)), beta2(T(s.beta2)), one_minus_beta2(T(1.0 - s.beta2)),
        neg_step_size(T(-s.step_size)), bias_correction2_sqrt(T(s.bias_correction2_sqrt)), eps(T(s.eps)) {}
};

// Each line is one of PyTorch's ops on the element: p.mul_(decay) (AdamW), grad.add(p, alpha=wd)
// (Adam), exp_avg.mul_(beta1).add_(grad, alpha=1-beta1), exp_avg_sq.mul_(beta2).addcmul_(grad,
// grad, value=1-beta2), torch.maximum (AMSGrad), (sqrt(v) / bc2).add_(eps), p.addcdiv_(m, denom, value=-step_size).
template <typename T, bool kAmsgrad, bool kL2>
KINDLING_INLINE void adam_run(const AdamConsts<T>& c, T* __restrict p, const T* __restrict g, T* __restrict m,
                              T* __restrict v, T* __restrict vmax, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const T param = p[i] * c.decay;
    T grad = g[i] * c.sign;
    if (kL2) grad = std::fma(param, c.weight_decay, grad);
    const T mi = std::fma(grad, c.one_minus_beta1, m[i] * c.beta1);
    const T vi = std::fma(c.one_minus_beta2 * grad, grad, v[i] * c.beta2);
    m[i] = mi;
    v[i] = vi;
    T second = vi;
    if (kAmsgrad) {
      const T prev = vmax[i];
      second = (prev != prev || vi != vi) ? prev + vi : (prev > vi ? prev : vi);
      vmax[i] = second;
    }
    const T denom = std::sqrt(second) / c.bias_correction2_sqrt + c.eps;
    p[i] = param + c.neg_step_size * mi / denom;
  }
}

template <typename T>
KINDLING_INLINE void adam_any(const AdamConsts<T>& c, T* p, const T* g, T* m, T* v, T* vmax, int64_t n) {
  const bool l2 = c.weight_decay != T(0);
  if (vmax != nullptr) {
    if (l2) adam_run<T, true, true>(c, p, g, m, v, vmax, n);
    else adam_run<T, true, false>(c, p, g, m, v, vmax, n);
  } else if (l2) {
    adam_run<T, false, true>(c, p, g, m, v, vmax, n);
  } else {
    adam_run<T, false, false>(c, p, g, m, v, vmax, n);
  }
}

template <typename T>
struct SgdConsts {
  T sign, weight_decay, momentum, one_minus_dampening, neg_lr;
  explicit SgdConsts(const SgdStep& s)
      : sign(T(s.sign)), weight_decay(T(s.weight_decay)), momentum(T(s.momentum)),
        one_minus_dampening(T(1.0 - s.dampening)), neg_lr(T(-s.lr)) {}
};

// PyTorch's d_p.add(p, alpha=wd), buf.mul_(momentum).add_(d_p, alpha=1-dampening) (or clone(d_p) on
// the first step), d_p.add(buf, alpha=momentum) (Nesterov) and p.add_(d_p, alpha=-lr), per element.
template <typename T, bool kFirst, bool kNesterov>
KINDLING_INLINE void sgd_run(const SgdConsts<T>& c, bool l2, T* __restrict p, const T* __restrict g, T* __restrict buf,
                             int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    T d = g[i] * c.sign;
    if (l2) d = std::fma(p[i], c.weight_decay, d);
    const T b = kFirst ? d : std::fma(d, c.one_minus_dampening, buf[i] * c.momentum);
    buf[i] = b;
    const T step = kNesterov ? std::fma(b, c.momentum, d) : b;
    p[i] = std::fma(step, c.neg_lr, p[i]);
  }
}

template <typename T>
KINDLING_INLINE void sgd_any(const SgdConsts<T>& c, bool first, bool nesterov, T* p, const T* g, T* buf, int64_t n) {
  const bool l2 = c.weight_decay != T(0);
  if (first) {
    if (nesterov) sgd_run<T, true, true>(c, l2, p, g, buf, n);
    else sgd_run<T, true, false>(c, l2, p, g, buf, n);
  } else if (nesterov) {
    sgd_run<T, false, true>(c, l2, p, g, buf, n);
  } else {
    sgd_run<T, false, false>(c, l2, p, g, buf, n);
  }
}

// float and double entry points share a name (see elementwise.cc: target_clones cannot clone templates).
KINDLING_CLONES void clamp_dispatch(const float* x, int64_t sx, float* o, int64_t n, float lo, float hi) {
  clamp_run(x, sx, o, n, lo, hi);
}
KINDLING_CLONES void clamp_dispatch(const double* x, int64_t sx, double* o, int64_t n, double lo, double hi) {
  clamp_run(x, sx, o, n, lo, hi);
}
KINDLING_CLONES_FMA void addc_dispatch(bool divide, float value, const float* x, int64_t sx, const float* a, int64_t sa,
                                   const float* b, int64_t sb, float* o, int64_t n) {
  addc_run(divide, value, x, sx, a, sa, b, sb, o, n);
}
KINDLING_CLONES_FMA void addc_dispatch(bool divide, double value, const double* x, int64_t sx, const double* a,
                                   int64_t sa, const double* b, int64_t sb, double* o, int64_t n) {
  addc_run(divide, value, x, sx, a, sa, b, sb, o, n);
}
KINDLING_CLONES void fill_dispatch(float* o, int64_t n, float value) { std::fill(o, o + n, value); }
KINDLING_CLONES void fill_dispatch(double* o, int64_t n, double value) { std::fill(o, o + n, value); }
KINDLING_CLONES_FMA void adam_dispatch(const AdamConsts<float>& c, float* p, const float* g, float* m, float* v,
                                   float* vmax, int64_t n) {
  adam_any(c, p, g, m, v, vmax, n);
}
KINDLING_CLONES_FMA void adam_dispatch(const AdamConsts<double>& c, double* p, const double* g, double* m, double* v,
                                   double* vmax, int64_t n) {
  adam_any(c, p, g, m, v, vmax, n);
}
KINDLING_CLONES_FMA void sgd_dispatch(const SgdConsts<float>& c, bool first, bool nesterov, float* p, const float* g,
                                  float* buf, int64_t n) {
  sgd_any(c, first, nesterov, p, g, buf, n);
}
KINDLING_CLONES_FMA void sgd_dispatch(const SgdConsts<double>& c, bool first, bool nesterov, double* p, const double* g,
                                  double* buf, int64_t n) {
  sgd_any(c, first, nesterov, p, g, buf, n);
}

}  // namespace

template <typename T>
void clamp(const T* x, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, T lo, T hi, T* out) {
  if (is_dense(shape, strides, ndim)) {
    parallel_chunks(numel_of(shape, ndim),
                    [&](int64_t b, int64_t c) { clamp_dispatch(x + offset + b, 1, out + b, c, lo, hi); });
    return;
  }
  parallel_runs(shape, ndim, {strides}, {offset}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    clamp_dispatch(x + p[0], r[0], out + pos, count, lo, hi);
  });
}

template <typename T>
void addcmul(bool divide, T value, const T* x, const int64_t* sx, int64_t ox, const T* a, const int64_t* sa,
             int64_t oa, const T* b, const int64_t* sb, int64_t ob, const int64_t* shape, int ndim, T* out) {
  if (is_dense(shape, sx, ndim) && is_dense(shape, sa, ndim) && is_dense(shape, sb, ndim)) {
    parallel_chunks(numel_of(shape, ndim), [&](int64_t s, int64_t c) {
      addc_dispatch(divide, value, x + ox + s, 1, a + oa + s, 1, b + ob + s, 1, out + s, c);
    });
    return;
  }
  parallel_runs(shape, ndim, {sx, sa, sb}, {ox, oa, ob},
                [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
                  addc_dispatch(divide, value, x + p[0], r[0], a + p[1], r[1], b + p[2], r[2], out + pos, count);
                });
}

template <typename T>
void fill(T* dst, int64_t n, T value) {
  parallel_chunks(n, [&](int64_t b, int64_t c) { fill_dispatch(dst + b, c, value); });
}

template <typename T>
void adam_step(const AdamStep& s, T* param, const T* grad, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, int64_t n) {
  const AdamConsts<T> c(s);
  parallel_chunks(n, [&](int64_t b, int64_t k) {
    adam_dispatch(c, param + b, grad + b, exp_avg + b, exp_avg_sq + b,
                  max_exp_avg_sq != nullptr ? max_exp_avg_sq + b : nullptr, k);
  });
}

template <typename T>
void sgd_step(const SgdStep& s, T* param, const T* grad, T* momentum_buffer, int64_t n) {
  const SgdConsts<T> c(s);
  parallel_chunks(n, [&](int64_t b, int64_t k) {
    sgd_dispatch(c, s.first, s.nesterov, param + b, grad + b, momentum_buffer + b, k);
  });
}

template void clamp<float>(const float*, const int64_t*, const int64_t*, int, int64_t, float, float, float*);
template void clamp<double>(const double*, const int64_t*, const int64_t*, int, int64_t, double, double, double*);
template void addcmul<float>(bool, float, const float*, const int64_t*, int64_t, const float*, const int64_t*, int64_t,
                             const float*, const int64_t*, int64_t, const int64_t*, int, float*);
template void addcmul<double>(bool, double, const double*, const int64_t*, int64_t, const double*, const int64_t*,
                              int64_t, const double*, const int64_t*, int64_t, const int64_t*, int, double*);
template void fill<float>(float*, int64_t, float);
template void fill<double>(double*, int64_t, double);
template void adam_step<float>(const AdamStep&, float*, const float*, float*, float*, float*, int64_t);
template void adam_step<double>(const AdamStep&, double*, const double*, double*, double*, double*, int64_t);
template void sgd_step<float>(const SgdStep&, float*, const float*, float*, int64_t);
template void sgd_step<double>(const SgdStep&, double*, const double*, double*, int64_t);

}  // namespace kindling
