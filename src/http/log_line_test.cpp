#include "http/log_line.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "http/access_log.hpp"

namespace roster::http {
namespace {

using namespace std::chrono_literals;

TEST(HttpLogLine, QuotesAndEscapesValues) {
  LogLine line("test");
  line.Add("plain", "abc").Add("spaced", "a b").Add("tricky", "x\"y\\z=1").Add("empty", "");
  line.Add("forged", "ok\nevent=fake").Add("count", 12);
  EXPECT_EQ(line.str(), R"(event=test plain=abc spaced="a b" tricky="x\"y\\z=1" empty="" )"
                        R"(forged="ok\x0aevent=fake" count=12)");
}

TEST(HttpLogLine, FormatsUtcTimeAndMilliseconds) {
  LogLine line("t");
  line.AddTime("time", std::chrono::system_clock::time_point(1'700'000'000'123ms));
  line.AddMilliseconds("duration_ms", 1'234'567ns);
  EXPECT_EQ(line.str(), "event=t time=2023-11-14T22:13:20.123Z duration_ms=1.235");
}

// Captures what spdlog's default logger writes while it lives.
class CapturedLog {
 public:
  CapturedLog() {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(HttpAccessLog, WritesOneLineWithoutQueryCookiesOrBodies) {
  Request request;
  request.method = "POST";
  request.target = "/api/v1/auth/login?token=s3cret";
  request.path = "/api/v1/auth/login";
  request.route = "/api/v1/auth/login";
  request.client_address = "203.0.113.7";
  request.headers = {{"cookie", "roster_session=abcdef"}, {"authorization", "Bearer xyz"}};
  request.body = R"({"password":"hunter2"})";
  Response response = Response::Json(200, {{"ok", true}});
  response.log_user = "42";
  CapturedLog log;
  LogAccess(request, response, 2500us, 11);
  std::string text = log.text();
  EXPECT_NE(text.find("event=http_request time="), std::string::npos) << text;
  EXPECT_NE(text.find("method=POST path=/api/v1/auth/login route=/api/v1/auth/login status=200 "
                      "duration_ms=2.500 bytes=11 client=203.0.113.7 user=42"),
            std::string::npos)
      << text;
  for (const char* secret : {"s3cret", "abcdef", "xyz", "hunter2"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace roster::http
