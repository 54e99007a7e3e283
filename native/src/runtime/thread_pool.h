// Small persistent thread pool: parallel_for(n_tasks, fn) runs all tasks inside one synchronous call.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace kindling {

class ThreadPool {
 public:
  using TaskFn = void (*)(void* ctx, int64_t task);

  // Process-wide pool shared by all kernels; workers start lazily on first parallel use.
  static ThreadPool& global();

  ~ThreadPool();

  // Total threads including the calling thread (n <= 0 means "hardware cores"). Not callable from a task.
  void set_num_threads(int n);
  int num_threads() const { return num_threads_.load(std::memory_order_relaxed); }

  // Runs fn(ctx, t) for t in [0, n_tasks) on the caller plus the workers and returns when all are done.
  // Runs inline on the caller when there is one task or one thread, when called from inside a task
  // (nested), or when another thread is already using the pool (so concurrent callers never deadlock).
  void run(int64_t n_tasks, TaskFn fn, void* ctx);

  template <typename F>
  void parallel_for(int64_t n_tasks, F&& f) {
    using Fn = typename std::remove_reference<F>::type;
    run(n_tasks, [](void* ctx, int64_t t) { (*static_cast<Fn*>(ctx))(t); }, static_cast<void*>(&f));
  }

 private:
  ThreadPool();
  void start_workers(int n_workers);
  void stop_workers();
  void worker_loop(uint64_t seen);
  void run_tasks();
  bool try_join();

  std::mutex run_mutex_;  // one parallel job at a time
  std::atomic<int> num_threads_{1};
  std::vector<std::thread> workers_;

  // Current job, published by bumping generation_.
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int64_t n_tasks_ = 0;
  std::atomic<int64_t> next_task_{0};
  // Join protocol: bit kClosed set = no worker may join the current job; low bits = workers inside it.
  // The caller closes the job once all tasks are claimed and waits only for workers that joined, so a
  // descheduled (or sleeping) worker never delays a call on a busy machine.
  static constexpr uint32_t kClosed = 0x80000000u;
  alignas(64) std::atomic<uint32_t> state_{kClosed};
  alignas(64) std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};

  // Idle workers spin briefly (GEMM calls come in bursts) and then sleep here.
  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;
  std::atomic<int> sleepers_{0};
};

// Convenience wrappers over the global pool.
template <typename F>
inline void parallel_for(int64_t n_tasks, F&& f) {
  ThreadPool::global().parallel_for(n_tasks, std::forward<F>(f));
}
void set_pool_threads(int n);
int get_pool_threads();

// Splits [0, n) into one contiguous range per pool thread and calls fn(begin, end) for each, as
// OpenMP's static schedule does: a thread then gets the same range on every call and finds its part
// of a tensor in its own cache when the tensor fits there. One range, on the caller, when `work` is
// under `min_work`, where waking the threads costs more than they save.
template <typename F>
void parallel_ranges(int64_t n, int64_t work, int64_t min_work, F&& fn) {
  const int64_t tasks = work >= min_work ? std::max<int64_t>(1, std::min<int64_t>(n, get_pool_threads())) : 1;
  parallel_for(tasks, [&](int64_t t) { fn(n * t / tasks, n * (t + 1) / tasks); });
}

}  // namespace kindling
