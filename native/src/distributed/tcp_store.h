// native/src/distributed/tcp_store.h — the rendezvous store that rank 0 serves over TCP (the role of
// PyTorch's TCPStore): a key-value map that every rank reaches through a gloo::rendezvous::Store client.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gloo/rendezvous/store.h>

namespace kindling {
namespace dist {

// Serves the map on a listening socket, one thread per connection (a group has few ranks).
class TcpStoreServer {
 public:
  // Binds host:port (port 0 picks a free one); throws std::runtime_error when the bind fails.
  TcpStoreServer(const std::string& host, int port);
  ~TcpStoreServer();
  int port() const { return port_; }

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;  // guards map_, clients_, workers_
  std::map<std::string, std::vector<char>> map_;
  std::vector<int> clients_;
  std::vector<std::thread> workers_;
};

// A client of TcpStoreServer. Connection retries and waits poll until the timeout, so a rank that
// starts before rank 0 (or a peer that never arrives) ends in a clear timeout error.
class TcpStoreClient : public gloo::rendezvous::Store {
 public:
  TcpStoreClient(const std::string& host, int port, std::chrono::milliseconds timeout);
  ~TcpStoreClient() override;
  void set(const std::string& key, const std::vector<char>& data) override;
  std::vector<char> get(const std::string& key) override;
  void wait(const std::vector<std::string>& keys) override;
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;

 private:
  bool try_get(const std::string& key, std::vector<char>* out);

  int fd_ = -1;
  std::string where_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
};

// The timeout message for a key that never appeared; it names the rank when the key is a rank's address.
std::string describe_wait(const std::string& key, std::chrono::milliseconds timeout);

}  // namespace dist
}  // namespace kindling
