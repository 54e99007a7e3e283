// native/src/distributed/process_group.h — one Gloo process group: rendezvous, then collectives and
// point-to-point transfers on caller-owned buffers. Plain C++ (no N-API); methods block, so the
// addon calls them from its own threads, and failures are thrown as std::exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gloo {
class Context;
namespace rendezvous {
class Store;
}
namespace transport {
class UnboundBuffer;
}
}  // namespace gloo

namespace kindling {
namespace dist {

class TcpStoreServer;

// Element types as Gloo sees them; kindling's int64 is stored as double (Note [int64 storage]).
enum class ElementType : int { kF32 = 0, kF64 = 1, kI32 = 2, kU8 = 3 };
enum class ReduceOp : int { kSum = 0, kProduct = 1, kMin = 2, kMax = 3 };

size_t element_size(ElementType type);

// A contiguous run of elements in memory the caller keeps alive until the call returns.
struct Span {
  void* data = nullptr;
  size_t numel = 0;
};

class ProcessGroup {
 public:
  ProcessGroup(int rank, int size, std::chrono::milliseconds timeout);
  ~ProcessGroup();

  // Rendezvous through a TCP store (rank 0 serves it when `serve` is set) or a shared directory;
  // `device_host` / `iface` choose the address the others reach this rank on.
  void connect_tcp(const std::string& host, int port, bool serve, const std::string& device_host, const std::string& iface);
  void connect_file(const std::string& path, const std::string& device_host, const std::string& iface);

  void allreduce(Span buf, ElementType type, ReduceOp op, uint32_t tag);
  void broadcast(Span buf, ElementType type, int root, uint32_t tag);
  void reduce(Span buf, ElementType type, ReduceOp op, int root, uint32_t tag);
  void allgather(Span in, Span out, ElementType type, uint32_t tag);
  // `out` holds size × in.numel elements on the root, and is ignored elsewhere.
  void gather(Span in, Span out, ElementType type, int root, uint32_t tag);
  // `in` holds size × out.numel elements on the root, and is ignored elsewhere.
  void scatter(Span in, Span out, ElementType type, int root, uint32_t tag);
  void barrier(uint32_t tag);
  // Point-to-point transfers are posted from the caller's thread (they do not block, so a rank can
  // post a receive and then a send) and waited for elsewhere; `tag` is the user's tag, as in PyTorch.
  std::unique_ptr<gloo::transport::UnboundBuffer> post_send(Span buf, ElementType type, int dst, uint32_t tag);
  std::unique_ptr<gloo::transport::UnboundBuffer> post_recv(Span buf, ElementType type, int src, uint32_t tag);
  void wait_send(gloo::transport::UnboundBuffer& buf);
  void wait_recv(gloo::transport::UnboundBuffer& buf);

  // Breaks every connection so that blocked operations end with an error (destroy, exit).
  void close();

 private:
  void connect(gloo::rendezvous::Store& store, const std::string& device_host, const std::string& iface);

  int rank_, size_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;  // guards context_ and server_: close() comes from another thread
  std::shared_ptr<gloo::Context> context_;
  std::unique_ptr<TcpStoreServer> server_;
  std::unique_ptr<gloo::rendezvous::Store> store_;
};

}  // namespace dist
}  // namespace kindling
