// native/src/kernels/elementwise.cc — pointwise kernels: plain loops over runs of the last dim,
// compiled for AVX-512, AVX2 and baseline x86-64 (GCC target_clones picks one at load time).
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "../runtime/thread_pool.h"
#include "clones.h"
#include "fast_exp.h"
#include "sigmoid_tanh.h"
#include "special.h"
#include "parallel.h"
#include "strided.h"

namespace kindling {
namespace {

template <typename T>
KINDLING_INLINE T relu(T v) {
  return (v > T(0) || v != v) ? v : T(0);
}
template <typename T>
KINDLING_INLINE T sign(T v) {
  return v > T(0) ? T(1) : v < T(0) ? T(-1) : v;
}
template <typename T>
KINDLING_INLINE T maximum(T a, T b) {
  return (a != a || b != b) ? a + b : (a > b ? a : b);
}
template <typename T>
KINDLING_INLINE T minimum(T a, T b) {
  return (a != a || b != b) ? a + b : (a < b ? a : b);
}


template <typename T>
KINDLING_INLINE void unary_run(UnaryOp op, const T* x, int64_t sx, T* o, int64_t n) {
  switch (op) {
    case UnaryOp::kNeg: return map_run(x, sx, o, n, [](T v) { return -v; });
    case UnaryOp::kExp: return map_run(x, sx, o, n, [](T v) { return std::exp(v); });
    case UnaryOp::kLog: return map_run(x, sx, o, n, [](T v) { return std::log(v); });
    case UnaryOp::kSqrt: return map_run(x, sx, o, n, [](T v) { return std::sqrt(v); });
    case UnaryOp::kRsqrt: return map_run(x, sx, o, n, [](T v) { return T(1) / std::sqrt(v); });
    case UnaryOp::kAbs: return map_run(x, sx, o, n, [](T v) { return std::fabs(v); });
    case UnaryOp::kSigmoid: return map_run(x, sx, o, n, [](T v) { return sigmoid(v); });
    case UnaryOp::kTanh: return map_run(x, sx, o, n, [](T v) { return tanh_of(v); });
    case UnaryOp::kRelu: return map_run(x, sx, o, n, [](T v) { return relu(v); });
    case UnaryOp::kSin: return map_run(x, sx, o, n, [](T v) { return std::sin(v); });
    case UnaryOp::kCos: return map_run(x, sx, o, n, [](T v) { return std::cos(v); });
    case UnaryOp::kLog1p: return map_run(x, sx, o, n, [](T v) { return std::log1p(v); });
    case UnaryOp::kExpm1: return map_run(x, sx, o, n, [](T v) { return std::expm1(v); });
    case UnaryOp::kReciprocal: return map_run(x, sx, o, n, [](T v) { return T(1) / v; });
    case UnaryOp::kSign: return map_run(x, sx, o, n, [](T v) { return sign(v); });
    case UnaryOp::kErfinv: return map_run(x, sx, o, n, [](T v) { return erfinv(v); });
    case UnaryOp::kLgamma: return map_run(x, sx, o, n, [](T v) { return lgamma_of(v); });
    case UnaryOp::kDigamma: return map_run(x, sx, o, n, [](T v) { return digamma(v); });
    case UnaryOp::kTrigamma: return map_run(x, sx, o, n, [](T v) { return trigamma(v); });
    case UnaryOp::kErf: return map_run(x, sx, o, n, [](T v) { return std::erf(v); });
  }
}

// One run of a binary op; the stride-0 cases (a scalar operand) get their own loops so that
// the compiler vectorizes them too. O is the output type (T, or uint8_t for comparisons).
template <typename T, typename O, typename F>
KINDLING_INLINE void zip_run(const T* a, int64_t sa, const T* b, int64_t sb, O* o, int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T bv = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const T av = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = f(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = f(a[i * sa], b[i * sb]);
  }
}

template <typename T>
KINDLING_INLINE void binary_run(BinaryOp op, const T* a, int64_t sa, const T* b, int64_t sb, T* o, int64_t n) {
  switch (op) {
    case BinaryOp::kAdd: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return x + y; });
    case BinaryOp::kSub: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return x - y; });
    case BinaryOp::kMul: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return x * y; });
    case BinaryOp::kDiv: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return x / y; });
    case BinaryOp::kMaximum: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return maximum(x, y); });
    case BinaryOp::kMinimum: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return minimum(x, y); });
    case BinaryOp::kPow: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return std::pow(x, y); });
    case BinaryOp::kThresholdBackward: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return y <= T(0) ? T(0) : x; });
    case BinaryOp::kFmod: return zip_run(a, sa, b, sb, o, n, [](T x, T y) { return std::fmod(x, y); });
  }
}

template <typename T>
KINDLING_INLINE void compare_run(CompareOp op, const T* a, int64_t sa, const T* b, int64_t sb, uint8_t* o, int64_t n) {
  switch (op) {
    case CompareOp::kEq: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x == y; });
    case CompareOp::kNe: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x != y; });
    case CompareOp::kLt: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x < y; });
    case CompareOp::kLe: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x <= y; });
    case CompareOp::kGt: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x > y; });
    case CompareOp::kGe: return zip_run(a, sa, b, sb, o, n, [](T x, T y) -> uint8_t { return x >= y; });
  }
}

// One run of where(cond, a, b): strides of each operand along the run.
template <typename T>
KINDLING_INLINE void where_run(const uint8_t* c, int64_t sc, const T* a, int64_t sa, const T* b, int64_t sb, T* o,
                               int64_t n) {
  if (sc == 1 && sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i];
  } else if (sc == 1 && sa == 0 && sb == 1) {
    const T av = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? av : b[i];
  } else if (sc == 1 && sa == 1 && sb == 0) {
    const T bv = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : bv;
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = c[i * sc] ? a[i * sa] : b[i * sb];
  }
}

// Each kernel's float and double entry points share one name, so templates over T reach the right
// one by overload resolution; they stay separate non-template functions because target_clones
// cannot clone a template.
KINDLING_CLONES void compare_dispatch(int op, const float* a, int64_t sa, const float* b, int64_t sb, uint8_t* o,
                                      int64_t n) {
  compare_run(static_cast<CompareOp>(op), a, sa, b, sb, o, n);
}
KINDLING_CLONES void compare_dispatch(int op, const double* a, int64_t sa, const double* b, int64_t sb, uint8_t* o,
                                      int64_t n) {
  compare_run(static_cast<CompareOp>(op), a, sa, b, sb, o, n);
}
KINDLING_CLONES void where_dispatch(const uint8_t* c, int64_t sc, const float* a, int64_t sa, const float* b,
                                    int64_t sb, float* o, int64_t n) {
  where_run(c, sc, a, sa, b, sb, o, n);
}
KINDLING_CLONES void where_dispatch(const uint8_t* c, int64_t sc, const double* a, int64_t sa, const double* b,
                                    int64_t sb, double* o, int64_t n) {
  where_run(c, sc, a, sa, b, sb, o, n);
}

template <typename T>
KINDLING_INLINE void axpy_run(int64_t n, T alpha, const T* x, T* y) {
  for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
}
KINDLING_CLONES void axpy_dispatch(int64_t n, float alpha, const float* x, float* y) { axpy_run(n, alpha, x, y); }
KINDLING_CLONES void axpy_dispatch(int64_t n, double alpha, const double* x, double* y) { axpy_run(n, alpha, x, y); }

KINDLING_CLONES void unary_dispatch(int op, const float* x, int64_t sx, float* o, int64_t n) {
  unary_run(static_cast<UnaryOp>(op), x, sx, o, n);
}
KINDLING_CLONES void unary_dispatch(int op, const double* x, int64_t sx, double* o, int64_t n) {
  unary_run(static_cast<UnaryOp>(op), x, sx, o, n);
}
KINDLING_CLONES void binary_dispatch(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* o,
                                     int64_t n) {
  binary_run(static_cast<BinaryOp>(op), a, sa, b, sb, o, n);
}
KINDLING_CLONES void binary_dispatch(int op, const double* a, int64_t sa, const double* b, int64_t sb, double* o,
                                     int64_t n) {
  binary_run(static_cast<BinaryOp>(op), a, sa, b, sb, o, n);
}

}  // namespace

template <typename T>
void unary(UnaryOp op, const T* x, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, T* out) {
  const int code = static_cast<int>(op);
  const int64_t n = numel_of(shape, ndim);
  if (is_dense(shape, strides, ndim)) {
    parallel_chunks(n, [&](int64_t b, int64_t c) { unary_dispatch(code, x + offset + b, 1, out + b, c); });
    return;
  }
  parallel_runs(shape, ndim, {strides}, {offset}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    unary_dispatch(code, x + p[0], r[0], out + pos, count);
  });
}

template <typename T>
void binary(BinaryOp op, const T* a, const int64_t* sa, int64_t oa, const T* b, const int64_t* sb, int64_t ob,
            const int64_t* shape, int ndim, T* out) {
  const int code = static_cast<int>(op);
  const int64_t n = numel_of(shape, ndim);
  if (is_dense(shape, sa, ndim) && is_dense(shape, sb, ndim)) {
    parallel_chunks(n, [&](int64_t s, int64_t c) { binary_dispatch(code, a + oa + s, 1, b + ob + s, 1, out + s, c); });
    return;
  }
  parallel_runs(shape, ndim, {sa, sb}, {oa, ob}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    binary_dispatch(code, a + p[0], r[0], b + p[1], r[1], out + pos, count);
  });
}

template <typename T>
void axpy(int64_t n, T alpha, const T* x, T* y) {
  parallel_chunks(n, [&](int64_t b, int64_t c) { axpy_dispatch(c, alpha, x + b, y + b); });
}

template <typename T>
void compare(CompareOp op, const T* a, const int64_t* sa, int64_t oa, const T* b, const int64_t* sb, int64_t ob,
             const int64_t* shape, int ndim, uint8_t* out) {
  const int code = static_cast<int>(op);
  parallel_runs(shape, ndim, {sa, sb}, {oa, ob}, [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
    compare_dispatch(code, a + p[0], r[0], b + p[1], r[1], out + pos, count);
  });
}

template <typename T>
void where(const uint8_t* c, const int64_t* sc, int64_t oc, const T* a, const int64_t* sa, int64_t oa, const T* b,
           const int64_t* sb, int64_t ob, const int64_t* shape, int ndim, T* out) {
  parallel_runs(shape, ndim, {sc, sa, sb}, {oc, oa, ob},
                [&](const int64_t* p, int64_t count, const int64_t* r, int64_t pos) {
                  where_dispatch(c + p[0], r[0], a + p[1], r[1], b + p[2], r[2], out + pos, count);
                });
}

template <typename T>
void arg_reduce(bool is_max, const T* x, int64_t A, int64_t R, int64_t B, T* values, double* indices) {
  // x is dense [A, R, B]; for each (a, b) the first extreme along r, NaN winning as in PyTorch.
  for (int64_t a = 0; a < A; a++) {
    for (int64_t b = 0; b < B; b++) {
      const T* p = x + a * R * B + b;
      T best = p[0];
      int64_t at = 0;
      for (int64_t r = 1; r < R && best == best; r++) {
        const T v = p[r * B];
        if (v != v || (is_max ? v > best : v < best)) {
          best = v;
          at = r;
        }
      }
      values[a * B + b] = best;
      indices[a * B + b] = static_cast<double>(at);
    }
  }
}

template <typename T>
void copy_strided(const T* src, const int64_t* ss, int64_t so, T* dst, const int64_t* ds, int64_t dO,
                  const int64_t* shape, int ndim) {
  if (is_dense(shape, ss, ndim) && is_dense(shape, ds, ndim)) {
    // memmove: a copy onto itself (an in-place op's view of its own target) is allowed.
    parallel_chunks(numel_of(shape, ndim),
                    [&](int64_t b, int64_t c) { std::memmove(dst + dO + b, src + so + b, size_t(c) * sizeof(T)); });
    return;
  }
  for_each_run(shape, ndim, {ss, ds}, {so, dO}, [&](const int64_t* p, int64_t count, const int64_t* r) {
    const T* s = src + p[0];
    T* d = dst + p[1];
    if (r[0] == 1 && r[1] == 1) {
      for (int64_t i = 0; i < count; i++) d[i] = s[i];
    } else {
      for (int64_t i = 0; i < count; i++) d[i * r[1]] = s[i * r[0]];
    }
  });
}

namespace {

template <typename T>
KINDLING_INLINE void reduce_rows(int op, const T* x, int64_t R, int64_t B, T* out) {
  // out[b] = fold over r of x[r * B + b]: vectorizes along b.
  for (int64_t b = 0; b < B; b++) out[b] = x[b];
  for (int64_t r = 1; r < R; r++) {
    const T* row = x + r * B;
    if (op == 0) {
      for (int64_t b = 0; b < B; b++) out[b] += row[b];
    } else if (op == 1) {
      for (int64_t b = 0; b < B; b++) out[b] = maximum(out[b], row[b]);
    } else {
      for (int64_t b = 0; b < B; b++) out[b] = minimum(out[b], row[b]);
    }
  }
}

// Sum of a contiguous run: its two halves are read side by side (two memory streams keep more
// loads in flight than one: +10-18% on 20-40 MB here), each into 4 independent accumulators of
// 64-byte vectors (GCC vector extensions, so each clone uses its ISA's widest registers) that hide
// the add latency; every 2 x 2048 elements are added into a double total, so float32 sums stay
// accurate at memory speed. The order depends only on n, never on threads.
typedef float V16f __attribute__((vector_size(64)));
typedef double V8d __attribute__((vector_size(64)));

template <typename T, typename V>
KINDLING_INLINE double sum_run(const T* x, int64_t n) {
  constexpr int kLanes = sizeof(V) / sizeof(T);
  constexpr int64_t kStep = 4 * kLanes;  // per stream
  constexpr int64_t kBlock = 2048;       // per stream, between double additions
  const int64_t half = n / 2 / kStep * kStep;
  const T* y = x + half;
  double total = 0;
  for (int64_t i = 0; i < half;) {
    V acc[8] = {};
    const int64_t end = half - i > kBlock ? i + kBlock : half;
    for (; i < end; i += kStep) {
      // 4 KB ahead of each stream: a little more than the hardware prefetchers fetch by themselves.
      __builtin_prefetch(x + i + 1024);
      __builtin_prefetch(y + i + 1024);
      for (int a = 0; a < 4; a++) {
        V u, v;
        std::memcpy(&u, x + i + a * kLanes, sizeof(V));
        std::memcpy(&v, y + i + a * kLanes, sizeof(V));
        acc[a] += u;
        acc[4 + a] += v;
      }
    }
    V s = acc[0] + acc[1] + acc[2] + acc[3] + acc[4] + acc[5] + acc[6] + acc[7];
    T block = 0;
    for (int l = 0; l < kLanes; l++) block += s[l];
    total += static_cast<double>(block);
  }
  // What is left after the two halves (and short rows, such as a bias gradient's 100 positions):
  // one vector at a time, then scalars.
  int64_t i = 2 * half;
  if (i + kLanes <= n) {
    V acc = {};
    for (; i + kLanes <= n; i += kLanes) {
      V v;
      std::memcpy(&v, x + i, sizeof(V));
      acc += v;
    }
    T part = 0;
    for (int l = 0; l < kLanes; l++) part += acc[l];
    total += static_cast<double>(part);
  }
  for (; i < n; i++) total += static_cast<double>(x[i]);
  return total;
}

KINDLING_CLONES double sum_dispatch(const float* x, int64_t n) { return sum_run<float, V16f>(x, n); }
KINDLING_CLONES double sum_dispatch(const double* x, int64_t n) { return sum_run<double, V8d>(x, n); }

KINDLING_CLONES void rows_dispatch(int op, const float* x, int64_t R, int64_t B, float* out) {
  reduce_rows(op, x, R, B, out);
}
KINDLING_CLONES void rows_dispatch(int op, const double* x, int64_t R, int64_t B, double* out) {
  reduce_rows(op, x, R, B, out);
}

}  // namespace

template <typename T>
void reduce_middle(int op, const T* x, int64_t A, int64_t R, int64_t B, T* out) {
  if (R == 0) {
    const T init = op == 0 ? T(0) : op == 1 ? -INFINITY : INFINITY;
    for (int64_t i = 0; i < A * B; i++) out[i] = init;
    return;
  }
  if (B == 1 && op == 0) {
    if (A == 1) {
      // One long sum: split it across the pool and add the partial sums in order.
      // The blocks do not depend on the thread count, so neither does the result.
      const int64_t chunks = R >= 2 * kParallelGrain ? (R + kParallelGrain - 1) / kParallelGrain : 1;
      std::vector<double> partial(size_t(chunks), 0.0);
      parallel_blocks(chunks, [&](int64_t c) {
        const int64_t begin = c * kParallelGrain;
        partial[size_t(c)] = sum_dispatch(x + begin, chunks == 1 ? R : (begin + kParallelGrain < R ? kParallelGrain : R - begin));
      });
      double s = 0;
      for (const double v : partial) s += v;
      out[0] = static_cast<T>(s);
      return;
    }
    for (int64_t a = 0; a < A; a++) out[a] = static_cast<T>(sum_dispatch(x + a * R, R));
    return;
  }
  if (B == 1) {
    for (int64_t a = 0; a < A; a++) {
      const T* row = x + a * R;
      T acc = row[0];
      for (int64_t r = 1; r < R; r++) acc = op == 1 ? maximum(acc, row[r]) : minimum(acc, row[r]);
      out[a] = acc;
    }
    return;
  }
  for (int64_t a = 0; a < A; a++) rows_dispatch(op, x + a * R * B, R, B, out + a * B);
}

template void unary<float>(UnaryOp, const float*, const int64_t*, const int64_t*, int, int64_t, float*);
template void unary<double>(UnaryOp, const double*, const int64_t*, const int64_t*, int, int64_t, double*);
template void binary<float>(BinaryOp, const float*, const int64_t*, int64_t, const float*, const int64_t*, int64_t,
                            const int64_t*, int, float*);
template void binary<double>(BinaryOp, const double*, const int64_t*, int64_t, const double*, const int64_t*,
                             int64_t, const int64_t*, int, double*);
template void copy_strided<float>(const float*, const int64_t*, int64_t, float*, const int64_t*, int64_t,
                                  const int64_t*, int);
template void copy_strided<double>(const double*, const int64_t*, int64_t, double*, const int64_t*, int64_t,
                                   const int64_t*, int);
template void compare<float>(CompareOp, const float*, const int64_t*, int64_t, const float*, const int64_t*, int64_t,
                             const int64_t*, int, uint8_t*);
template void compare<double>(CompareOp, const double*, const int64_t*, int64_t, const double*, const int64_t*,
                              int64_t, const int64_t*, int, uint8_t*);
template void where<float>(const uint8_t*, const int64_t*, int64_t, const float*, const int64_t*, int64_t,
                           const float*, const int64_t*, int64_t, const int64_t*, int, float*);
template void where<double>(const uint8_t*, const int64_t*, int64_t, const double*, const int64_t*, int64_t,
                            const double*, const int64_t*, int64_t, const int64_t*, int, double*);
template void axpy<float>(int64_t, float, const float*, float*);
template void axpy<double>(int64_t, double, const double*, double*);
template void arg_reduce<float>(bool, const float*, int64_t, int64_t, int64_t, float*, double*);
template void arg_reduce<double>(bool, const double*, int64_t, int64_t, int64_t, double*, double*);
template <typename T>
void sum_outer_inner(const T* x, int64_t A, int64_t K, int64_t R, T* out) {
  // Each thread sums a contiguous run of the A slabs into its own row of partial sums; the rows are
  // added in order, so the result does not depend on the thread count's timing.
  const int64_t tasks = A * K * R >= 2 * kParallelGrain ? std::min<int64_t>(A, get_pool_threads()) : 1;
  std::vector<double> partial(size_t(tasks * K), 0.0);
  parallel_for(tasks, [&](int64_t t) {
    double* acc = partial.data() + t * K;
    for (int64_t a = A * t / tasks; a < A * (t + 1) / tasks; ++a)
      for (int64_t k = 0; k < K; ++k) acc[k] += sum_dispatch(x + (a * K + k) * R, R);
  });
  for (int64_t k = 0; k < K; ++k) {
    double s = 0;
    for (int64_t t = 0; t < tasks; ++t) s += partial[size_t(t * K + k)];
    out[k] = static_cast<T>(s);
  }
}

template void sum_outer_inner<float>(const float*, int64_t, int64_t, int64_t, float*);
template void sum_outer_inner<double>(const double*, int64_t, int64_t, int64_t, double*);
template void reduce_middle<float>(int, const float*, int64_t, int64_t, int64_t, float*);
template void reduce_middle<double>(int, const double*, int64_t, int64_t, int64_t, double*);

}  // namespace kindling
