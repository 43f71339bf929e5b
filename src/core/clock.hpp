#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster {

// Times are whole seconds since the Unix epoch, UTC, in storage and in code;
// they are rendered as RFC 3339 only at the edges (JSON, e-mail).
using UnixSeconds = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds Now() const override;
};

// "2026-11-30T01:51:06Z"
std::string FormatRfc3339(UnixSeconds t);
// An RFC 3339 date-time naming a real time (no month 13, no February 30, no
// leap second): "2026-11-30T01:51:06Z", with a fraction of the second
// (dropped), an offset ("+05:30") or lower-case "t" and "z"; nullopt for
// anything else.
std::optional<UnixSeconds> ParseRfc3339(std::string_view text);

}  // namespace roster
