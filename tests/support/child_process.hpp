// What the test fixtures that run a helper process (roster serve, aiosmtpd,
// HAProxy) share: a free loopback port to give it, and a polite stop.
#pragma once

#include <sys/types.h>

#include <chrono>

namespace roster::test_support {

// A loopback TCP port the kernel considers free right now.
int FreeLoopbackPort();

// SIGTERM, then up to `grace` for the child to exit, then SIGKILL. Returns
// its exit code, or -1 when it had to be killed or died of a signal.
int StopChild(pid_t pid, std::chrono::milliseconds grace);

}  // namespace roster::test_support
