#include "auth/sodium.hpp"

#include <sodium.h>

namespace roster {

bool InitializeSodium() {
  // A function-local static is initialized exactly once, even when several
  // threads arrive together; sodium_init() returns 1 if already initialized.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace roster
