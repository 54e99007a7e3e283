// native/src/distributed/addon.cc — the kindling_dist addon (built only where Gloo is installed):
// a Group object whose operations run on threads of their own and report back to JavaScript
// through one thread-safe function, so the event loop never blocks on the network.
//
// Note [Distributed threads]
// Collectives run one at a time, in issue order, on the group's collective thread: every rank
// issues them in the same order with the same tags, as ProcessGroupGloo requires. Sends and
// receives are posted at once on the calling thread (posting does not block, so a rank may post a
// receive before its send) and waited for on a second thread. JavaScript keeps every buffer it
// passes alive until the operation's completion arrives.
#include <napi.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <gloo/transport/unbound_buffer.h>

#include "process_group.h"

namespace kindling {
namespace dist {
namespace {

struct Completion {
  double id;
  std::string error;  // empty on success
};

void deliver(Napi::Env env, Napi::Function callback, Completion* done) {
  if (env != nullptr && callback != nullptr) {
    Napi::Value error = done->error.empty() ? env.Null() : Napi::String::New(env, done->error);
    callback.Call({Napi::Number::New(env, done->id), error});
  }
  delete done;
}

// One thread running tasks in order; it ends after `stop` once its queue is empty.
class TaskThread {
 public:
  explicit TaskThread(Napi::ThreadSafeFunction tsfn) : tsfn_(tsfn) {
    // Detached from the start: the thread owns this object and deletes it when it ends.
    std::thread([this] { run(); }).detach();
  }
  void post(double id, std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back({id, std::move(task)});
    cv_.notify_one();
  }
  // Ends the thread once the task it runs (if any) returns: queued tasks are reported as
  // failed without running. The object may be deleted as soon as the lock is released.
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cv_.notify_one();
  }

 private:
  void run() {
    for (;;) {
      std::pair<double, std::function<void()>> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) break;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      auto* done = new Completion{task.first, {}};
      try {
        if (stopping()) throw std::runtime_error("the process group was destroyed");
        task.second();
      } catch (const std::exception& e) {
        done->error = e.what();
        if (done->error.empty()) done->error = "unknown error";
      } catch (...) {
        done->error = "unknown error";
      }
      if (tsfn_.BlockingCall(done, deliver) != napi_ok) delete done;
    }
    tsfn_.Release();
    delete this;
  }

  bool stopping() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }

  Napi::ThreadSafeFunction tsfn_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<double, std::function<void()>>> tasks_;
  bool stopping_ = false;
};

Span span_of(const Napi::Value& v) {
  if (!v.IsTypedArray()) return {};
  auto arr = v.As<Napi::TypedArray>();
  return {static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset(), arr.ElementLength()};
}

ElementType type_of(const Napi::Value& v) {
  switch (v.As<Napi::TypedArray>().TypedArrayType()) {
    case napi_float32_array: return ElementType::kF32;
    case napi_float64_array: return ElementType::kF64;
    case napi_int32_array: return ElementType::kI32;
    default: return ElementType::kU8;
  }
}

class Group : public Napi::ObjectWrap<Group> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Group",
                       {
                           InstanceMethod("connectTcp", &Group::ConnectTcp),
                           InstanceMethod("connectFile", &Group::ConnectFile),
                           InstanceMethod("allreduce", &Group::Allreduce),
                           InstanceMethod("broadcast", &Group::Broadcast),
                           InstanceMethod("reduce", &Group::Reduce),
                           InstanceMethod("allgather", &Group::Allgather),
                           InstanceMethod("gather", &Group::Gather),
                           InstanceMethod("scatter", &Group::Scatter),
                           InstanceMethod("barrier", &Group::Barrier),
                           InstanceMethod("send", &Group::Send),
                           InstanceMethod("recv", &Group::Recv),
                           InstanceMethod("ref", &Group::Ref),
                           InstanceMethod("unref", &Group::Unref),
                           InstanceMethod("close", &Group::Close),
                       });
  }

  // new Group(rank, size, timeoutMs, onComplete(id, error))
  explicit Group(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Group>(info) {
    const int rank = info[0].As<Napi::Number>().Int32Value(), size = info[1].As<Napi::Number>().Int32Value();
    const auto timeout = std::chrono::milliseconds(info[2].As<Napi::Number>().Int64Value());
    group_ = std::make_shared<ProcessGroup>(rank, size, timeout);
    // Three holders: this object and the two task threads; the last release finalizes it.
    tsfn_ = Napi::ThreadSafeFunction::New(info.Env(), info[3].As<Napi::Function>(), "kindling_dist", 0, 3);
    tsfn_.Unref(info.Env());
    collectives_ = new TaskThread(tsfn_);
    p2p_ = new TaskThread(tsfn_);
  }

  ~Group() override { Shutdown(); }

 private:
  void Post(TaskThread* thread, const Napi::CallbackInfo& info, std::function<void(ProcessGroup&)> op) {
    if (closed_) return;
    auto group = group_;
    thread->post(info[0].As<Napi::Number>().DoubleValue(), [group, op] { op(*group); });
  }
  static uint32_t Tag(const Napi::CallbackInfo& info) { return info[1].As<Napi::Number>().Uint32Value(); }
  static int Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

  // connectTcp(id, host, port, serve, deviceHost, iface)
  Napi::Value ConnectTcp(const Napi::CallbackInfo& info) {
    std::string host = info[1].As<Napi::String>(), device = info[4].As<Napi::String>(), iface = info[5].As<Napi::String>();
    int port = Int(info, 2);
    bool serve = info[3].As<Napi::Boolean>();
    Post(collectives_, info, [=](ProcessGroup& g) { g.connect_tcp(host, port, serve, device, iface); });
    return info.Env().Undefined();
  }
  // connectFile(id, directory, deviceHost, iface)
  Napi::Value ConnectFile(const Napi::CallbackInfo& info) {
    std::string path = info[1].As<Napi::String>(), device = info[2].As<Napi::String>(), iface = info[3].As<Napi::String>();
    Post(collectives_, info, [=](ProcessGroup& g) { g.connect_file(path, device, iface); });
    return info.Env().Undefined();
  }
  // allreduce(id, tag, array, op)
  Napi::Value Allreduce(const Napi::CallbackInfo& info) {
    Span buf = span_of(info[2]);
    ElementType type = type_of(info[2]);
    auto op = static_cast<ReduceOp>(Int(info, 3));
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.allreduce(buf, type, op, tag); });
    return info.Env().Undefined();
  }
  // broadcast(id, tag, array, root)
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    Span buf = span_of(info[2]);
    ElementType type = type_of(info[2]);
    int root = Int(info, 3);
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.broadcast(buf, type, root, tag); });
    return info.Env().Undefined();
  }
  // reduce(id, tag, array, op, root)
  Napi::Value Reduce(const Napi::CallbackInfo& info) {
    Span buf = span_of(info[2]);
    ElementType type = type_of(info[2]);
    auto op = static_cast<ReduceOp>(Int(info, 3));
    int root = Int(info, 4);
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.reduce(buf, type, op, root, tag); });
    return info.Env().Undefined();
  }
  // allgather(id, tag, input, output)
  Napi::Value Allgather(const Napi::CallbackInfo& info) {
    Span in = span_of(info[2]), out = span_of(info[3]);
    ElementType type = type_of(info[2]);
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.allgather(in, out, type, tag); });
    return info.Env().Undefined();
  }
  // gather(id, tag, input, output or null, root)
  Napi::Value Gather(const Napi::CallbackInfo& info) {
    Span in = span_of(info[2]), out = span_of(info[3]);
    ElementType type = type_of(info[2]);
    int root = Int(info, 4);
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.gather(in, out, type, root, tag); });
    return info.Env().Undefined();
  }
  // scatter(id, tag, input or null, output, root)
  Napi::Value Scatter(const Napi::CallbackInfo& info) {
    Span in = span_of(info[2]), out = span_of(info[3]);
    ElementType type = type_of(info[3]);
    int root = Int(info, 4);
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.scatter(in, out, type, root, tag); });
    return info.Env().Undefined();
  }
  // barrier(id, tag)
  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    uint32_t tag = Tag(info);
    Post(collectives_, info, [=](ProcessGroup& g) { g.barrier(tag); });
    return info.Env().Undefined();
  }
  // send(id, tag, array, dst) → null, or the error message when posting failed
  Napi::Value Send(const Napi::CallbackInfo& info) { return PointToPoint(info, true); }
  // recv(id, tag, array, src) → null, or the error message when posting failed
  Napi::Value Recv(const Napi::CallbackInfo& info) { return PointToPoint(info, false); }

  Napi::Value PointToPoint(const Napi::CallbackInfo& info, bool send) {
    if (closed_) return Napi::String::New(info.Env(), "the process group was destroyed");
    Span buf = span_of(info[2]);
    ElementType type = type_of(info[2]);
    int peer = Int(info, 3);
    std::shared_ptr<gloo::transport::UnboundBuffer> ub;
    try {
      ub = send ? group_->post_send(buf, type, peer, Tag(info)) : group_->post_recv(buf, type, peer, Tag(info));
    } catch (const std::exception& e) {
      return Napi::String::New(info.Env(), e.what());
    }
    Post(p2p_, info, [ub, send](ProcessGroup& g) { send ? g.wait_send(*ub) : g.wait_recv(*ub); });
    return info.Env().Null();
  }

  // While operations are pending the group keeps Node's event loop alive; idle, it lets it exit.
  Napi::Value Ref(const Napi::CallbackInfo& info) {
    if (!closed_) tsfn_.Ref(info.Env());
    return info.Env().Undefined();
  }
  Napi::Value Unref(const Napi::CallbackInfo& info) {
    if (!closed_) tsfn_.Unref(info.Env());
    return info.Env().Undefined();
  }
  Napi::Value Close(const Napi::CallbackInfo& info) {
    // Operations still in flight must not keep the process alive once the group is gone.
    if (!closed_) tsfn_.Unref(info.Env());
    Shutdown();
    return info.Env().Undefined();
  }

  // Breaks the connections (pending operations then fail) and lets the threads drain and end.
  void Shutdown() {
    if (closed_) return;
    closed_ = true;
    group_->close();
    collectives_->stop();
    p2p_->stop();
    tsfn_.Release();
  }

  std::shared_ptr<ProcessGroup> group_;
  Napi::ThreadSafeFunction tsfn_;
  TaskThread* collectives_ = nullptr;  // each deletes itself when it ends
  TaskThread* p2p_ = nullptr;
  bool closed_ = false;
};

}  // namespace
}  // namespace dist
}  // namespace kindling

static Napi::Object InitDist(Napi::Env env, Napi::Object exports) {
  exports.Set("Group", kindling::dist::Group::Define(env));
  return exports;
}

NODE_API_MODULE(kindling_dist, InitDist)
