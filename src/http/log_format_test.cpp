#include "http/log_format.hpp"

#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "http/access_log.hpp"
#include "http/log_line.hpp"

namespace roster::http {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

const std::chrono::system_clock::time_point kTime(1'700'000'000'123ms);

Json Line(std::string_view message, std::string_view request_id = "") {
  std::string text = FormatJsonLogLine(kTime, "info", message, request_id);
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
  return Json::parse(text);
}

struct Case {
  const char* message;
  const char* expected;  // the whole object, in order
};

TEST(JsonLogLine, TurnsEachKindOfLineIntoOneObject) {
  const Case cases[] = {
      // LogLine's quoting and escapes are undone.
      {R"(event=test plain=abc spaced="a b" tricky="x\"y\\z=1" empty="" forged="ok\x0aevent=fake")",
       R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"test","plain":"abc",)"
       R"("spaced":"a b","tricky":"x\"y\\z=1","empty":"","forged":"ok\nevent=fake"})"},
      // A format string's unquoted value with spaces stays one value.
      {"event=prune_failed error=database is locked code=5",
       R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"prune_failed",)"
       R"("error":"database is locked","code":"5"})"},
      // A line without `event=` is a message.
      {"mail sender started (file:/var/mail)",
       R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"log",)"
       R"j("message":"mail sender started (file:/var/mail)"})j"},
      // A field cannot replace the line's own members, nor a field before it.
      {"event=x time=forged level=error request_id=forged user=1 user=2",
       R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"x","user":"1"})"},
      // Bytes that are not UTF-8 are replaced, not written raw.
      {R"(event=x name=Jos\xc3\xa9 bad=\xff)",
       R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"x","name":"José","bad":"�"})"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Line(c.message), Json::parse(c.expected)) << c.message;
    EXPECT_EQ(Line(c.message).dump(), Json::parse(c.expected).dump()) << "order: " << c.message;
  }
}

TEST(JsonLogLine, CarriesTheRequestIdAfterTheEvent) {
  Json line = Line("event=login_failed reason=invalid_credentials", "0123456789abcdef");
  EXPECT_EQ(line.dump(),
            R"({"time":"2023-11-14T22:13:20.123Z","level":"info","event":"login_failed",)"
            R"("request_id":"0123456789abcdef","reason":"invalid_credentials"})");
  EXPECT_FALSE(Line("event=x").contains("request_id"));
}

TEST(RequestId, IsRandomHexAndScopedToTheThread) {
  std::string first = NewRequestId();
  EXPECT_TRUE(std::regex_match(first, std::regex("[0-9a-f]{16}"))) << first;
  EXPECT_NE(first, NewRequestId());
  EXPECT_EQ(CurrentRequestId(), "");
  {
    RequestIdScope outer("outer");
    {
      RequestIdScope inner("inner");
      EXPECT_EQ(CurrentRequestId(), "inner");
    }
    EXPECT_EQ(CurrentRequestId(), "outer");
  }
  EXPECT_EQ(CurrentRequestId(), "");
}

// spdlog's default logger writing into a string, in `format`, while it lives.
class CapturedLog {
 public:
  explicit CapturedLog(LogFormat format) {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
    SetLogFormat(format);
  }
  ~CapturedLog() {
    spdlog::set_default_logger(previous_);
    SetLogFormat(LogFormat::kText);  // SetLogFormat reaches every logger
  }
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

Request LoginRequest() {
  Request request;
  request.method = "POST";
  request.target = "/api/v1/auth/login?token=s3cret";
  request.path = "/api/v1/auth/login";
  request.route = "/api/v1/auth/login";
  request.client_address = "203.0.113.7";
  request.id = "00000000000000aa";
  return request;
}

TEST(LogFormat, JsonAccessLineHasTheFieldsAndTheRequestId) {
  CapturedLog log(LogFormat::kJson);
  LogAccess(LoginRequest(), Response::NoContent(), 2500us, 0);
  std::string text = log.text();
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  Json line = Json::parse(text);
  EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << text;
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["event"], "http_request");
  EXPECT_EQ(line["request_id"], "00000000000000aa");
  EXPECT_EQ(line["route"], "/api/v1/auth/login");
  EXPECT_EQ(line["status"], "204");
  EXPECT_EQ(line["duration_ms"], "2.500");
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
}

TEST(LogFormat, TextLinesStayAsTheyWere) {
  CapturedLog log(LogFormat::kText);
  RequestIdScope request_id("00000000000000aa");
  spdlog::warn(LogLine("login_locked").Add("account_hash", "abc").str());
  EXPECT_TRUE(std::regex_match(
      log.text(),
      std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warning event=login_locked account_hash=abc\n)")))
      << log.text();
}

// A format string's line ("error={}" with a driver's message that holds
// spaces, quotes, a tab and a line end) is written as LogLine would have
// written it: one quoted, escaped value that logfmt readers take whole, and
// the same fields the JSON format makes of it.
TEST(TextLogLine, FormatStringValuesAreQuotedAndEscapedLikeLogLines) {
  const std::string driver =
      "database: reconnect failed: connection to server at \"127.0.0.1\", port 5432 failed: "
      "Connection refused\n\tIs the server running on that host?";
  const std::string message = "event=webhook_sender_database_error error=" + driver + " code=5";
  const std::string line = FormatTextLogLine(kTime, "warning", message);
  EXPECT_EQ(line,
            "2023-11-14T22:13:20.123Z warning event=webhook_sender_database_error "
            "error=\"database: reconnect failed: connection to server at \\\"127.0.0.1\\\", port "
            "5432 failed: Connection refused\\x0a\\x09Is the server running on that host?\" code=5");
  const std::string fields = line.substr(line.find("event="));
  EXPECT_EQ(Line(fields), Line(message));
  EXPECT_EQ(Line(fields)["error"], driver);
}

TEST(TextLogLine, LinesAlreadyInLogfmtAndPlainMessagesKeepTheirText) {
  const std::string written =
      LogLine("http_request").Add("path", "/a b").Add("name", "Jos\xc3\xa9").Add("n", 3).str();
  EXPECT_EQ(FormatTextLogLine(kTime, "info", written), "2023-11-14T22:13:20.123Z info " + written);
  EXPECT_EQ(FormatTextLogLine(kTime, "info", "event=x a=1 b=two"),
            "2023-11-14T22:13:20.123Z info event=x a=1 b=two");
  // Without fields: only what could break the line is escaped.
  EXPECT_EQ(FormatTextLogLine(kTime, "info", "mail sender started\n(file:/var/mail)"),
            "2023-11-14T22:13:20.123Z info mail sender started\\x0a(file:/var/mail)");
}

}  // namespace
}  // namespace roster::http
