#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster {

// Row identifiers are database-assigned 64-bit integers. Clients see them as
// opaque decimal strings and must not do arithmetic on them.
using Id = std::int64_t;

std::string FormatId(Id id);
// nullopt unless `text` is a positive decimal integer without sign or padding.
std::optional<Id> ParseId(std::string_view text);

}  // namespace roster
