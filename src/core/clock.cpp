#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace roster {

UnixSeconds SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// 1000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years of four digits.
constexpr UnixSeconds kFourDigitYearsFrom = -30610224000;
constexpr UnixSeconds kFourDigitYearsUntil = 253402300800;

void PutDigits(char* out, int value, int digits) {
  for (int i = digits - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

// Every timestamp of every answer goes through here (a members page has
// 150): the calendar arithmetic of <chrono> instead of gmtime_r and
// strftime, which took ~4 % of the page's CPU. The same text.
std::string FormatRfc3339(UnixSeconds t) {
  if (t < kFourDigitYearsFrom || t >= kFourDigitYearsUntil) {
    std::time_t time = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
  }
  using namespace std::chrono;
  sys_seconds time{seconds(t)};
  sys_days day = floor<days>(time);
  year_month_day date(day);
  hh_mm_ss clock(time - day);
  std::string text = "0000-00-00T00:00:00Z";
  PutDigits(text.data(), static_cast<int>(date.year()), 4);
  PutDigits(text.data() + 5, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  PutDigits(text.data() + 8, static_cast<int>(static_cast<unsigned>(date.day())), 2);
  PutDigits(text.data() + 11, static_cast<int>(clock.hours().count()), 2);
  PutDigits(text.data() + 14, static_cast<int>(clock.minutes().count()), 2);
  PutDigits(text.data() + 17, static_cast<int>(clock.seconds().count()), 2);
  return text;
}

namespace {

// The number written by `count` digits at `at`, or -1.
int DigitsAt(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<UnixSeconds> ParseRfc3339(std::string_view text) {
  // date-time = full-date "T" partial-time time-offset (RFC 3339 section 5.6)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  using namespace std::chrono;
  int year = DigitsAt(text, 0, 4), month = DigitsAt(text, 5, 2), day = DigitsAt(text, 8, 2);
  int hour = DigitsAt(text, 11, 2), minute = DigitsAt(text, 14, 2), second = DigitsAt(text, 17, 2);
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (year < 0 || month < 0 || day < 0 || !date.ok() || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {  // a fraction of the second: dropped
    std::size_t digits = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == digits) return std::nullopt;
  }
  UnixSeconds offset = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int hours = DigitsAt(text, at + 1, 2), minutes = DigitsAt(text, at + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || text[at + 3] != ':') {
      return std::nullopt;
    }
    offset = (text[at] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  UnixSeconds local = sys_days(date).time_since_epoch().count() * 86400 + hour * 3600 +
                      minute * 60 + second;
  return local - offset;
}

}  // namespace roster
