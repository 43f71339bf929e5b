#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace roster::http {

// How log lines reach stderr (ROSTER_LOG_FORMAT).
//   kText: `2026-12-02T11:31:50.123Z info event=http_request method=GET ...`
//   kJson: one JSON object per line, `{"time":"2026-12-02T11:31:50.123Z",
//          "level":"info","event":"http_request","request_id":"9f2c...",
//          "method":"GET",...}`.
// The JSON object is made from the same text: `key=value` pairs (LogLine's,
// or a format string's) become string members in their order; a line that
// does not start with `event=` becomes {"event":"log","message":TEXT}.
// Nothing a field holds can add a member that the line did not name, nor
// replace `time`, `level`, `event` or `request_id`.
enum class LogFormat { kText, kJson };

// Installs the format on spdlog's default logger (and every other one).
void SetLogFormat(LogFormat format);

// One text log line without its line end: time, `level`, then the message.
// A message of `key=value` fields is written as LogLine writes them (a
// format string's value with spaces quoted, control bytes and bytes outside
// ASCII as \xNN), so that every line parses as logfmt; another message has
// only those bytes escaped.
std::string FormatTextLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view message);

// One JSON log line without its line end; `level` as spdlog names it.
std::string FormatJsonLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view message, std::string_view request_id);

// The request the calling thread works for, or empty. JSON log lines carry
// it as `request_id`, so the lines one request caused can be found together.
std::string_view CurrentRequestId();

// Makes `id` the calling thread's request id until destroyed, then restores
// the previous one.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string_view id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

// A fresh request id: 16 lowercase hexadecimal digits, random, so ids of
// several processes behind one load balancer do not collide in practice.
std::string NewRequestId();

}  // namespace roster::http
