// Conversations with a real server over 127.0.0.1: what a client sees.

#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "support/http_test_support.hpp"

namespace roster::http {
namespace {

using namespace testing;

const std::vector<std::string> kCsrf = {"X-Requested-With: roster"};
const std::vector<std::string> kJson = {"X-Requested-With: roster",
                                        "Content-Type: application/json; charset=utf-8"};

Router TestRoutes() {
  Router router;
  router.Add("GET", "/api/v1/things/{id}", [](Request& request) {
    return Response::Json(200, {{"id", request.path_params.at("id")}});
  });
  router.Add("POST", "/api/v1/things", [](Request& request) {
    return Response::Json(201, {{"received", request.json}, {"client", request.client_address}});
  });
  router.Add("GET", "/api/v1/boom",
             [](Request&) -> Response { throw std::runtime_error("handler bug"); });
  router.Add("GET", "/hello", [](Request&) {
    Response response;
    response.content_type = "text/plain";
    response.body = "hello";
    return response;
  });
  return router;
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto first = client.Call("GET", "/api/v1/things/1");
  auto second = client.Call("GET", "/api/v1/things/2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(BodyJson(*first)["id"], "1");
  EXPECT_EQ(BodyJson(*second)["id"], "2");
  EXPECT_TRUE(second->keep_alive());
}

TEST(HttpServer, AnswersOversizedContentLengthWith413BeforeTheBodyIsSent) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1024;
  RunningServer server(TestRoutes(), options);
  TestClient client(server.port());
  client.Send(
      "POST /api/v1/things HTTP/1.1\r\nHost: test\r\nX-Requested-With: roster\r\n"
      "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n");
  auto response = client.Read(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413);
  EXPECT_EQ(BodyJson(*response)["code"], "payload_too_large");
  EXPECT_EQ(HeaderOf(*response, "Content-Type"), "application/problem+json");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.ClosedWithin(3s));
}

TEST(HttpServer, Answers413EvenWhenTheClientSendsTheBodyAnyway) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1024;
  RunningServer server(TestRoutes(), options);
  TestClient client(server.port());
  // The unread body must not turn the close into a reset that eats the answer.
  client.Send(TestClient::FormatRequest("POST", "/api/v1/things", std::string(256 * 1024, 'x'),
                                        {"X-Requested-With: roster"}));
  auto response = client.Read(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413);
}

TEST(HttpServer, AnswersChunkedBodyOverTheLimitWith413) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 16;
  RunningServer server(TestRoutes(), options);
  TestClient client(server.port());
  client.Send(
      "POST /api/v1/things HTTP/1.1\r\nHost: test\r\nX-Requested-With: roster\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "20\r\n[\"0123456789012345678901234567\"]\r\n0\r\n\r\n");
  auto response = client.Read(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413);
  EXPECT_EQ(BodyJson(*response)["code"], "payload_too_large");
}

TEST(HttpServer, RejectsNonJsonBodyWith415) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("POST", "/api/v1/things", "a=1",
                              {"X-Requested-With: roster", "Content-Type: text/plain"});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 415);
  EXPECT_EQ(BodyJson(*response)["code"], "unsupported_media_type");
}

TEST(HttpServer, RejectsMalformedJsonWith400) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("POST", "/api/v1/things", "{\"name\":", kJson);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 400);
  EXPECT_EQ(BodyJson(*response)["code"], "malformed_json");
}

TEST(HttpServer, PassesParsedJsonAndClientAddressToTheHandler) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("POST", "/api/v1/things", R"({"name":"Ada"})", kJson);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 201);
  EXPECT_EQ(BodyJson(*response)["received"]["name"], "Ada");
  EXPECT_EQ(BodyJson(*response)["client"], "127.0.0.1");
}

TEST(HttpServer, BelievesForwardedForOnlyFromATrustedProxy) {
  std::vector<std::string> forwarded = kJson;
  forwarded.push_back("X-Forwarded-For: 198.51.100.4, 203.0.113.9");
  {
    RunningServer untrusted(TestRoutes());
    auto response = TestClient(untrusted.port()).Call("POST", "/api/v1/things", "{}", forwarded);
    ASSERT_TRUE(response);
    EXPECT_EQ(BodyJson(*response)["client"], "127.0.0.1");
  }
  ServerOptions options = TestOptions();
  options.trusted_proxies = {"127.0.0.0/8"};
  RunningServer trusted(TestRoutes(), options);
  auto response = TestClient(trusted.port()).Call("POST", "/api/v1/things", "{}", forwarded);
  ASSERT_TRUE(response);
  EXPECT_EQ(BodyJson(*response)["client"], "203.0.113.9");
}

TEST(HttpServer, AnswersWrongMethodWith405AndAllow) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("DELETE", "/api/v1/things/7", "", kCsrf);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 405);
  EXPECT_EQ(BodyJson(*response)["code"], "method_not_allowed");
  EXPECT_EQ(HeaderOf(*response, "Allow"), "GET, HEAD");
}

TEST(HttpServer, AnswersUnknownPathWith404Problem) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("GET", "/api/v1/nothing-here");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 404);
  nlohmann::json body = BodyJson(*response);
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["type"], "/problems/not_found");
  EXPECT_EQ(body["status"], 404);
}

TEST(HttpServer, RefusesStateChangeWithoutCsrfHeader) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("POST", "/api/v1/things", "{}", {"Content-Type: application/json"});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 403);
  EXPECT_EQ(BodyJson(*response)["code"], "csrf");
}

TEST(HttpServer, SendsSecurityHeadersOnErrorsAndSuccesses) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  for (const char* target : {"/missing", "/hello"}) {
    auto response = client.Call("GET", target);
    ASSERT_TRUE(response);
    SCOPED_TRACE(target);
    EXPECT_NE(HeaderOf(*response, "Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(HeaderOf(*response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(*response, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(HeaderOf(*response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(HeaderOf(*response, "Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_EQ(HeaderOf(*response, "Strict-Transport-Security"), "");  // plain HTTP here
  }
}

TEST(HttpServer, SendsStrictTransportSecurityWhenServedOverHttps) {
  ServerOptions options = TestOptions();
  options.strict_transport_security = true;
  RunningServer server(TestRoutes(), options);
  TestClient client(server.port());
  for (const char* target : {"/missing", "/hello"}) {
    auto response = client.Call("GET", target);
    ASSERT_TRUE(response);
    EXPECT_EQ(HeaderOf(*response, "Strict-Transport-Security"),
              "max-age=31536000; includeSubDomains")
        << target;
  }
}

TEST(HttpServer, MarksApiResponsesNoStore) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto api = client.Call("GET", "/api/v1/things/1");
  auto page = client.Call("GET", "/hello");
  ASSERT_TRUE(api && page);
  EXPECT_EQ(HeaderOf(*api, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(*page, "Cache-Control"), "");
}

TEST(HttpServer, TurnsHandlerExceptionInto500AndKeepsServing) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto failed = client.Call("GET", "/api/v1/boom");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->result_int(), 500);
  EXPECT_EQ(BodyJson(*failed)["code"], "internal");
  EXPECT_EQ(failed->body().find("handler bug"), std::string::npos);
  auto after = TestClient(server.port()).Call("GET", "/api/v1/things/3");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->result_int(), 200);
}

TEST(HttpServer, AnswersOversizedHeadWith431) {
  ServerOptions options = TestOptions();
  options.max_header_bytes = 1024;
  RunningServer server(TestRoutes(), options);
  TestClient client(server.port());
  auto response = client.Call("GET", "/hello", "", {"X-Padding: " + std::string(2000, 'a')});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 431);
  EXPECT_EQ(BodyJson(*response)["code"], "header_too_large");
  EXPECT_EQ(HeaderOf(*response, "X-Content-Type-Options"), "nosniff");
}

TEST(HttpServer, AnswersBadPercentEncodingWith400) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto response = client.Call("GET", "/api/v1/things/%zz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 400);
}

TEST(HttpServer, RefusesAmbiguousBodyFraming) {
  RunningServer server(TestRoutes());
  for (const char* framing :
       {"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n"}) {
    TestClient client(server.port());
    client.Send(std::string("POST /api/v1/things HTTP/1.1\r\nHost: test\r\n"
                            "X-Requested-With: roster\r\nContent-Type: application/json\r\n") +
                framing + "\r\n{}");
    auto response = client.Read(3s);
    ASSERT_TRUE(response) << framing;
    EXPECT_EQ(response->result_int(), 400) << framing;
    EXPECT_FALSE(response->keep_alive());
  }
}

// RFC 9112 sections 3.2 and 6.1.
TEST(HttpServer, RefusesAMissingRepeatedOrMalformedHostAndUnknownCodings) {
  RunningServer server(TestRoutes());
  const std::pair<const char*, int> cases[] = {
      {"GET /hello HTTP/1.1\r\n\r\n", 400},
      {"GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
      {"GET /hello HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
      {"POST /api/v1/things HTTP/1.1\r\nHost: test\r\nX-Requested-With: roster\r\n"
       "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
       "2\r\n{}\r\n0\r\n\r\n",
       400},
      {"GET /hello HTTP/1.0\r\n\r\n", 200},
      {"GET /hello HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 200},
      {"GET /hello HTTP/1.1\r\nHost: \r\n\r\n", 200},
      {"POST /api/v1/things HTTP/1.1\r\nHost: test\r\nX-Requested-With: roster\r\n"
       "Content-Type: application/json\r\nTransfer-Encoding: Chunked\r\n\r\n"
       "2\r\n{}\r\n0\r\n\r\n",
       201},
  };
  for (const auto& [request, status] : cases) {
    TestClient client(server.port());
    client.Send(request);
    auto response = client.Read(3s);
    ASSERT_TRUE(response) << request;
    EXPECT_EQ(response->result_int(), status) << request;
  }
}

TEST(HttpServer, AnswersHeadWithLengthButNoBody) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  auto head = client.Call("HEAD", "/hello");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->result_int(), 200);
  EXPECT_EQ(HeaderOf(*head, "Content-Length"), "5");
  EXPECT_TRUE(head->body().empty());
  auto next = client.Call("GET", "/hello");  // the connection is still in sync
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "hello");
}

TEST(HttpServer, SendsContinueBeforeReadingAnExpectedBody) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  client.Send(
      "POST /api/v1/things HTTP/1.1\r\nHost: test\r\nX-Requested-With: roster\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.Read(3s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100);
  client.Send("{}");
  auto response = client.Read(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 201);
}

TEST(HttpServer, ServesManyClientsAtOnce) {
  RunningServer server(TestRoutes());
  constexpr int kClients = 16;
  constexpr int kRequestsEach = 20;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(server.port());
      for (int r = 0; r < kRequestsEach; ++r) {
        std::string id = std::to_string(c * 1000 + r);
        auto response = client.Call("GET", "/api/v1/things/" + id);
        if (response && BodyJson(*response)["id"] == id) ++answered;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered, kClients * kRequestsEach);
}

TEST(HttpServer, CountsRequestsByRoutePatternInMetrics) {
  RunningServer server(TestRoutes());
  TestClient client(server.port());
  ASSERT_TRUE(client.Call("GET", "/api/v1/things/1"));
  ASSERT_TRUE(client.Call("GET", "/api/v1/things/2"));
  ASSERT_TRUE(client.Call("GET", "/nowhere"));
  // A request is counted once its response is written, which may be just
  // after the client has read it.
  std::string text;
  EXPECT_TRUE(Eventually([&] {
    text = server.metrics().Exposition();
    return text.find("status=\"404\"") != std::string::npos;
  }));
  EXPECT_NE(text.find("roster_http_requests_total{method=\"GET\",route=\"/api/v1/things/{id}\","
                      "status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("roster_http_request_duration_seconds_count{method=\"GET\","
                      "route=\"/api/v1/things/{id}\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace roster::http
