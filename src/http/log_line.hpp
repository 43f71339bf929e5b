#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace roster::http {

// A structured log line: `event=NAME key=value key="value with spaces"`.
// Values are quoted when they contain a space, '"', '=' or '\'; control
// characters and bytes >= 0x7f are written as \xNN, so client-supplied text
// cannot forge a line or a field.
class LogLine {
 public:
  explicit LogLine(std::string_view event);

  LogLine& Add(std::string_view key, std::string_view value);
  LogLine& Add(std::string_view key, long long value);
  // Milliseconds with three decimals.
  LogLine& AddMilliseconds(std::string_view key, std::chrono::nanoseconds duration);
  // RFC 3339 UTC with milliseconds: 2026-11-30T01:51:06.123Z.
  LogLine& AddTime(std::string_view key, std::chrono::system_clock::time_point time);

  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace roster::http
