#pragma once

namespace roster {

// Calls sodium_init() once per process (later calls return the first
// answer). Thread-safe. True when libsodium is usable; false means the
// process has no CSPRNG and must not issue secrets.
[[nodiscard]] bool InitializeSodium();

}  // namespace roster
