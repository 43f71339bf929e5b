#include "roster_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/child_process.hpp"

extern "C" char** environ;

namespace roster::testing {
namespace {

std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    auto equals = text.find('=');
    if (equals == std::string::npos) continue;
    std::string name = text.substr(0, equals);
    if (name.rfind("ROSTER_", 0) == 0) continue;  // tests set every ROSTER_* they mean
    merged[name] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : extra) merged[name] = value;
  std::vector<std::string> result;
  for (const auto& [name, value] : merged) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            int stdout_fd, int stderr_fd) {
  std::vector<std::string> argv = {RosterBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp = MergedEnvironment(env);
  auto argv_pointers = Pointers(argv);
  auto env_pointers = Pointers(envp);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Never outlive the test binary (a ctest timeout kills it), not even
    // when it died between the fork and this line.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(stdout_fd, STDOUT_FILENO);
    dup2(stderr_fd, STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    execve(argv_pointers[0], argv_pointers.data(), env_pointers.data());
    _exit(127);
  }
  return pid;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  return text;
}

// A sanitized build (ROSTER_SANITIZE) ends a process at its first error
// with a report on stderr, which for a child is only a log nobody reads: the
// report fails the test instead. Every sanitizer ends its report with
// "SUMMARY: <Name>Sanitizer: ...".
void ExpectNoSanitizerReport(const std::string& output, const std::string& source) {
  const std::string kSummary = "SUMMARY: ";
  const std::string kSanitizer = "Sanitizer:";
  std::size_t at = output.find(kSummary);
  for (; at != std::string::npos; at = output.find(kSummary, at + 1)) {
    std::size_t word_end = output.find_first_of(": \n", at + kSummary.size());
    if (word_end != std::string::npos && output[word_end] == ':' &&
        output.compare(word_end + 1 - kSanitizer.size(), kSanitizer.size(), kSanitizer) == 0) {
      break;
    }
  }
  if (at == std::string::npos) return;
  std::size_t end = at + 200;
  std::size_t start = end > 12000 ? end - 12000 : 0;
  ADD_FAILURE() << source << " reported a sanitizer error:\n" << output.substr(start, end - start);
}

std::string FileText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string RosterBinary() { return ROSTER_BINARY; }

CommandResult RunRoster(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = Spawn(args, env, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult result;
  std::thread err_reader([&] { result.err = ReadAll(err_pipe[0]); });
  result.out = ReadAll(out_pipe[0]);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  ExpectNoSanitizerReport(result.err, "roster " + (args.empty() ? std::string() : args.front()));
  return result;
}

RosterServer::RosterServer(std::map<std::string, std::string> env, std::filesystem::path log_file)
    : log_file_(std::move(log_file)) {
  if (!env.count("ROSTER_LISTEN")) env["ROSTER_LISTEN"] = "127.0.0.1:0";
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  int log_fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = Spawn({"serve"}, env, out_pipe[1], log_fd);
  close(out_pipe[1]);
  close(log_fd);
  // Wait for the "listening on" line (or the child's end) with a deadline.
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  while (std::chrono::steady_clock::now() < deadline) {
    char buffer[512];
    ssize_t n = read(out_pipe[0], buffer, sizeof buffer);
    if (n > 0) {
      seen.append(buffer, n);
      auto at = seen.find("listening on ");
      auto end = at == std::string::npos ? std::string::npos : seen.find('\n', at);
      if (end != std::string::npos) {
        url_ = seen.substr(at + 13, end - at - 13);
        break;
      }
    } else if (n == 0) {
      break;  // the child closed stdout: it exited
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  close(out_pipe[0]);
  if (url_.empty()) {
    Kill();
    throw std::runtime_error("roster serve did not start; see " + log_file_.string());
  }
}

RosterServer::~RosterServer() {
  if (pid_ > 0) Stop();
}

int RosterServer::Stop(int signal) {
  if (pid_ <= 0) return -1;
  int code = test_support::StopChild(pid_, std::chrono::seconds(20), signal);
  pid_ = -1;
  ExpectNoSanitizerReport(FileText(log_file_), "roster serve (" + log_file_.string() + ")");
  return code;
}

void RosterServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  ExpectNoSanitizerReport(FileText(log_file_), "roster serve (" + log_file_.string() + ")");
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "roster-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!std::getenv("ROSTER_KEEP_TEST_DIRS")) std::filesystem::remove_all(path_, ignored);
}

}  // namespace roster::testing
