// native/src/distributed/process_group.cc — Gloo calls for one process group, set up as PyTorch's
// ProcessGroupGloo sets them up: in-place outputs, the caller's tag on every collective, and the
// group's timeout on every wait.
#include "process_group.h"

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/common/error.h>
#include <gloo/gather.h>
#include <gloo/math.h>
#include <gloo/reduce.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/scatter.h>
#include <gloo/transport/tcp/device.h>
#include <gloo/transport/unbound_buffer.h>

#include <stdexcept>

#include "tcp_store.h"

namespace kindling {
namespace dist {
namespace {

using ReduceFn = void (*)(void*, const void*, const void*, size_t);

template <typename T>
ReduceFn reduce_fn(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum: return static_cast<ReduceFn>(&gloo::sum<T>);
    case ReduceOp::kProduct: return static_cast<ReduceFn>(&gloo::product<T>);
    case ReduceOp::kMin: return static_cast<ReduceFn>(&gloo::min<T>);
    case ReduceOp::kMax: return static_cast<ReduceFn>(&gloo::max<T>);
  }
  throw std::invalid_argument("unknown reduce op");
}

// Calls f with a value of the element type (only its type matters), once per dispatch.
template <typename F>
void dispatch(ElementType type, F&& f) {
  switch (type) {
    case ElementType::kF32: f(float{}); return;
    case ElementType::kF64: f(double{}); return;
    case ElementType::kI32: f(int32_t{}); return;
    case ElementType::kU8: f(uint8_t{}); return;
  }
  throw std::invalid_argument("unknown element type");
}

// Gloo's FileStore waits 30 s for a key whatever the group's timeout; this bounds it by ours and
// says which rank was missing.
class BoundedStore : public gloo::rendezvous::Store {
 public:
  BoundedStore(std::unique_ptr<gloo::rendezvous::Store> inner, std::chrono::milliseconds timeout)
      : inner_(std::move(inner)), timeout_(timeout) {}
  void set(const std::string& key, const std::vector<char>& data) override { inner_->set(key, data); }
  std::vector<char> get(const std::string& key) override {
    wait({key});
    return inner_->get(key);
  }
  void wait(const std::vector<std::string>& keys) override { wait(keys, timeout_); }
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override {
    for (const auto& key : keys) {
      try {
        inner_->wait({key}, timeout);
      } catch (const gloo::Exception&) {
        throw gloo::IoException(describe_wait(key, timeout));
      }
    }
  }

 private:
  std::unique_ptr<gloo::rendezvous::Store> inner_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

size_t element_size(ElementType type) {
  size_t n = 0;
  dispatch(type, [&](auto v) { n = sizeof v; });
  return n;
}

ProcessGroup::ProcessGroup(int rank, int size, std::chrono::milliseconds timeout) : rank_(rank), size_(size), timeout_(timeout) {}

ProcessGroup::~ProcessGroup() { close(); }

void ProcessGroup::connect(gloo::rendezvous::Store& store, const std::string& device_host, const std::string& iface) {
  gloo::transport::tcp::attr attr;
  if (!iface.empty()) {
    attr.iface = iface;
  } else {
    attr.hostname = device_host;
  }
  auto device = gloo::transport::tcp::CreateDevice(attr);
  auto context = std::make_shared<gloo::rendezvous::Context>(rank_, size_);
  context->setTimeout(timeout_);
  context->connectFullMesh(store, device);
  std::lock_guard<std::mutex> lock(mutex_);
  context_ = context;
}

void ProcessGroup::connect_tcp(const std::string& host, int port, bool serve, const std::string& device_host, const std::string& iface) {
  int store_port = port;
  if (serve) {
    auto server = std::make_unique<TcpStoreServer>(host, port);
    store_port = server->port();
    std::lock_guard<std::mutex> lock(mutex_);
    server_ = std::move(server);
  }
  store_ = std::make_unique<TcpStoreClient>(serve ? "127.0.0.1" : host, store_port, timeout_);
  connect(*store_, device_host, iface);
}

void ProcessGroup::connect_file(const std::string& path, const std::string& device_host, const std::string& iface) {
  store_ = std::make_unique<BoundedStore>(std::make_unique<gloo::rendezvous::FileStore>(path), timeout_);
  connect(*store_, device_host, iface);
}

void ProcessGroup::allreduce(Span buf, ElementType type, ReduceOp op, uint32_t tag) {
  if (buf.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::AllreduceOptions opts(context_);
    opts.setOutput(static_cast<T*>(buf.data), buf.numel);
    opts.setReduceFunction(reduce_fn<T>(op));
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::allreduce(opts);
  });
}

void ProcessGroup::broadcast(Span buf, ElementType type, int root, uint32_t tag) {
  if (buf.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::BroadcastOptions opts(context_);
    opts.setRoot(root);
    if (rank_ == root) opts.setInput(static_cast<T*>(buf.data), buf.numel);
    opts.setOutput(static_cast<T*>(buf.data), buf.numel);
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::broadcast(opts);
  });
}

void ProcessGroup::reduce(Span buf, ElementType type, ReduceOp op, int root, uint32_t tag) {
  if (buf.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::ReduceOptions opts(context_);
    opts.setRoot(root);
    opts.setOutput(static_cast<T*>(buf.data), buf.numel);
    opts.setReduceFunction(reduce_fn<T>(op));
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::reduce(opts);
  });
}

void ProcessGroup::allgather(Span in, Span out, ElementType type, uint32_t tag) {
  if (in.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::AllgatherOptions opts(context_);
    opts.setInput(static_cast<T*>(in.data), in.numel);
    opts.setOutput(static_cast<T*>(out.data), out.numel);
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::allgather(opts);
  });
}

void ProcessGroup::gather(Span in, Span out, ElementType type, int root, uint32_t tag) {
  if (in.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::GatherOptions opts(context_);
    opts.setRoot(root);
    opts.setInput(static_cast<T*>(in.data), in.numel);
    if (rank_ == root) opts.setOutput(static_cast<T*>(out.data), out.numel);
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::gather(opts);
  });
}

void ProcessGroup::scatter(Span in, Span out, ElementType type, int root, uint32_t tag) {
  if (out.numel == 0) return;
  dispatch(type, [&](auto v) {
    using T = decltype(v);
    gloo::ScatterOptions opts(context_);
    opts.setRoot(root);
    if (rank_ == root) {
      std::vector<T*> parts(static_cast<size_t>(size_));
      for (int r = 0; r < size_; r++) parts[static_cast<size_t>(r)] = static_cast<T*>(in.data) + static_cast<size_t>(r) * out.numel;
      opts.setInputs(parts, out.numel);
    }
    opts.setOutput(static_cast<T*>(out.data), out.numel);
    opts.setTag(tag);
    opts.setTimeout(timeout_);
    gloo::scatter(opts);
  });
}

void ProcessGroup::barrier(uint32_t tag) {
  gloo::BarrierOptions opts(context_);
  opts.setTag(tag);
  opts.setTimeout(timeout_);
  gloo::barrier(opts);
}

std::unique_ptr<gloo::transport::UnboundBuffer> ProcessGroup::post_send(Span buf, ElementType type, int dst, uint32_t tag) {
  static char empty;
  auto ub = context_->createUnboundBuffer(buf.numel ? buf.data : &empty, buf.numel * element_size(type));
  ub->send(dst, tag);
  return ub;
}

std::unique_ptr<gloo::transport::UnboundBuffer> ProcessGroup::post_recv(Span buf, ElementType type, int src, uint32_t tag) {
  static char empty;
  auto ub = context_->createUnboundBuffer(buf.numel ? buf.data : &empty, buf.numel * element_size(type));
  ub->recv(src, tag);
  return ub;
}

void ProcessGroup::wait_send(gloo::transport::UnboundBuffer& ub) {
  if (!ub.waitSend(timeout_)) throw gloo::IoException("send was aborted");
}

void ProcessGroup::wait_recv(gloo::transport::UnboundBuffer& ub) {
  if (!ub.waitRecv(timeout_)) throw gloo::IoException("recv was aborted");
}

void ProcessGroup::close() {
  std::shared_ptr<gloo::Context> context;
  std::unique_ptr<TcpStoreServer> server;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    context = context_;
    server = std::move(server_);
  }
  if (context) context->closeConnections();
}

}  // namespace dist
}  // namespace kindling
