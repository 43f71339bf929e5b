// Timeouts, shutdown and listening: the server's behavior over time.

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "http/server.hpp"
#include "support/http_test_support.hpp"

namespace roster::http {
namespace {

using namespace testing;

Router PingRoutes() {
  Router router;
  router.Add("GET", "/ping", [](Request&) { return Response::Json(200, {{"pong", true}}); });
  return router;
}

// A route whose handler blocks for `duration` and reports when it started.
struct SlowRoute {
  std::mutex mutex;
  std::condition_variable started_signal;
  bool started = false;

  Router Routes(std::chrono::milliseconds duration) {
    Router router = PingRoutes();
    router.Add("GET", "/slow", [this, duration](Request&) {
      {
        std::lock_guard lock(mutex);
        started = true;
      }
      started_signal.notify_all();
      std::this_thread::sleep_for(duration);
      return Response::Json(200, {{"slow", true}});
    });
    return router;
  }

  bool StartedWithin(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex);
    return started_signal.wait_for(lock, deadline, [this] { return started; });
  }
};

TEST(HttpServerLifecycle, ClosesAConnectionWhoseHeadDoesNotArriveInTime) {
  ServerOptions options = TestOptions();
  options.header_timeout = 1s;
  RunningServer server(PingRoutes(), options);
  TestClient client(server.port());
  auto start = std::chrono::steady_clock::now();
  client.Send("GET /ping HTTP/1.1\r\nHost: te");
  EXPECT_TRUE(client.ClosedWithin(4s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(HttpServerLifecycle, ClosesAnIdleKeepAliveConnection) {
  ServerOptions options = TestOptions();
  options.idle_timeout = 1s;
  RunningServer server(PingRoutes(), options);
  TestClient client(server.port());
  ASSERT_TRUE(client.Call("GET", "/ping"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedWithin(4s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(HttpServerLifecycle, SlowClientsDoNotHoldHandlerThreads) {
  ServerOptions options = TestOptions();
  options.handler_threads = 1;
  RunningServer server(PingRoutes(), options);
  std::vector<std::unique_ptr<TestClient>> slow;
  for (int i = 0; i < 4; ++i) {
    slow.push_back(std::make_unique<TestClient>(server.port()));
    slow.back()->Send("POST /api/v1/x HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n{");
  }
  auto start = std::chrono::steady_clock::now();
  auto response = TestClient(server.port()).Call("GET", "/ping");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(HttpServerLifecycle, StopLetsAnInFlightRequestFinish) {
  SlowRoute slow;
  RunningServer server(slow.Routes(500ms));
  TestClient busy(server.port());
  TestClient idle(server.port());
  ASSERT_TRUE(idle.Call("GET", "/ping"));
  busy.Send(TestClient::FormatRequest("GET", "/slow", "", {}));
  ASSERT_TRUE(slow.StartedWithin(3s));

  server.server().Stop();
  EXPECT_TRUE(idle.ClosedWithin(2s));  // nothing in flight: closed at once
  auto response = busy.Read(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(server.RunReturnsWithin(3s));
  EXPECT_THROW(TestClient{server.port()}, boost::system::system_error);  // no longer accepting
}

TEST(HttpServerLifecycle, StopReturnsPromptlyWithOnlyIdleConnections) {
  RunningServer server(PingRoutes());
  TestClient client(server.port());
  ASSERT_TRUE(client.Call("GET", "/ping"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(server.StopWithin(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(HttpServerLifecycle, ClosesWhatIsStillRunningAfterTheGracePeriod) {
  SlowRoute slow;
  ServerOptions options = TestOptions();
  options.shutdown_grace = 1s;
  RunningServer server(slow.Routes(1500ms), options);
  TestClient busy(server.port());
  busy.Send(TestClient::FormatRequest("GET", "/slow", "", {}));
  ASSERT_TRUE(slow.StartedWithin(3s));
  server.server().Stop();
  EXPECT_TRUE(server.RunReturnsWithin(4s));
  EXPECT_FALSE(busy.Read(2s));  // closed unanswered
}

TEST(HttpServerLifecycle, ListenReportsAPortInUse) {
  RunningServer first(PingRoutes());
  Router router;
  Metrics metrics;
  ServerOptions options = TestOptions();
  options.port = first.port();
  Server second(options, router, metrics);
  Result<Endpoint> endpoint = second.Listen();
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(
      endpoint.problem().detail,
      "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": address already in use");
}

TEST(HttpServerLifecycle, ListenReportsTheChosenPort) {
  Router router;
  Metrics metrics;
  Server server(TestOptions(), router, metrics);
  Result<Endpoint> endpoint = server.Listen();
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_NE(endpoint->port, 0);
  EXPECT_EQ(endpoint->Url(), "http://127.0.0.1:" + std::to_string(endpoint->port));
}

TEST(HttpServerLifecycle, ListenRejectsAMalformedTrustedProxy) {
  Router router;
  Metrics metrics;
  ServerOptions options = TestOptions();
  options.trusted_proxies = {"10.0.0.0/33"};
  Server server(options, router, metrics);
  Result<Endpoint> endpoint = server.Listen();
  ASSERT_FALSE(endpoint.ok());
  EXPECT_NE(endpoint.problem().detail.find("10.0.0.0/33"), std::string::npos);
}

TEST(HttpServerLifecycle, StopBeforeRunMakesRunReturn) {
  Router router;
  Metrics metrics;
  Server server(TestOptions(), router, metrics);
  ASSERT_TRUE(server.Listen().ok());
  server.Stop();
  server.Run();  // returns at once
}

}  // namespace
}  // namespace roster::http
