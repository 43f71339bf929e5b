// Waiting in tests for what another thread or process does at its own pace.
#pragma once

#include <chrono>
#include <thread>

namespace roster::test_support {

// Polls `condition` every `interval` until it holds or `timeout` passes;
// whether it held. The timeout bounds only how long a failing test waits:
// a condition that holds returns at the next poll.
template <class Condition>
bool Eventually(Condition condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20),
                std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace roster::test_support
