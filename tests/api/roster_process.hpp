#pragma once

#include <sys/types.h>

#include <csignal>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace roster::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/roster with `args` and extra environment, waits for it. A
// sanitizer's report on its stderr fails the running test.
CommandResult RunRoster(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env);

// A `roster serve` child process on 127.0.0.1:0. The constructor returns
// once the server printed its "listening on" line. When it is stopped or
// killed, a sanitizer's report in its log fails the running test.
class RosterServer {
 public:
  RosterServer(std::map<std::string, std::string> env, std::filesystem::path log_file);
  ~RosterServer();
  RosterServer(const RosterServer&) = delete;
  RosterServer& operator=(const RosterServer&) = delete;

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  // `signal` (SIGTERM), then wait; returns the exit status (or -1 when it
  // had to be killed, or died of the signal).
  int Stop(int signal = SIGTERM);
  void Kill();  // SIGKILL, as a crash would

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::filesystem::path log_file_;
};

// A fresh directory under /tmp, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The binary under test.
std::string RosterBinary();

}  // namespace roster::testing
