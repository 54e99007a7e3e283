// native/src/distributed/tcp_store.cc — the TCP rendezvous store: a tiny request/reply protocol
// (op byte, length-prefixed key and value) over blocking sockets.
#include "tcp_store.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <gloo/common/error.h>

namespace kindling {
namespace dist {
namespace {

constexpr uint8_t kSet = 1;
constexpr uint8_t kGet = 2;

bool write_all(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool write_blob(int fd, const char* data, uint32_t n) {
  return write_all(fd, &n, sizeof n) && (n == 0 || write_all(fd, data, n));
}

bool read_blob(int fd, std::vector<char>* out) {
  uint32_t n = 0;
  if (!read_all(fd, &n, sizeof n)) return false;
  out->resize(n);
  return n == 0 || read_all(fd, out->data(), n);
}

// Resolves host:port to an IPv4/IPv6 address list (getaddrinfo), for both the server and clients.
addrinfo* resolve(const std::string& host, int port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (passive) hints.ai_flags = AI_PASSIVE;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) throw std::runtime_error("cannot resolve " + host + ": " + gai_strerror(rc));
  return list;
}

}  // namespace

std::string describe_wait(const std::string& key, std::chrono::milliseconds timeout) {
  const std::string ms = std::to_string(timeout.count()) + " ms";
  // connectFullMesh keys each rank's address by the rank's number.
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
    return "Timed out after " + ms + " waiting for rank " + key + " to join the process group";
  }
  return "Timed out after " + ms + " waiting for key '" + key + "' in the store";
}

TcpStoreServer::TcpStoreServer(const std::string& host, int port) {
  addrinfo* list = resolve(host, port, true);
  std::string error = "no address";
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(list);
  if (listen_fd_ < 0) {
    throw std::runtime_error("The server socket has failed to bind to " + host + ":" + std::to_string(port) + " (" + error + ")");
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpStoreServer::~TcpStoreServer() {
  stopping_ = true;
  // shutdown() wakes the threads blocked in accept() and recv(); close() alone would not.
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  for (int fd : clients_) ::close(fd);
  ::close(listen_fd_);
}

void TcpStoreServer::accept_loop() {
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    clients_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void TcpStoreServer::serve(int fd) {
  std::vector<char> key, value;
  for (;;) {
    uint8_t op = 0;
    if (!read_all(fd, &op, 1) || !read_blob(fd, &key)) return;
    std::string k(key.begin(), key.end());
    if (op == kSet) {
      if (!read_blob(fd, &value)) return;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        map_[k] = value;
      }
      uint8_t ok = 1;
      if (!write_all(fd, &ok, 1)) return;
    } else if (op == kGet) {
      uint8_t found = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = map_.find(k);
        if (it != map_.end()) {
          found = 1;
          value = it->second;
        }
      }
      if (!write_all(fd, &found, 1)) return;
      if (found && !write_blob(fd, value.data(), static_cast<uint32_t>(value.size()))) return;
    } else {
      return;
    }
  }
}

TcpStoreClient::TcpStoreClient(const std::string& host, int port, std::chrono::milliseconds timeout)
    : where_(host + ":" + std::to_string(port)), timeout_(timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string error;
  // Rank 0 may start its server after the others start connecting: retry until the deadline.
  while (fd_ < 0) {
    addrinfo* list = resolve(host, port, false);
    for (addrinfo* a = list; a != nullptr && fd_ < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fd_ = fd;
      } else {
        error = std::strerror(errno);
        ::close(fd);
      }
    }
    freeaddrinfo(list);
    if (fd_ >= 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      throw gloo::IoException("Timed out after " + std::to_string(timeout.count()) + " ms connecting to the store at " + where_ +
                              " (" + error + "); is rank 0 running?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // A store that disappears mid-request (rank 0 died) must not block a client forever.
  timeval tv{};
  tv.tv_sec = static_cast<long>(timeout.count() / 1000);
  tv.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

TcpStoreClient::~TcpStoreClient() {
  if (fd_ >= 0) ::close(fd_);
}

void TcpStoreClient::set(const std::string& key, const std::vector<char>& data) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint8_t op = kSet, ok = 0;
  if (!write_all(fd_, &op, 1) || !write_blob(fd_, key.data(), static_cast<uint32_t>(key.size())) ||
      !write_blob(fd_, data.data(), static_cast<uint32_t>(data.size())) || !read_all(fd_, &ok, 1)) {
    throw gloo::IoException("lost the connection to the store at " + where_);
  }
}

bool TcpStoreClient::try_get(const std::string& key, std::vector<char>* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint8_t op = kGet, found = 0;
  if (!write_all(fd_, &op, 1) || !write_blob(fd_, key.data(), static_cast<uint32_t>(key.size())) || !read_all(fd_, &found, 1) ||
      (found && !read_blob(fd_, out))) {
    throw gloo::IoException("lost the connection to the store at " + where_);
  }
  return found != 0;
}

std::vector<char> TcpStoreClient::get(const std::string& key) {
  wait({key});
  std::vector<char> value;
  try_get(key, &value);
  return value;
}

void TcpStoreClient::wait(const std::vector<std::string>& keys) { wait(keys, timeout_); }

void TcpStoreClient::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<char> scratch;
  for (const auto& key : keys) {
    // Polling keeps the server free of blocked requests; rendezvous happens once per group.
    while (!try_get(key, &scratch)) {
      if (std::chrono::steady_clock::now() >= deadline) throw gloo::IoException(describe_wait(key, timeout));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

}  // namespace dist
}  // namespace kindling
