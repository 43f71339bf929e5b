#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace roster::cluster_test {

// Debian's HAProxy as a child process: HTTP mode on a free loopback port,
// roundrobin over `backend_urls` (named roster1, roster2, ...), `option
// forwardfor`, health checks on /readyz, and every response tagged with the
// server that answered it (X-Roster-Backend). The constructor returns once
// HAProxy answered through every backend.
class LoadBalancer {
 public:
  LoadBalancer(const std::vector<std::string>& backend_urls, const std::filesystem::path& directory);
  ~LoadBalancer();
  LoadBalancer(const LoadBalancer&) = delete;
  LoadBalancer& operator=(const LoadBalancer&) = delete;

  const std::string& url() const { return url_; }

  // True when Debian's HAProxy is installed (/usr/sbin/haproxy).
  static bool Available();

  // The configuration the test runs with; docs/deploy.md shows the same.
  static std::string Config(int frontend_port, const std::vector<std::string>& backend_urls);

 private:
  bool Answers(std::size_t backend_count) const;
  void Stop();

  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace roster::cluster_test
