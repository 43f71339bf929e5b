#include "domain/audit.hpp"

#include <algorithm>

namespace roster::domain {

bool IsWellFormedAuditAction(std::string_view action) {
  if (action.empty() || action.size() > 64) return false;
  return std::all_of(action.begin(), action.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

}  // namespace roster::domain
