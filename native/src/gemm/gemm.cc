// GEMM driver: BLIS-style blocking (NC/KC/MC loops), packing into reused per-thread buffers,
// threading over the M/N dimensions of the macro-kernel, and ISA dispatch; also GEMV dispatch.
#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <vector>
#include <cstdlib>
#include <cstring>

#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "../runtime/work_buffer.h"
#include "pack.h"
#include "small_gemm.h"
#include "ukernel.h"

namespace kindling {
namespace {

// Problems below this many multiply-adds stay on the calling thread: waking a worker costs more.
constexpr int64_t kParallelMinFlops = 64 * 64 * 64;
constexpr int64_t kGemvParallelMin = int64_t(1) << 18;  // matrix elements (1 MB of floats)
constexpr int kMaxTile = 14 * 32;  // largest MR * NR of any kernel (temporary edge tile)

thread_local WorkBuffer t_pack_a;  // per-thread MC x KC block of A
thread_local WorkBuffer t_pack_b;  // KC x NC block of B, owned by the thread that called gemm
thread_local WorkBuffer t_vec;     // gemv gather/scatter buffers

template <typename T>
struct KernelConfig {
  UKernelFn<T> ukernel;
  PackFn<T> pack_a;  // panel width MR
  PackFn<T> pack_b;  // panel width NR
  int mr;
  int nr;
  int64_t mc;  // rows of A per L2 block (multiple of mr)
  int64_t kc;  // depth per block: one B micro-panel (kc x nr) should sit in L1
  int64_t nc;  // columns of B per L3 block (multiple of nr)
  UKernelRowsFn<T> ukernel_rows = nullptr;  // edge rows straight into C, where the ISA has it
};

// Block sizes, tuned on Zen 5 (48 KiB L1d, 1 MiB L2 per core, shared L3) with the benchmark in
// native/bench. A deep KC (1024) wins clearly (+10%): the C tile is loaded/stored once per KC, and both
// the A micro-panel (14 x 1024 x 4 = 56 KiB) and the B micro-panel (128 KiB) stream well from L2.
// A small MC (4 panels = 56 rows, 224 KiB of A) keeps the A block in L2 and makes many tasks for the
// dynamic scheduler; NC = 2048 keeps the packed B block (8 MiB) well inside L3.

const KernelConfig<float>& f32_config(Isa isa) {
#if KINDLING_X86_KERNELS
  static const KernelConfig<float> kAvx512 = {ukernel_f32_14x32_avx512, pack_panel_f32_14_avx512,
                                              pack_panel_f32_32_avx512, 14, 32, 14 * 4, 1024, 2048,
                                              ukernel_f32_rows_avx512};
  static const KernelConfig<float> kAvx2 = {ukernel_f32_6x16_avx2, pack_panel<float, 6>, pack_panel<float, 16>,
                                            6, 16, 6 * 12, 512, 2048};
  if (isa == Isa::kAvx512) return kAvx512;
  if (isa == Isa::kAvx2) return kAvx2;
#endif
  (void)isa;
  static const KernelConfig<float> kScalar = {ukernel_f32_4x4_scalar, pack_panel<float, 4>,
                                              pack_panel<float, 4>, 4, 4, 128, 256, 2048};
  return kScalar;
}

const KernelConfig<double>& f64_config(Isa isa) {
#if KINDLING_X86_KERNELS
  static const KernelConfig<double> kAvx512 = {ukernel_f64_14x16_avx512, pack_panel<double, 14>,
                                               pack_panel<double, 16>, 14, 16, 14 * 4, 512, 2048};
  static const KernelConfig<double> kAvx2 = {ukernel_f64_6x8_avx2, pack_panel<double, 6>, pack_panel<double, 8>,
                                             6, 8, 6 * 12, 384, 2048};
  if (isa == Isa::kAvx512) return kAvx512;
  if (isa == Isa::kAvx2) return kAvx2;
#endif
  (void)isa;
  static const KernelConfig<double> kScalar = {ukernel_f64_4x4_scalar, pack_panel<double, 4>,
                                               pack_panel<double, 4>, 4, 4, 128, 256, 2048};
  return kScalar;
}

// C = beta * C over an m x n strided view (used when k == 0 or alpha == 0); beta == 0 writes zeros.
template <typename T>
void scale_c(int64_t m, int64_t n, T beta, T* C, int64_t c_rs, int64_t c_cs) {
  for (int64_t i = 0; i < m; ++i) {
    T* row = C + i * c_rs;
    if (beta == T(0)) {
      for (int64_t j = 0; j < n; ++j) row[j * c_cs] = T(0);
    } else if (beta != T(1)) {
      for (int64_t j = 0; j < n; ++j) row[j * c_cs] *= beta;
    }
  }
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename T>
struct GemmArgs {
  int64_t m, n, k;
  T alpha;
  const T* A;
  int64_t a_rs, a_cs;
  const T* B;
  int64_t b_rs, b_cs;
  T beta;
  T* C;
  int64_t c_rs, c_cs;
};

// Most B micro-panels one (jc, pc) block can hold: max over configs of nc / nr (4096 / 32, 2048 / 4).
constexpr int64_t kMaxBPanels = 1024;

// One (jc, pc) block: B panels are packed on demand by whichever task needs them first (flag per
// panel: 0 = not packed, 1 = being packed, 2 = ready), so there is no separate packing phase and
// only one fork/join per block.
template <typename T>
struct Block {
  const KernelConfig<T>* cfg;
  const GemmArgs<T>* g;
  int64_t jc, nc, pc, kc;
  T beta;
  T* b_packed;
  std::atomic<int>* b_state;
};

template <typename T>
const T* ensure_b_panel(const Block<T>& blk, int64_t q) {
  const KernelConfig<T>& cfg = *blk.cfg;
  const GemmArgs<T>& g = *blk.g;
  T* dst = blk.b_packed + q * cfg.nr * blk.kc;
  std::atomic<int>& st = blk.b_state[q];
  if (st.load(std::memory_order_acquire) == 2) return dst;
  int expected = 0;
  if (st.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
    const int64_t j = blk.jc + q * cfg.nr;
    // Panel rows are columns of op(B): row stride b_cs, k stride b_rs.
    cfg.pack_b(std::min<int64_t>(cfg.nr, blk.jc + blk.nc - j), blk.kc, g.B + j * g.b_cs + blk.pc * g.b_rs, g.b_cs,
               g.b_rs, dst);
    st.store(2, std::memory_order_release);
  } else {
    // Another task is packing it right now (a few microseconds at most).
    while (st.load(std::memory_order_acquire) != 2) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }
  return dst;
}

// Macro-kernel for rows [m0, m1) (multiple-of-MR start) and B panels [q0, q1) of one block. The jr loop
// starts at panel q0 + rot (and wraps) so concurrent tasks begin by packing different B panels.
template <typename T>
void macro_block(const Block<T>& blk, int64_t m0, int64_t m1, int64_t q0, int64_t q1, int64_t rot) {
  const KernelConfig<T>& cfg = *blk.cfg;
  const GemmArgs<T>& g = *blk.g;
  const int mr = cfg.mr;
  const int nr = cfg.nr;
  const int64_t kc = blk.kc;
  const T beta = blk.beta;
  const int64_t mc_max = cfg.mc;
  T* a_packed = static_cast<T*>(t_pack_a.get(sizeof(T) * size_t(ceil_div(std::min(mc_max, m1 - m0), mr)) * mr * kc));
  if (a_packed == nullptr) return;
  alignas(64) T tile[kMaxTile];
  const bool c_unit = g.c_cs == 1;
  const int64_t nq = q1 - q0;

  for (int64_t ic = m0; ic < m1; ic += mc_max) {
    const int64_t mc = std::min(mc_max, m1 - ic);
    const int64_t a_panels = ceil_div(mc, mr);
    for (int64_t ip = 0; ip < a_panels; ++ip) {
      const int64_t i = ic + ip * mr;
      cfg.pack_a(std::min<int64_t>(mr, g.m - i), kc, g.A + i * g.a_rs + blk.pc * g.a_cs, g.a_rs, g.a_cs,
                 a_packed + ip * mr * kc);
    }
    // jr outer / ir inner: the kc x nr B micro-panel stays in L1 while A panels stream from L2.
    for (int64_t qq = 0; qq < nq; ++qq) {
      const int64_t q = q0 + (qq + rot) % nq;
      const int64_t j = blk.jc + q * nr;
      const int64_t nr_valid = std::min<int64_t>(nr, blk.jc + blk.nc - j);
      const T* bp = ensure_b_panel(blk, q);
      for (int64_t ip = 0; ip < a_panels; ++ip) {
        const int64_t i = ic + ip * mr;
        const int64_t mr_valid = std::min<int64_t>(mr, ic + mc - i);
        const T* ap = a_packed + ip * mr * kc;
        T* c = g.C + i * g.c_rs + j * g.c_cs;
        if (c_unit && mr_valid == mr && nr_valid == nr) {
          cfg.ukernel(kc, ap, bp, c, g.c_rs, g.alpha, beta);
        } else if (c_unit && nr_valid == nr && cfg.ukernel_rows != nullptr) {
          cfg.ukernel_rows(int(mr_valid), kc, ap, bp, c, g.c_rs, g.alpha, beta);
        } else {
          // Edge or non-unit column stride: compute the full tile, then merge the valid part.
          cfg.ukernel(kc, ap, bp, tile, nr, g.alpha, T(0));
          for (int64_t ii = 0; ii < mr_valid; ++ii) {
            T* crow = c + ii * g.c_rs;
            const T* trow = tile + ii * nr;
            if (beta == T(0)) {
              for (int64_t jj = 0; jj < nr_valid; ++jj) crow[jj * g.c_cs] = trow[jj];
            } else {
              for (int64_t jj = 0; jj < nr_valid; ++jj) crow[jj * g.c_cs] = trow[jj] + beta * crow[jj * g.c_cs];
            }
          }
        }
      }
    }
  }
}

// Task list for one block, reused across calls (no steady-state allocation). Guided schedule: with
// several threads, chunks of M panels shrink as the remaining work shrinks, so the dynamic scheduler
// can rebalance (busy shared cores) while the last tasks are small enough to end nearly together.
struct Task {
  int64_t p0, p1;  // M panels (or N panels when splitting N)
};
thread_local std::vector<Task> t_tasks;

void plan_tasks(int nt, int64_t m_panels, int64_t n_panels, int64_t mc_panels, bool* split_n) {
  t_tasks.clear();
  *split_n = false;
  if (nt <= 1) {
    t_tasks.push_back({0, m_panels});
    return;
  }
  int64_t total = m_panels;
  // Too few rows to share, or few enough that splitting them leaves each thread only a handful of
  // panels against the whole of B (packed by one task and read by every other, twice as slow on two
  // threads as on one for 64 x 784 x 256): split the B panels instead (each task re-packs the small A).
  if ((m_panels < 2 * nt && n_panels > m_panels) || (m_panels < 16 * nt && n_panels >= 2 * nt)) {
    *split_n = true;
    total = n_panels;
  }
  int64_t start = 0;
  while (start < total) {
    const int64_t remaining = total - start;
    int64_t size = ceil_div(remaining, 2 * int64_t(nt));
    if (!*split_n) size = std::min(size, mc_panels);
    t_tasks.push_back({start, start + size});
    start += size;
  }
}

template <typename T>
void gemm_driver(const KernelConfig<T>& cfg, const GemmArgs<T>& g) {
  const int mr = cfg.mr;
  const int nr = cfg.nr;
  int nt = ThreadPool::global().num_threads();
  if (g.m * g.n * g.k < kParallelMinFlops) nt = 1;

  const int64_t nc_max = std::min({cfg.nc, ceil_div(g.n, nr) * nr, kMaxBPanels * nr});
  const int64_t kc_max = std::min(cfg.kc, g.k);
  T* b_packed = static_cast<T*>(t_pack_b.get(sizeof(T) * size_t(nc_max * kc_max)));
  if (b_packed == nullptr) return;
  std::atomic<int> b_state[kMaxBPanels];

  const int64_t m_panels = ceil_div(g.m, mr);
  bool split_n = false;
  plan_tasks(nt, m_panels, ceil_div(nc_max, nr), cfg.mc / mr, &split_n);
  const std::vector<Task>& tasks = t_tasks;
  const int64_t n_tasks = int64_t(tasks.size());

  for (int64_t jc = 0; jc < g.n; jc += nc_max) {
    const int64_t nc = std::min(nc_max, g.n - jc);
    const int64_t b_panels = ceil_div(nc, nr);
    for (int64_t pc = 0; pc < g.k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, g.k - pc);
      for (int64_t q = 0; q < b_panels; ++q) b_state[q].store(0, std::memory_order_relaxed);
      // Later k blocks accumulate onto what the first one wrote.
      const Block<T> blk{&cfg, &g, jc, nc, pc, kc, pc == 0 ? g.beta : T(1), b_packed, b_state};
      auto compute = [&](int64_t t) {
        const Task& task = tasks[size_t(t)];
        if (split_n) {
          const int64_t q1 = std::min(task.p1, b_panels);
          if (task.p0 < q1) macro_block(blk, 0, g.m, task.p0, q1, 0);
        } else {
          const int64_t rot = b_panels * (t % nt) / nt;
          macro_block(blk, task.p0 * mr, std::min(g.m, task.p1 * mr), 0, b_panels, rot);
        }
      };
      ThreadPool::global().parallel_for(n_tasks, compute);
    }
  }
}

// Portable GEMV bodies (contiguous x and y) used when AVX-512 is not active.
template <typename T>
void gemv_n_portable(int64_t m, int64_t k, T alpha, const T* A, int64_t lda, const T* x, T beta, T* y) {
  for (int64_t i = 0; i < m; ++i) {
    const T* row = A + i * lda;
    // Eight partial sums let the compiler vectorise without reassociation flags.
    T s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t p = 0;
    for (; p + 8 <= k; p += 8)
      for (int u = 0; u < 8; ++u) s[u] += row[p + u] * x[p + u];
    T acc = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; p < k; ++p) acc += row[p] * x[p];
    y[i] = beta == T(0) ? alpha * acc : alpha * acc + beta * y[i];
  }
}

template <typename T>
void gemv_t_portable(int64_t m, int64_t k, T alpha, const T* A, int64_t lda, const T* x, T beta, T* y) {
  // Column blocks keep a slice of y hot while streaming the rows of A.
  constexpr int64_t kBlock = 256;
  T acc[kBlock];
  for (int64_t i0 = 0; i0 < m; i0 += kBlock) {
    const int64_t w = std::min(kBlock, m - i0);
    for (int64_t i = 0; i < w; ++i) acc[i] = T(0);
    for (int64_t p = 0; p < k; ++p) {
      const T xp = x[p];
      const T* row = A + p * lda + i0;
      for (int64_t i = 0; i < w; ++i) acc[i] += row[i] * xp;
    }
    for (int64_t i = 0; i < w; ++i)
      y[i0 + i] = beta == T(0) ? alpha * acc[i] : alpha * acc[i] + beta * y[i0 + i];
  }
}

// y = alpha * op(A) x + beta * y with arbitrary vector increments (copies strided vectors once).
void sgemv_impl(bool trans, int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
                int64_t incx, float beta, float* y, int64_t incy) {
  if (m <= 0) return;
  if (k <= 0 || alpha == 0.0f) {
    scale_c<float>(1, m, beta, y, 0, incy);
    return;
  }
  const bool copy_x = incx != 1;
  const bool copy_y = incy != 1;
  float* buf = nullptr;
  if (copy_x || copy_y) {
    buf = static_cast<float*>(t_vec.get(sizeof(float) * size_t((copy_x ? k : 0) + (copy_y ? m : 0))));
    if (buf == nullptr) return;
  }
  const float* xv = x;
  if (copy_x) {
    for (int64_t p = 0; p < k; ++p) buf[p] = x[p * incx];
    xv = buf;
  }
  float* yv = y;
  if (copy_y) {
    yv = buf + (copy_x ? k : 0);
    if (beta != 0.0f)
      for (int64_t i = 0; i < m; ++i) yv[i] = y[i * incy];
  }
  // Outputs [i0, i1): rows of A, or with `trans` its columns.
  auto part = [&](int64_t i0, int64_t i1) {
    const float* a = trans ? A + i0 : A + i0 * lda;
#if KINDLING_X86_KERNELS
    if (active_isa() == Isa::kAvx512) {
      if (trans) gemv_t_f32_avx512(i1 - i0, k, alpha, a, lda, xv, beta, yv + i0);
      else gemv_n_f32_avx512(i1 - i0, k, alpha, a, lda, xv, beta, yv + i0);
      return;
    }
#endif
    if (trans) gemv_t_portable<float>(i1 - i0, k, alpha, a, lda, xv, beta, yv + i0);
    else gemv_n_portable<float>(i1 - i0, k, alpha, a, lda, xv, beta, yv + i0);
  };
  // A large matrix is read once per call, so the work is split by outputs into one contiguous part
  // per thread, each thread taking the same part every call: its part of A then stays in that
  // core's cache across calls (the lecture's per-sample loop multiplies one 6 MB matrix 2,500 times).
  const int64_t tasks = m * k >= kGemvParallelMin ? std::min<int64_t>(get_num_threads(), m / 16) : 1;
  if (tasks <= 1) {
    part(0, m);
  } else {
    ThreadPool::global().parallel_for(tasks, [&](int64_t t) {
      // Split at multiples of 16 outputs so every part but the last keeps whole vectors.
      const int64_t i0 = m / 16 * t / tasks * 16, i1 = t + 1 == tasks ? m : m / 16 * (t + 1) / tasks * 16;
      part(i0, i1);
    });
  }
  if (copy_y)
    for (int64_t i = 0; i < m; ++i) y[i * incy] = yv[i];
}

template <typename T>
bool gemm_common(GemmArgs<T>& g) {
  // Returns true when the call is fully handled by the trivial cases.
  if (g.m <= 0 || g.n <= 0) return true;
  if (g.k <= 0 || g.alpha == T(0)) {
    scale_c<T>(g.m, g.n, g.beta, g.C, g.c_rs, g.c_cs);
    return true;
  }
  // Column-major-like C (unit row stride): compute C^T = op(B)^T op(A)^T instead so the kernels
  // write contiguous rows.
  if (g.c_cs != 1 && g.c_rs == 1 && g.n > 1) {
    GemmArgs<T> t = g;
    t.m = g.n;
    t.n = g.m;
    t.A = g.B;
    t.a_rs = g.b_cs;
    t.a_cs = g.b_rs;
    t.B = g.A;
    t.b_rs = g.a_cs;
    t.b_cs = g.a_rs;
    t.c_rs = g.c_cs;
    t.c_cs = 1;
    g = t;
  }
  return false;
}

}  // namespace

void sgemm_strided(int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t a_rs, int64_t a_cs,
                   const float* B, int64_t b_rs, int64_t b_cs, float beta, float* C, int64_t c_rs,
                   int64_t c_cs) {
  GemmArgs<float> g{m, n, k, alpha, A, a_rs, a_cs, B, b_rs, b_cs, beta, C, c_rs, c_cs};
  if (gemm_common(g)) return;
  // Vector-shaped products are bandwidth-bound: GEMV avoids packing the whole matrix operand.
  if (g.m == 1 && (g.b_cs == 1 || g.b_rs == 1) && g.a_cs != 0) {
    // C[0, j] = sum_p A[0, p] * B[p, j]
    if (g.b_cs == 1) sgemv_impl(true, g.n, g.k, alpha, g.B, g.b_rs, g.A, g.a_cs, beta, g.C, g.c_cs);
    else sgemv_impl(false, g.n, g.k, alpha, g.B, g.b_cs, g.A, g.a_cs, beta, g.C, g.c_cs);
    return;
  }
  if (g.n == 1 && (g.a_cs == 1 || g.a_rs == 1) && g.b_rs != 0) {
    if (g.a_cs == 1) sgemv_impl(false, g.m, g.k, alpha, g.A, g.a_rs, g.B, g.b_rs, beta, g.C, g.c_rs);
    else sgemv_impl(true, g.m, g.k, alpha, g.A, g.a_cs, g.B, g.b_rs, beta, g.C, g.c_rs);
    return;
  }
  if (alpha == 1.0f && beta == 0.0f && g.c_cs == 1 &&
      small_sgemm(g.m, g.n, g.k, g.A, g.a_rs, g.a_cs, g.B, g.b_rs, g.b_cs, g.C, g.c_rs))
    return;
  gemm_driver(f32_config(active_isa()), g);
}

void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  sgemm_strided(m, n, k, alpha, A, transA ? 1 : lda, transA ? lda : 1, B, transB ? 1 : ldb, transB ? ldb : 1,
                beta, C, ldc, 1);
}

void dgemm_strided(int64_t m, int64_t n, int64_t k, double alpha, const double* A, int64_t a_rs, int64_t a_cs,
                   const double* B, int64_t b_rs, int64_t b_cs, double beta, double* C, int64_t c_rs,
                   int64_t c_cs) {
  GemmArgs<double> g{m, n, k, alpha, A, a_rs, a_cs, B, b_rs, b_cs, beta, C, c_rs, c_cs};
  if (gemm_common(g)) return;
  gemm_driver(f64_config(active_isa()), g);
}

void dgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, double alpha, const double* A,
           int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc) {
  dgemm_strided(m, n, k, alpha, A, transA ? 1 : lda, transA ? lda : 1, B, transB ? 1 : ldb, transB ? ldb : 1,
                beta, C, ldc, 1);
}

void sgemv(bool transA, int64_t m, int64_t k, float alpha, const float* A, int64_t lda, const float* x,
           int64_t incx, float beta, float* y, int64_t incy) {
  sgemv_impl(transA, m, k, alpha, A, lda, x, incx, beta, y, incy);
}

void set_num_threads(int n) { set_pool_threads(n); }
int get_num_threads() { return get_pool_threads(); }
const char* gemm_isa() { return isa_name(active_isa()); }

}  // namespace kindling
