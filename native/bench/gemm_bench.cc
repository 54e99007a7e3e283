// GEMM throughput benchmark: GFLOP/s (median of several timed runs after warmup) for 1 and 2 threads.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "../src/gemm/gemm.h"

using namespace kindling;

namespace {

struct Shape {
  int64_t m, n, k;
  bool ta, tb;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double bench_one(const Shape& s, int threads, int reps) {
  set_num_threads(threads);
  const int64_t lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
  std::vector<float> A(size_t(s.m * s.k)), B(size_t(s.k * s.n)), C(size_t(s.m * s.n));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-1, 1);
  for (auto& x : A) x = d(rng);
  for (auto& x : B) x = d(rng);
  const double flops = 2.0 * s.m * s.n * s.k;
  // Warm up (thread pool start, buffer growth, page faults) before timing.
  for (int i = 0; i < 3; ++i)
    sgemm(s.ta, s.tb, s.m, s.n, s.k, 1.0f, A.data(), lda, B.data(), ldb, 0.0f, C.data(), s.n);
  // Each sample lasts >= ~20 ms so timer noise is negligible.
  auto t0 = std::chrono::steady_clock::now();
  sgemm(s.ta, s.tb, s.m, s.n, s.k, 1.0f, A.data(), lda, B.data(), ldb, 0.0f, C.data(), s.n);
  const double one = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int inner = std::max(1, int(0.02 / std::max(one, 1e-7)));
  std::vector<double> gf;
  for (int r = 0; r < reps; ++r) {
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < inner; ++i)
      sgemm(s.ta, s.tb, s.m, s.n, s.k, 1.0f, A.data(), lda, B.data(), ldb, 0.0f, C.data(), s.n);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    gf.push_back(flops * inner / sec / 1e9);
  }
  return median(gf);
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 9;
  if (argc > 1) reps = std::max(1, std::atoi(argv[1]));
  std::vector<Shape> shapes = {{256, 256, 256, false, false},
                               {512, 512, 512, false, false},
                               {1024, 1024, 1024, false, false},
                               {2048, 2048, 2048, false, false},
                               {2500, 1500, 1000, false, true}};
  std::printf("isa=%s, median of %d runs (GFLOP/s)\n", gemm_isa(), reps);
  std::printf("%-24s %10s %10s\n", "shape (m x n x k)", "1 thread", "2 threads");
  for (const auto& s : shapes) {
    char name[64];
    std::snprintf(name, sizeof name, "%lldx%lldx%lld%s", (long long)s.m, (long long)s.n, (long long)s.k,
                  s.tb ? " (B^T)" : "");
    const double g1 = bench_one(s, 1, reps);
    const double g2 = bench_one(s, 2, reps);
    std::printf("%-24s %10.1f %10.1f\n", name, g1, g2);
    std::fflush(stdout);
  }
  // sgemv: the per-sample inference loop shape (y = W x with W 1500 x 1000), single thread.
  {
    const int64_t m = 1500, k = 1000;
    std::vector<float> A(size_t(m * k), 0.5f), x(size_t(k), 1.0f), y(static_cast<size_t>(m));
    for (int tr = 0; tr < 2; ++tr) {
      // transposed: A is stored k x m (lda = m); plain: m x k (lda = k).
      const int64_t lda = tr ? m : k;
      for (int i = 0; i < 10; ++i) sgemv(tr, m, k, 1.0f, A.data(), lda, x.data(), 1, 0.0f, y.data(), 1);
      std::vector<double> gbs;
      for (int r = 0; r < reps; ++r) {
        const int inner = 200;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < inner; ++i)
          sgemv(tr, m, k, 1.0f, A.data(), lda, x.data(), 1, 0.0f, y.data(), 1);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        gbs.push_back(4.0 * m * k * inner / sec / 1e9);
      }
      std::printf("sgemv%s 1500x1000 (1 thread): %.1f GB/s of A\n", tr ? "T" : "N", median(gbs));
    }
  }
  return 0;
}
