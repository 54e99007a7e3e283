// native/src/runtime/work_buffer.h — grow-only, 64-byte aligned scratch memory for the kernels.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>

namespace kindling {

// One per thread and purpose (thread_local), so steady-state calls never allocate: fresh large
// allocations page-fault badly on these machines. Freed when its thread exits.
class WorkBuffer {
 public:
  WorkBuffer() = default;
  WorkBuffer(const WorkBuffer&) = delete;
  WorkBuffer& operator=(const WorkBuffer&) = delete;
  ~WorkBuffer() { std::free(ptr_); }

  // At least `bytes` of memory; null only if the allocation fails.
  void* get(size_t bytes) {
    if (bytes > size_) {
      // Round up generously so slowly growing problem sizes do not reallocate every call.
      size_t want = std::max(bytes, size_ + size_ / 2);
      want = (want + 4095) & ~size_t(4095);
      void* p = nullptr;
      if (posix_memalign(&p, 64, want) != 0) return nullptr;
      std::free(ptr_);
      ptr_ = p;
      size_ = want;
    }
    return ptr_;
  }

  float* floats(size_t n) { return static_cast<float*>(get(n * sizeof(float))); }

 private:
  void* ptr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kindling
