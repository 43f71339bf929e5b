#include "http/metrics.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace roster::http {
namespace {

using namespace std::chrono_literals;

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

// The value on the line that starts with `series` followed by a space.
double ValueOf(const std::string& text, const std::string& series) {
  std::size_t at = text.find(series + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 1));
}

TEST(HttpMetrics, CountsRequestsByMethodRouteAndStatus) {
  Metrics metrics;
  metrics.Record("GET", "/api/v1/orgs/{org}", 200, 3ms);
  metrics.Record("GET", "/api/v1/orgs/{org}", 200, 3ms);
  metrics.Record("GET", "/api/v1/orgs/{org}", 404, 1ms);
  metrics.Record("BREW", "", 405, 1ms);
  std::string text = metrics.Exposition();
  EXPECT_TRUE(Contains(text, "# TYPE roster_http_requests_total counter"));
  EXPECT_TRUE(Contains(
      text,
      R"(roster_http_requests_total{method="GET",route="/api/v1/orgs/{org}",status="200"} 2)"));
  EXPECT_TRUE(Contains(
      text,
      R"(roster_http_requests_total{method="GET",route="/api/v1/orgs/{org}",status="404"} 1)"));
  EXPECT_TRUE(Contains(
      text, R"(roster_http_requests_total{method="OTHER",route="unmatched",status="405"} 1)"));
}

TEST(HttpMetrics, KeepsACumulativeDurationHistogram) {
  Metrics metrics;
  metrics.Record("POST", "/api/v1/auth/login", 200, 3ms);
  metrics.Record("POST", "/api/v1/auth/login", 200, 70ms);
  metrics.Record("POST", "/api/v1/auth/login", 200, 9s);
  std::string text = metrics.Exposition();
  const std::string labels = R"(method="POST",route="/api/v1/auth/login")";
  auto bucket = [&](const char* le, int count) {
    return "roster_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
           std::to_string(count);
  };
  EXPECT_TRUE(Contains(text, "# TYPE roster_http_request_duration_seconds histogram"));
  EXPECT_TRUE(Contains(text, bucket("0.001", 0)));
  EXPECT_TRUE(Contains(text, bucket("0.005", 1)));
  EXPECT_TRUE(Contains(text, bucket("0.05", 1)));
  EXPECT_TRUE(Contains(text, bucket("0.1", 2)));
  EXPECT_TRUE(Contains(text, bucket("5", 2)));
  EXPECT_TRUE(Contains(text, bucket("+Inf", 3)));
  EXPECT_TRUE(Contains(text, "roster_http_request_duration_seconds_count{" + labels + "} 3"));
  EXPECT_NEAR(ValueOf(text, "roster_http_request_duration_seconds_sum{" + labels + "}"), 9.073,
              1e-9);
}

TEST(HttpMetrics, ReadsGaugesWhenScraped) {
  Metrics metrics;
  double depth = 3;
  metrics.AddGauge("roster_outbox_depth", "Messages waiting to be sent.", [&] { return depth; });
  metrics.AddGauge("roster_broken", "Fails.", []() -> double { throw std::runtime_error("x"); });
  EXPECT_TRUE(Contains(metrics.Exposition(), "roster_outbox_depth 3"));
  depth = 5;
  std::string text = metrics.Exposition();
  EXPECT_TRUE(Contains(text, "# HELP roster_outbox_depth Messages waiting to be sent."));
  EXPECT_TRUE(Contains(text, "# TYPE roster_outbox_depth gauge"));
  EXPECT_TRUE(Contains(text, "roster_outbox_depth 5"));
  EXPECT_TRUE(Contains(text, "roster_broken NaN"));
}

TEST(HttpMetrics, RefusesBadOrDuplicateGaugeNames) {
  Metrics metrics;
  metrics.AddGauge("roster_x", "x", [] { return 1.0; });
  EXPECT_THROW(metrics.AddGauge("roster_x", "again", [] { return 1.0; }), std::logic_error);
  EXPECT_THROW(metrics.AddGauge("1bad", "x", [] { return 1.0; }), std::logic_error);
  EXPECT_THROW(metrics.AddGauge("bad-name", "x", [] { return 1.0; }), std::logic_error);
}

}  // namespace
}  // namespace roster::http
