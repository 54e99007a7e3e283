// native/src/kernels/scan.cc — running sums and products along one dim: each (a, b) lane is a serial scan,
// so results do not depend on the thread count; lanes are split across the pool.
#include "scan.h"

#include <algorithm>
#include <vector>

#include "../runtime/thread_pool.h"

namespace kindling {

namespace {

// Scans whose total size is below this run on the calling thread.
constexpr int64_t kScanGrain = 1 << 15;

template <typename T, bool Sum>
void scan_rows(const T* x, int64_t a0, int64_t a1, int64_t R, int64_t B, T* out) {
  if (B == 1) {
    // One accumulator per row, in a register.
    for (int64_t a = a0; a < a1; a++) {
      double acc = Sum ? 0.0 : 1.0;
      const T* src = x + a * R;
      T* dst = out + a * R;
      for (int64_t r = 0; r < R; r++) {
        acc = Sum ? acc + static_cast<double>(src[r]) : acc * static_cast<double>(src[r]);
        dst[r] = static_cast<T>(acc);
      }
    }
    return;
  }
  // B accumulators side by side, so that the inner loop walks contiguous memory and vectorizes.
  std::vector<double> acc(static_cast<size_t>(B));
  for (int64_t a = a0; a < a1; a++) {
    std::fill(acc.begin(), acc.end(), Sum ? 0.0 : 1.0);
    const T* src = x + a * R * B;
    T* dst = out + a * R * B;
    for (int64_t r = 0; r < R; r++) {
      for (int64_t b = 0; b < B; b++) {
        const double v = static_cast<double>(src[r * B + b]);
        acc[static_cast<size_t>(b)] = Sum ? acc[static_cast<size_t>(b)] + v : acc[static_cast<size_t>(b)] * v;
        dst[r * B + b] = static_cast<T>(acc[static_cast<size_t>(b)]);
      }
    }
  }
}

}  // namespace

template <typename T>
void cumulative(int op, const T* x, int64_t A, int64_t R, int64_t B, T* out) {
  parallel_ranges(A, A * R * B, kScanGrain, [&](int64_t a0, int64_t a1) {
    if (op == 0) scan_rows<T, true>(x, a0, a1, R, B, out);
    else scan_rows<T, false>(x, a0, a1, R, B, out);
  });
}

template void cumulative<float>(int, const float*, int64_t, int64_t, int64_t, float*);
template void cumulative<double>(int, const double*, int64_t, int64_t, int64_t, double*);

}  // namespace kindling
