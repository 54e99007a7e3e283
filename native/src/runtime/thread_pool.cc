// Persistent thread pool implementation: spin-then-sleep workers, atomic task counter, caller participates.
#include "thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KINDLING_PAUSE() _mm_pause()
#else
#define KINDLING_PAUSE() ((void)0)
#endif

namespace kindling {
namespace {

// True while this thread executes a pool task: nested parallel_for calls then run inline.
thread_local bool t_in_task = false;

// How long an idle worker keeps spinning before it blocks; covers the gap between consecutive
// GEMM blocks/calls without burning a core indefinitely.
constexpr auto kSpinTime = std::chrono::microseconds(300);

int hardware_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace

ThreadPool& ThreadPool::global() {
  // Intentionally leaked: joining threads during static destruction can hang at process exit.
  static ThreadPool* pool = new ThreadPool();
  return *pool;
}

ThreadPool::ThreadPool() { num_threads_.store(hardware_threads(), std::memory_order_relaxed); }

ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::set_num_threads(int n) {
  if (t_in_task) return;
  if (n <= 0) n = hardware_threads();
  std::lock_guard<std::mutex> lock(run_mutex_);
  if (static_cast<int>(workers_.size()) > n - 1) stop_workers();
  num_threads_.store(n, std::memory_order_relaxed);
}

void ThreadPool::start_workers(int n_workers) {
  stop_.store(false);
  // The generation is sampled here, before run() publishes the next job: a worker that reads it itself
  // after starting could miss that job and leave run() waiting forever.
  const uint64_t gen = generation_.load();
  while (static_cast<int>(workers_.size()) < n_workers) workers_.emplace_back([this, gen] { worker_loop(gen); });
}

void ThreadPool::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    stop_.store(true);
  }
  sleep_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  stop_.store(false);
}

void ThreadPool::run_tasks() {
  const bool was_in_task = t_in_task;
  t_in_task = true;
  for (;;) {
    const int64_t t = next_task_.fetch_add(1, std::memory_order_relaxed);
    if (t >= n_tasks_) break;
    fn_(ctx_, t);
  }
  t_in_task = was_in_task;
}

void ThreadPool::worker_loop(uint64_t seen) {
  for (;;) {
    // Spin phase.
    auto start = std::chrono::steady_clock::now();
    uint32_t spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && !stop_.load(std::memory_order_relaxed)) {
      KINDLING_PAUSE();
      if ((++spins & 255) == 0 && std::chrono::steady_clock::now() - start > kSpinTime) {
        // Sleep phase. sleepers_ is raised before re-checking generation_ so run() cannot miss us.
        std::unique_lock<std::mutex> lock(sleep_mutex_);
        sleepers_.fetch_add(1);
        sleep_cv_.wait(lock, [&] { return generation_.load() != seen || stop_.load(); });
        sleepers_.fetch_sub(1);
        start = std::chrono::steady_clock::now();
      }
    }
    if (stop_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    if (try_join()) {
      run_tasks();
      state_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

bool ThreadPool::try_join() {
  // A late worker may join the job after the one it was woken for; that is fine because it reads
  // the job fields only after joining, and they cannot change while it is inside.
  uint32_t s = state_.load(std::memory_order_acquire);
  while ((s & kClosed) == 0) {
    if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

void ThreadPool::run(int64_t n_tasks, TaskFn fn, void* ctx) {
  if (n_tasks <= 0) return;
  auto run_inline = [&] {
    for (int64_t t = 0; t < n_tasks; ++t) fn(ctx, t);
  };
  if (n_tasks == 1 || t_in_task || num_threads() <= 1) return run_inline();
  std::unique_lock<std::mutex> lock(run_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return run_inline();

  const int n_workers = num_threads() - 1;
  if (static_cast<int>(workers_.size()) != n_workers) {
    if (static_cast<int>(workers_.size()) > n_workers) stop_workers();
    start_workers(n_workers);
  }

  // The previous job is closed with no workers inside, so nobody reads these fields while we write them.
  fn_ = fn;
  ctx_ = ctx;
  n_tasks_ = n_tasks;
  next_task_.store(0, std::memory_order_relaxed);
  state_.store(0, std::memory_order_release);  // open for joining
  generation_.fetch_add(1);  // seq_cst: wakes spinners and orders against the sleepers_ read below
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> sl(sleep_mutex_);
    sleep_cv_.notify_all();
  }

  run_tasks();

  // All tasks are claimed: close the job and wait only for workers still inside it, after which
  // none can touch fn/ctx.
  state_.fetch_or(kClosed, std::memory_order_acq_rel);
  uint32_t spins = 0;
  while ((state_.load(std::memory_order_acquire) & ~kClosed) != 0) {
    KINDLING_PAUSE();
    if ((++spins & 1023) == 0) std::this_thread::yield();
  }
}

void set_pool_threads(int n) { ThreadPool::global().set_num_threads(n); }
int get_pool_threads() { return ThreadPool::global().num_threads(); }

}  // namespace kindling
