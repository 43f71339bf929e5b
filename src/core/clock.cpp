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

std::optional<UnixSeconds> ParseRfc3339(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  std::tm tm{};
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  auto seconds = static_cast<UnixSeconds>(timegm(&tm));
  // timegm normalizes (month 13 is January of the next year): only a text
  // that names its own time exactly is one.
  if (FormatRfc3339(seconds) != text) return std::nullopt;
  return seconds;
}

}  // namespace roster
