#include "http/operational.hpp"

#include <gtest/gtest.h>

#include "support/http_test_support.hpp"

namespace roster::http {
namespace {

using namespace testing;

TEST(HttpOperational, AnswersHealthReadinessAndMetrics) {
  bool database_up = true;
  Router router;
  Metrics metrics;
  AddOperationalRoutes(router, metrics, [&] { return database_up; });
  metrics.Record("GET", "/healthz", 200, std::chrono::milliseconds(1));

  Request request;
  request.method = "GET";
  request.path = "/healthz";
  Response health = router.Dispatch(request);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body), (nlohmann::json{{"status", "ok"}}));

  request.path = "/readyz";
  EXPECT_EQ(router.Dispatch(request).status, 200);
  database_up = false;
  Response unready = router.Dispatch(request);
  EXPECT_EQ(unready.status, 503);
  EXPECT_EQ(nlohmann::json::parse(unready.body)["code"], "unavailable");

  request.path = "/metrics";
  Response scrape = router.Dispatch(request);
  EXPECT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(scrape.body.find("roster_http_requests_total{method=\"GET\",route=\"/healthz\""),
            std::string::npos);
}

TEST(HttpOperational, MetricsEndpointCountsRequestsServedBefore) {
  RunningServer server([](Router& router, Metrics& metrics) {
    AddOperationalRoutes(router, metrics, [] { return true; });
  });
  TestClient client(server.port());
  ASSERT_TRUE(client.Call("GET", "/healthz"));
  // A request is counted once its response is written, just after the client
  // may have read it.
  ASSERT_TRUE(Eventually([&] {
    return server.metrics().Exposition().find("route=\"/healthz\"") != std::string::npos;
  }));
  auto scrape = client.Call("GET", "/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(HeaderOf(*scrape, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(scrape->body().find(
                "roster_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << scrape->body();
  EXPECT_NE(scrape->body().find("roster_http_request_duration_seconds_bucket{method=\"GET\","
                                "route=\"/healthz\",le=\"+Inf\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace roster::http
