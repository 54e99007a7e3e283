// native/src/kernels/parallel.h — how pointwise kernels walk a run and split contiguous work across the thread pool.
#pragma once
#include <algorithm>
#include <cstdint>

#include "../runtime/thread_pool.h"
#include "clones.h"
#include "strided.h"

namespace kindling {

// One run: n elements at stride sx, written contiguously.
template <typename T, typename F>
KINDLING_INLINE void map_run(const T* x, int64_t sx, T* o, int64_t n, F f) {
  if (sx == 1 && x == o) {
    // In place: one pointer, so the vectorizer needs no run-time alias check (which exact aliasing fails).
    for (int64_t i = 0; i < n; i++) o[i] = f(o[i]);
  } else if (sx == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = f(x[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = f(x[i * sx]);
  }
}

// Contiguous work of at least two of these blocks is split across the thread pool (PyTorch's grain
// size): a LeNet activation (300K floats) is then shared by both cores of the benchmark machine.
constexpr int64_t kParallelGrain = 1 << 15;

inline int64_t numel_of(const int64_t* shape, int ndim) {
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) n *= shape[d];
  return n;
}

inline bool is_dense(const int64_t* shape, const int64_t* strides, int ndim) {
  int64_t expected = 1;
  for (int d = ndim - 1; d >= 0; d--) {
    if (shape[d] == 1) continue;
    if (strides[d] != expected) return false;
    expected *= shape[d];
  }
  return true;
}

// Runs fn(block) for blocks [0, n), each thread of the pool taking one contiguous run of them
// (parallel_ranges); callers have already decided the work is worth the threads.
template <typename F>
void parallel_blocks(int64_t n, F fn) {
  parallel_ranges(n, n, 0, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) fn(b);
  });
}

// Splits [0, n) into chunks for the pool and calls fn(begin, count) for each.
template <typename F>
void parallel_chunks(int64_t n, F fn) {
  if (n < 2 * kParallelGrain) {
    fn(0, n);
    return;
  }
  parallel_blocks((n + kParallelGrain - 1) / kParallelGrain, [&](int64_t c) {
    const int64_t begin = c * kParallelGrain;
    fn(begin, (begin + kParallelGrain < n ? kParallelGrain : n - begin));
  });
}

// for_each_run over N views of one shape, also giving each run its position in a contiguous output
// (body(pos, count, inner, out_pos)); with enough elements the rows of the outermost dim are split
// across the pool, so broadcast operands (a scalar, a bias row) run on every thread too.
template <int N, typename Body>
void parallel_runs(const int64_t* shape, int ndim, const int64_t* const (&strides)[N], const int64_t (&offsets)[N],
                   Body body) {
  const int64_t n = numel_of(shape, ndim);
  if (n == 0) return;
  const int64_t rows = ndim == 0 ? 1 : shape[0];
  const int64_t per_row = n / rows;
  parallel_ranges(rows, n, 2 * kParallelGrain, [&](int64_t r0, int64_t r1) {
    int64_t sub[kMaxDims], start[N];
    std::copy(shape, shape + ndim, sub);
    if (ndim > 0) sub[0] = r1 - r0;
    for (int v = 0; v < N; v++) start[v] = offsets[v] + (ndim > 0 ? r0 * strides[v][0] : 0);
    int64_t out_pos = r0 * per_row;
    for_each_run(sub, ndim, strides, start, [&](const int64_t* p, int64_t count, const int64_t* r) {
      body(p, count, r, out_pos);
      out_pos += count;
    });
  });
}

}  // namespace kindling
