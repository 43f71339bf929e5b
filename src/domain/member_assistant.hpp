#pragma once

#include <string>

#include "core/ids.hpp"

namespace roster::domain {

// An assistant a member is assigned to, as the member list shows it.
struct MemberAssistant {
  Id id = 0;
  std::string name;
  bool manager = false;  // he is its assistant manager
};

}  // namespace roster::domain
