#include "http/log_format.hpp"

#include <cctype>
#include <memory>
#include <random>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include "http/log_line.hpp"

namespace roster::http {
namespace {

thread_local std::string current_request_id;

// `2026-12-02T11:31:50.123Z`, the seconds' part formatted once a second.
void AppendTime(std::chrono::system_clock::time_point time, std::string& out) {
  using namespace std::chrono;
  thread_local std::time_t cached_second = -1;
  thread_local char cached[24];
  auto since_epoch = time.time_since_epoch();
  std::time_t seconds = duration_cast<std::chrono::seconds>(since_epoch).count();
  if (seconds != cached_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second = seconds;
  }
  out += cached;
  auto millis = duration_cast<milliseconds>(since_epoch).count() % 1000;
  out += fmt::format(".{:03d}Z", static_cast<int>(millis));
}

std::string FormatMillisecondsUtc(std::chrono::system_clock::time_point time) {
  std::string text;
  AppendTime(time, text);
  return text;
}

bool IsKeyStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// The length of the `key` of a `key=` at text[at], or 0 when there is none.
std::size_t KeyLength(std::string_view text, std::size_t at) {
  if (at >= text.size() || !IsKeyStart(text[at])) return 0;
  std::size_t end = at + 1;
  while (end < text.size() && IsKeyChar(text[end])) ++end;
  return end < text.size() && text[end] == '=' ? end - at : 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Undoes LogLine's escapes: \xNN always, \" and \\ inside quotes. Any other
// backslash is text (a format string's value may hold one).
void AppendUnescaped(std::string_view raw, bool quoted, std::string& out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 3 < raw.size() && raw[i + 1] == 'x' &&
        HexDigit(raw[i + 2]) >= 0 && HexDigit(raw[i + 3]) >= 0) {
      out += static_cast<char>(HexDigit(raw[i + 2]) * 16 + HexDigit(raw[i + 3]));
      i += 3;
    } else if (quoted && raw[i] == '\\' && i + 1 < raw.size() &&
               (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
      out += raw[++i];
    } else {
      out += raw[i];
    }
  }
}

struct Field {
  std::string key;
  std::string value;
};

// The end of a quoted value that starts at text[at] == '"': the index after
// its closing quote, or npos when it is not closed.
std::size_t QuotedEnd(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// `event=x a=1 b="two words" c=three words` -> event, a, b, c ("three
// words": a word that is no `key=` continues the value before it, as an
// unquoted format-string value with spaces reads).
std::vector<Field> ParseFields(std::string_view text) {
  std::vector<Field> fields;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t word = text.find_first_not_of(' ', at);
    if (word == std::string_view::npos) break;
    std::size_t key_length = KeyLength(text, word);
    if (key_length > 0) {
      Field field{std::string(text.substr(word, key_length)), {}};
      std::size_t value = word + key_length + 1;
      std::size_t end = value < text.size() && text[value] == '"' ? QuotedEnd(text, value)
                                                                  : std::string_view::npos;
      if (end != std::string_view::npos && (end == text.size() || text[end] == ' ')) {
        AppendUnescaped(text.substr(value + 1, end - value - 2), true, field.value);
      } else {
        end = std::min(text.find(' ', value), text.size());
        AppendUnescaped(text.substr(value, end - value), false, field.value);
      }
      fields.push_back(std::move(field));
      at = end;
    } else {
      std::size_t end = std::min(text.find(' ', word), text.size());
      // Only reached after the first field: the caller checked `event=`.
      fields.back().value += text.substr(at, word - at);
      AppendUnescaped(text.substr(word, end - word), false, fields.back().value);
      at = end;
    }
  }
  return fields;
}

// Whether a line already reads as LogLine writes it: no control bytes nor
// bytes outside ASCII, and outside quotes every space starts a `key=`. A
// format string's free-text value ("error={}" with a driver's message) is
// not: it is rewritten (FormatTextLogLine).
bool IsLogfmt(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte >= 0x7f) return false;
    if (quoted) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        quoted = false;
      }
    } else if (text[i] == '"') {
      if (i == 0 || text[i - 1] != '=') return false;  // a quote inside a value
      quoted = true;
    } else if (text[i] == ' ' && KeyLength(text, i + 1) == 0) {
      return false;
    }
  }
  return !quoted;
}

// A line without fields: its control bytes and bytes outside ASCII as \xNN.
std::string EscapedMessage(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

class TextFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& destination) override {
    auto level = spdlog::level::to_string_view(message.level);
    std::string line = FormatTextLogLine(
        message.time, std::string_view(level.data(), level.size()),
        std::string_view(message.payload.data(), message.payload.size()));
    line += '\n';
    destination.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }
};

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& destination) override {
    auto level = spdlog::level::to_string_view(message.level);
    std::string line = FormatJsonLogLine(
        message.time, std::string_view(level.data(), level.size()),
        std::string_view(message.payload.data(), message.payload.size()), CurrentRequestId());
    line += '\n';
    destination.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void SetLogFormat(LogFormat format) {
  if (format == LogFormat::kJson) {
    spdlog::set_formatter(std::make_unique<JsonFormatter>());
  } else {
    spdlog::set_formatter(std::make_unique<TextFormatter>());
  }
}

std::string FormatTextLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view message) {
  std::string line;
  line.reserve(message.size() + 40);
  AppendTime(time, line);
  line += ' ';
  line += level;
  line += ' ';
  if (IsLogfmt(message)) {
    line += message;
  } else if (KeyLength(message, 0) == 5 && message.starts_with("event=")) {
    std::vector<Field> fields = ParseFields(message);
    LogLine rewritten(fields.front().value);
    for (std::size_t i = 1; i < fields.size(); ++i) rewritten.Add(fields[i].key, fields[i].value);
    line += rewritten.str();
  } else {
    line += EscapedMessage(message);
  }
  return line;
}

std::string FormatJsonLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view message, std::string_view request_id) {
  nlohmann::ordered_json object;
  object["time"] = FormatMillisecondsUtc(time);
  object["level"] = level;
  std::vector<Field> fields;
  if (KeyLength(message, 0) == 5 && message.starts_with("event=")) fields = ParseFields(message);
  object["event"] = fields.empty() ? std::string("log") : fields.front().value;
  if (!request_id.empty()) object["request_id"] = request_id;
  if (fields.empty()) {
    object["message"] = message;
  } else {
    // The first occurrence of a key wins; the members above are never replaced.
    for (std::size_t i = 1; i < fields.size(); ++i) {
      if (fields[i].key == "request_id" || object.contains(fields[i].key)) continue;
      object[fields[i].key] = fields[i].value;
    }
  }
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view CurrentRequestId() { return current_request_id; }

RequestIdScope::RequestIdScope(std::string_view id) : previous_(std::move(current_request_id)) {
  current_request_id = id;
}

RequestIdScope::~RequestIdScope() { current_request_id = std::move(previous_); }

std::string NewRequestId() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return fmt::format("{:016x}", generator());
}

}  // namespace roster::http
