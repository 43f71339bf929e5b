#include "http/log_line.hpp"

#include <ctime>

#include <fmt/format.h>

namespace roster::http {

LogLine::LogLine(std::string_view event) { Add("event", event); }

LogLine& LogLine::Add(std::string_view key, std::string_view value) {
  if (!text_.empty()) text_ += ' ';
  text_ += key;
  text_ += '=';
  bool quote = value.empty() || value.find_first_of(" \"=\\") != std::string_view::npos;
  if (quote) text_ += '"';
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      text_ += fmt::format("\\x{:02x}", byte);
    } else if (c == '"' || c == '\\') {
      text_ += '\\';
      text_ += c;
    } else {
      text_ += c;
    }
  }
  if (quote) text_ += '"';
  return *this;
}

LogLine& LogLine::Add(std::string_view key, long long value) {
  return Add(key, std::string_view(std::to_string(value)));
}

LogLine& LogLine::AddMilliseconds(std::string_view key, std::chrono::nanoseconds duration) {
  return Add(key, std::string_view(fmt::format("{:.3f}", duration.count() / 1e6)));
}

LogLine& LogLine::AddTime(std::string_view key, std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto since_epoch = time.time_since_epoch();
  std::time_t seconds = duration_cast<std::chrono::seconds>(since_epoch).count();
  auto millis = duration_cast<milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return Add(key, std::string_view(fmt::format("{}.{:03d}Z", std::string_view(text, length),
                                               static_cast<int>(millis))));
}

}  // namespace roster::http
