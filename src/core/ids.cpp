#include "core/ids.hpp"

#include <charconv>

namespace roster {

std::string FormatId(Id id) { return std::to_string(id); }

std::optional<Id> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  Id id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace roster
