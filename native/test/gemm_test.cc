// Correctness tests for sgemm/dgemm/sgemv against a naive double-accumulating reference, for every ISA.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

#include "../src/gemm/gemm.h"
#include "../src/runtime/cpu_features.h"

using namespace kindling;

namespace {

int g_failures = 0;
int g_checks = 0;
std::mt19937 g_rng(12345);

template <typename T>
std::vector<T> random_vec(size_t n) {
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(d(g_rng));
  return v;
}

// Compares C against alpha*op(A)op(B) + beta*C0 computed in double; tolerance scales with sum |a*b|.
template <typename T>
bool check(const char* what, int64_t m, int64_t n, int64_t k, T alpha, const T* A, int64_t a_rs, int64_t a_cs,
           const T* B, int64_t b_rs, int64_t b_cs, T beta, const T* C0, const T* C, int64_t c_rs, int64_t c_cs) {
  const double eps = sizeof(T) == 4 ? 2e-6 : 1e-14;
  ++g_checks;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0, sa = 0;
      for (int64_t p = 0; p < k; ++p) {
        const double prod = double(A[i * a_rs + p * a_cs]) * double(B[p * b_rs + j * b_cs]);
        s += prod;
        sa += std::fabs(prod);
      }
      double ref = double(alpha) * s, tol_base = std::fabs(double(alpha)) * sa;
      if (beta != T(0)) {
        ref += double(beta) * double(C0[i * c_rs + j * c_cs]);
        tol_base += std::fabs(double(beta) * double(C0[i * c_rs + j * c_cs]));
      }
      const double got = double(C[i * c_rs + j * c_cs]);
      const double tol = eps * (tol_base + 1.0) * (4.0 + std::sqrt(double(k)));
      if (!(std::fabs(got - ref) <= tol)) {
        std::printf("FAIL %s m=%lld n=%lld k=%lld alpha=%g beta=%g at (%lld,%lld): got %.9g want %.9g\n", what,
                    (long long)m, (long long)n, (long long)k, double(alpha), double(beta), (long long)i,
                    (long long)j, got, ref);
        ++g_failures;
        return false;
      }
    }
  return true;
}

// Row-major sgemm/dgemm through the public transposition API, with padded leading dimensions.
template <typename T>
void test_gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, T beta, int64_t pad) {
  const int64_t a_rows = ta ? k : m, a_cols = ta ? m : k;
  const int64_t b_rows = tb ? n : k, b_cols = tb ? k : n;
  const int64_t lda = a_cols + pad, ldb = b_cols + pad, ldc = n + pad;
  auto A = random_vec<T>(size_t(a_rows * lda + 1));
  auto B = random_vec<T>(size_t(b_rows * ldb + 1));
  auto C0 = random_vec<T>(size_t(m * ldc + 1));
  if (beta == T(0))
    for (auto& x : C0) x = std::numeric_limits<T>::quiet_NaN();  // beta == 0 must not read C
  auto C = C0;
  if (sizeof(T) == 4)
    sgemm(ta, tb, m, n, k, float(alpha), (const float*)A.data(), lda, (const float*)B.data(), ldb, float(beta),
          (float*)C.data(), ldc);
  else
    dgemm(ta, tb, m, n, k, double(alpha), (const double*)A.data(), lda, (const double*)B.data(), ldb,
          double(beta), (double*)C.data(), ldc);
  char what[64];
  std::snprintf(what, sizeof what, "%s%s%s pad=%lld", sizeof(T) == 4 ? "sgemm" : "dgemm", ta ? "T" : "N",
                tb ? "T" : "N", (long long)pad);
  if (!check<T>(what, m, n, k, alpha, A.data(), ta ? 1 : lda, ta ? lda : 1, B.data(), tb ? 1 : ldb,
                tb ? ldb : 1, beta, C0.data(), C.data(), ldc, 1))
    return;
  // Padding between rows of C must be untouched.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = n; j < ldc; ++j) {
      const T a = C[i * ldc + j], b = C0[i * ldc + j];
      if (!(a == b || (std::isnan(double(a)) && std::isnan(double(b))))) {
        std::printf("FAIL %s wrote padding at (%lld,%lld)\n", what, (long long)i, (long long)j);
        ++g_failures;
        return;
      }
    }
}

// Arbitrary strides: column-major C, zero (broadcast) strides, permuted views.
void test_strided(int64_t m, int64_t n, int64_t k) {
  struct Case {
    const char* name;
    int64_t a_rs, a_cs, b_rs, b_cs, c_rs, c_cs;
  };
  const int64_t big = 3 * (m + n + k) + 5;
  const Case cases[] = {
      {"colmajor-C", k, 1, n, 1, 1, m},
      {"all-colmajor", 1, m, 1, k, 1, m},
      {"broadcast-A-rows", 0, 1, n, 1, n, 1},
      {"broadcast-B", k, 1, 0, 1, n, 1},
      {"strided-2", 2 * k, 2, 2, 2 * k, 2 * n + 1, 2},
      {"odd-strides", 1, big, big, 3, n * 2, 1},
  };
  for (const auto& cs : cases) {
    const size_t a_size = size_t(std::llabs(cs.a_rs) * m + std::llabs(cs.a_cs) * k + 1);
    const size_t b_size = size_t(std::llabs(cs.b_rs) * k + std::llabs(cs.b_cs) * n + 1);
    const size_t c_size = size_t(cs.c_rs * m + cs.c_cs * n + 1);
    auto A = random_vec<float>(a_size);
    auto B = random_vec<float>(b_size);
    auto C0 = random_vec<float>(c_size);
    auto C = C0;
    sgemm_strided(m, n, k, 0.75f, A.data(), cs.a_rs, cs.a_cs, B.data(), cs.b_rs, cs.b_cs, 0.5f, C.data(), cs.c_rs,
                  cs.c_cs);
    char what[80];
    std::snprintf(what, sizeof what, "sgemm_strided %s", cs.name);
    check<float>(what, m, n, k, 0.75f, A.data(), cs.a_rs, cs.a_cs, B.data(), cs.b_rs, cs.b_cs, 0.5f, C0.data(),
                 C.data(), cs.c_rs, cs.c_cs);
    auto Ad = random_vec<double>(a_size);
    auto Bd = random_vec<double>(b_size);
    auto Cd0 = random_vec<double>(c_size);
    auto Cd = Cd0;
    dgemm_strided(m, n, k, -1.25, Ad.data(), cs.a_rs, cs.a_cs, Bd.data(), cs.b_rs, cs.b_cs, 2.0, Cd.data(),
                  cs.c_rs, cs.c_cs);
    std::snprintf(what, sizeof what, "dgemm_strided %s", cs.name);
    check<double>(what, m, n, k, -1.25, Ad.data(), cs.a_rs, cs.a_cs, Bd.data(), cs.b_rs, cs.b_cs, 2.0, Cd0.data(),
                  Cd.data(), cs.c_rs, cs.c_cs);
  }
}

void test_gemv(bool trans, int64_t m, int64_t k, int64_t incx, int64_t incy, float alpha, float beta) {
  const int64_t lda = (trans ? m : k) + 3;
  auto A = random_vec<float>(size_t((trans ? k : m) * lda));
  auto x = random_vec<float>(size_t(k * incx + 1));
  auto y0 = random_vec<float>(size_t(m * incy + 1));
  if (beta == 0.0f)
    for (auto& v : y0) v = std::numeric_limits<float>::quiet_NaN();
  auto y = y0;
  sgemv(trans, m, k, alpha, A.data(), lda, x.data(), incx, beta, y.data(), incy);
  // y viewed as an m x 1 matrix: op(A) (m x k) times x (k x 1).
  check<float>(trans ? "sgemvT" : "sgemvN", m, 1, k, alpha, A.data(), trans ? 1 : lda, trans ? lda : 1, x.data(),
               incx, 0, beta, y0.data(), y.data(), incy, 0);
}

void run_all() {
  const int64_t odd[] = {1, 7, 17, 255, 256, 257};
  // All four transpose cases on odd sizes (the 255..257 cube is covered by a subset to keep runtime sane).
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      for (int64_t m : odd)
        for (int64_t n : odd)
          for (int64_t k : {int64_t(1), int64_t(7), int64_t(17), int64_t(256)}) {
            if (m * n * k > 257 * 257 * 17 && !(m == n && n == k)) continue;
            test_gemm<float>(ta, tb, m, n, k, 1.0f, 0.0f, 0);
          }
      test_gemm<float>(ta, tb, 255, 256, 257, 1.0f, 0.0f, 0);
      test_gemm<float>(ta, tb, 257, 255, 256, -0.5f, 1.0f, 3);
      test_gemm<float>(ta, tb, 256, 257, 255, 1.5f, -0.75f, 1);
      // Every microkernel edge: m % MR and n % NR for MR in {4, 6, 14}, NR in {4, 16, 32}; small k.
      for (int64_t m : {1, 3, 5, 6, 13, 14, 15, 27, 28, 29})
        for (int64_t n : {1, 3, 15, 16, 17, 31, 32, 33, 63, 65})
          for (int64_t k : {1, 2, 3, 33}) test_gemm<float>(ta, tb, m, n, k, 0.5f, 2.0f, 2);
      // Multiple KC and MC blocks per thread, plus leading dimensions larger than the width.
      test_gemm<float>(ta, tb, 700, 300, 600, 1.0f, 0.0f, 5);
      test_gemm<float>(ta, tb, 130, 4200, 40, 1.0f, 1.0f, 0);  // more than one NC block
      test_gemm<float>(ta, tb, 61, 75, 2100, 0.5f, 0.0f, 1);   // more than one KC block
      test_gemm<float>(ta, tb, 33, 2100, 1100, 1.0f, -1.0f, 0);  // several NC, KC and N-split tasks
      // alpha / beta special cases.
      test_gemm<float>(ta, tb, 37, 41, 0, 1.0f, 0.0f, 1);
      test_gemm<float>(ta, tb, 37, 41, 0, 1.0f, 3.0f, 1);
      test_gemm<float>(ta, tb, 37, 41, 29, 0.0f, 0.5f, 1);
      test_gemm<float>(ta, tb, 37, 41, 29, 0.0f, 0.0f, 1);
      // Double precision.
      for (int64_t s : odd)
        if (s < 256) test_gemm<double>(ta, tb, s, s + 2, s + 1, 1.0, 0.0, 1);
      test_gemm<double>(ta, tb, 257, 255, 256, 0.75, -1.0, 2);
      test_gemm<double>(ta, tb, 300, 200, 600, 1.0, 1.0, 0);
      test_gemm<double>(ta, tb, 45, 2100, 1100, 1.0, 0.0, 0);
      for (int64_t m : {1, 13, 14, 15, 29})
        for (int64_t n : {1, 7, 8, 9, 15, 16, 17, 33}) test_gemm<double>(ta, tb, m, n, 5, 2.0, 0.5, 1);
    }
  for (int64_t s : {int64_t(1), int64_t(7), int64_t(17), int64_t(64), int64_t(129)}) {
    test_strided(s, s + 3, s + 1);
    test_strided(s + 5, 1, s);
    test_strided(1, s + 5, s);
  }
  for (int tr = 0; tr < 2; ++tr)
    for (int64_t m : {1, 3, 4, 5, 17, 127, 128, 129, 1500})
      for (int64_t k : {1, 15, 16, 33, 1000}) {
        test_gemv(tr, m, k, 1, 1, 1.0f, 0.0f);
        test_gemv(tr, m, k, 2, 3, -0.5f, 1.5f);
      }
}

}  // namespace

int main() {
  const Isa isas[] = {Isa::kAvx512, Isa::kAvx2, Isa::kScalar};
  for (Isa isa : isas) {
    if (!set_active_isa(isa)) {
      std::printf("skip %s (not supported by this CPU)\n", isa_name(isa));
      continue;
    }
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      const int before = g_failures, checks_before = g_checks;
      run_all();
      std::printf("%-6s threads=%d: %d checks, %d failures\n", gemm_isa(), threads, g_checks - checks_before,
                  g_failures - before);
    }
  }
  std::printf("%s (%d failures)\n", g_failures == 0 ? "ALL PASSED" : "FAILED", g_failures);
  return g_failures == 0 ? 0 : 1;
}
