#include "core/clock.hpp"

#include <ctime>

#include <gtest/gtest.h>

namespace roster {
namespace {

// What FormatRfc3339 wrote before it did its own calendar arithmetic.
std::string WithStrftime(UnixSeconds t) {
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

TEST(FormatRfc3339Test, KnownInstants) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1'700'000'000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatRfc3339(951'782'400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799), "9999-12-31T23:59:59Z");
}

TEST(FormatRfc3339Test, TheSameTextAsStrftimeAcrossTheCalendar) {
  // Every day boundary and an odd second of each day, 1000 to 9999, in
  // steps that hit every month, leap days and the edges of the fast path.
  for (UnixSeconds t = -30'610'224'000 - 86'400; t < 253'402'300'800 + 86'400; t += 86'400 * 7 + 3'601) {
    ASSERT_EQ(FormatRfc3339(t), WithStrftime(t)) << t;
  }
  for (UnixSeconds t = 946'684'800 - 86'400 * 3; t < 946'684'800 + 86'400 * 400; t += 997) {
    ASSERT_EQ(FormatRfc3339(t), WithStrftime(t)) << t;
  }
}

TEST(FormatRfc3339Test, ParsesWhatItFormats) {
  for (UnixSeconds t : {UnixSeconds{0}, UnixSeconds{1'700'000'000}, UnixSeconds{-86'401}}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t);
  }
}

TEST(ParseRfc3339Test, OffsetsFractionsAndLowerCaseAsRfc3339WritesThem) {
  const UnixSeconds t = 1'767'225'600;  // 2026-01-01T00:00:00Z
  EXPECT_EQ(ParseRfc3339("2026-01-01T00:00:00Z"), t);
  EXPECT_EQ(ParseRfc3339("2026-01-01t00:00:00z"), t);
  EXPECT_EQ(ParseRfc3339("2026-01-01T05:30:00+05:30"), t);
  EXPECT_EQ(ParseRfc3339("2025-12-31T19:00:00-05:00"), t);
  EXPECT_EQ(ParseRfc3339("2026-01-01T00:00:00.999Z"), t);
  EXPECT_EQ(ParseRfc3339("2026-01-01T00:00:00.5+00:00"), t);
  EXPECT_EQ(ParseRfc3339("2026-01-01T00:00:00-00:00"), t);
}

TEST(ParseRfc3339Test, RefusesWhatIsNotADateTime) {
  for (const char* text :
       {"", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+5:30",
        "2026-01-01T00:00:00+05:60", "2026-01-01T00:00:00+0530", "2026-01-01T00:00:00Zjunk",
        "2026-01-01T00:00:00+05:30:00", "+2026-01-01T00:00:00Z", "2026-1-01T00:00:00Z",
        "２026-01-01T00:00:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(text).has_value()) << text;
  }
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00Z"), 1'709'164'800);  // a leap day
}

}  // namespace
}  // namespace roster
