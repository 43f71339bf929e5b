#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace roster::cluster_test {

// A TCP relay on a free loopback port to `host:port` (PostgreSQL), which
// can stall: it then passes no byte either way and serves no new
// connection, while the kernel still accepts connections and acknowledges
// what is sent: a database server as a client sees it when the server is
// frozen (a stalled disk, a paused VM, SIGSTOP), which neither refuses
// nor resets anything.
class StallingRelay {
 public:
  StallingRelay(std::string host, int port);
  ~StallingRelay();
  StallingRelay(const StallingRelay&) = delete;
  StallingRelay& operator=(const StallingRelay&) = delete;

  int port() const { return port_; }
  void Stall();
  void Resume();
  // Bytes that arrived on the relay's sockets and wait unread: while
  // stalled, what a client sent since (a query waiting for its answer).
  std::size_t UnreadBytes();

 private:
  void Accept();
  void Serve(int client);
  // Copies from `from` to `to` until either closes; holds still while stalled.
  void Pump(int from, int to);
  // False when the relay is going away.
  bool WaitWhileStalled();

  std::string host_;
  int target_port_;
  int listener_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable resumed_;
  bool stalled_ = false;          // GUARDED_BY(mutex_)
  bool stopping_ = false;         // GUARDED_BY(mutex_)
  std::vector<int> sockets_;      // GUARDED_BY(mutex_): shut when stopping
  std::vector<std::thread> threads_;  // GUARDED_BY(mutex_)
  std::thread acceptor_;
};

}  // namespace roster::cluster_test
