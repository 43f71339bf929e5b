// What the test fixtures that run a helper process (roster serve, aiosmtpd,
// HAProxy) share: a free loopback port to give it, a start with its output
// in a log, and a polite stop.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace roster::test_support {

// A loopback TCP port the kernel considers free right now.
int FreeLoopbackPort();

// Starts `arguments` (an absolute program path first) with stdin from
// /dev/null and stdout and stderr appended to `log`. The child is killed if
// the test binary dies first. Returns its pid.
pid_t StartChild(std::vector<std::string> arguments, const std::filesystem::path& log);

// The last `bytes` of a (log) file, for an error message.
std::string FileTail(const std::filesystem::path& path, std::size_t bytes = 2000);

// `signal` (SIGTERM), then up to `grace` for the child to exit, then SIGKILL. Returns
// its exit code, or -1 when it had to be killed or died of a signal.
int StopChild(pid_t pid, std::chrono::milliseconds grace, int signal = SIGTERM);

}  // namespace roster::test_support
