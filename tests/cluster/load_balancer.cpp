#include "load_balancer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "http_client.hpp"
#include "support/child_process.hpp"

namespace roster::cluster_test {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHaproxy = "/usr/sbin/haproxy";
constexpr std::chrono::seconds kStartDeadline{15};
constexpr std::chrono::milliseconds kPollPause{20};

// "http://127.0.0.1:8080" -> "127.0.0.1:8080"
std::string HostPort(const std::string& url) {
  auto start = url.find("://");
  return start == std::string::npos ? url : url.substr(start + 3);
}

}  // namespace

bool LoadBalancer::Available() { return ::access(kHaproxy, X_OK) == 0; }

std::string LoadBalancer::Config(int frontend_port, const std::vector<std::string>& backend_urls) {
  std::ostringstream config;
  config << "global\n"
            "    maxconn 2000\n"
            "\n"
            "defaults\n"
            "    mode http\n"
            "    option forwardfor\n"  // X-Forwarded-For: the client's address
            "    timeout connect 2s\n"
            "    timeout client 65s\n"
            "    timeout server 65s\n"
            "    timeout http-request 30s\n"
            "\n"
            "frontend roster\n"
            "    bind 127.0.0.1:" << frontend_port << "\n"
            "    default_backend roster_servers\n"
            "\n"
            "backend roster_servers\n"
            "    balance roundrobin\n"
            "    option httpchk\n"
            "    http-check send meth GET uri /readyz\n"
            "    http-check expect status 200\n"
            "    http-response set-header X-Roster-Backend %[srv_name]\n"
            "    default-server check inter 1s fall 2 rise 1\n";
  for (std::size_t i = 0; i < backend_urls.size(); ++i) {
    config << "    server roster" << i + 1 << " " << HostPort(backend_urls[i]) << "\n";
  }
  return config.str();
}

LoadBalancer::LoadBalancer(const std::vector<std::string>& backend_urls, const fs::path& directory) {
  fs::path config_path = directory / "haproxy.cfg";
  fs::path log_path = directory / "haproxy.log";
  // The port is free when chosen; should another process take it first,
  // HAProxy exits at once and the next port is tried.
  for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) {
    int port = test_support::FreeLoopbackPort();
    std::ofstream(config_path) << Config(port, backend_urls);
    pid_ = test_support::StartChild({kHaproxy, "-db", "-f", config_path.string()}, log_path);
    url_ = "http://127.0.0.1:" + std::to_string(port);
    auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
    while (!Answers(backend_urls.size())) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        Stop();
        throw std::runtime_error("HAProxy did not reach every backend within 15 s: " +
                                 test_support::FileTail(log_path));
      }
      std::this_thread::sleep_for(kPollPause);
    }
  }
  if (pid_ < 0) throw std::runtime_error("HAProxy did not start: " + test_support::FileTail(log_path));
}

LoadBalancer::~LoadBalancer() { Stop(); }

bool LoadBalancer::Answers(std::size_t backend_count) const {
  std::set<std::string> answered;
  testing::HttpClient client(url_);
  for (std::size_t i = 0; i < 2 * backend_count; ++i) {
    try {
      testing::HttpResponse ready = client.Get("/readyz");
      if (ready.status == 200) answered.insert(ready.Header("x-roster-backend"));
    } catch (const std::runtime_error&) {
      return false;  // not listening yet
    }
  }
  return answered.size() == backend_count;
}

void LoadBalancer::Stop() {
  if (pid_ <= 0) return;
  test_support::StopChild(pid_, std::chrono::seconds(5));
  pid_ = -1;
}

}  // namespace roster::cluster_test
