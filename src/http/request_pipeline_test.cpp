#include "http/request_pipeline.hpp"

#include <stdexcept>
#include <tuple>

#include <gtest/gtest.h>

namespace roster::http {
namespace {

Request ApiPost(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.path = "/api/v1/things";
  request.body = std::move(body);
  request.headers = {{"x-requested-with", "roster"}, {"content-type", std::move(content_type)}};
  return request;
}

std::string CodeOf(const Response& response) {
  return nlohmann::json::parse(response.body).value("code", "");
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(HttpPipeline, RequiresTheCsrfHeaderOnApiStateChanges) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    Request request = ApiPost("{}");
    request.method = method;
    request.headers.erase("x-requested-with");
    std::optional<Response> refusal = PreDispatch(request);
    ASSERT_TRUE(refusal) << method;
    EXPECT_EQ(refusal->status, 403);
    EXPECT_EQ(CodeOf(*refusal), "csrf");
  }
  Request wrong_value = ApiPost("{}");
  wrong_value.headers["x-requested-with"] = "XMLHttpRequest";
  EXPECT_TRUE(PreDispatch(wrong_value));
}

TEST(HttpPipeline, LeavesReadsAndNonApiPathsAlone) {
  Request get = ApiPost("not json", "text/plain");
  get.method = "GET";
  get.headers.clear();
  EXPECT_FALSE(PreDispatch(get));
  Request page = ApiPost("x", "text/plain");
  page.path = "/login";
  page.headers.clear();
  EXPECT_FALSE(PreDispatch(page));
}

// CSV is a body only the bulk invitation takes; it reaches the handler as is.
TEST(HttpPipeline, LetsCsvThroughToTheBulkInvitationRouteOnly) {
  Request bulk = ApiPost("email,name\nbob@acme.test,Bob\n", "text/csv; charset=utf-8");
  bulk.path = "/api/v1/orgs/7/invitations/bulk";
  EXPECT_FALSE(PreDispatch(bulk));
  EXPECT_TRUE(bulk.json.is_null());
  Request elsewhere = ApiPost("email,name\n", "text/csv");
  elsewhere.path = "/api/v1/orgs/7/invitations";
  ASSERT_TRUE(PreDispatch(elsewhere));
  EXPECT_EQ(PreDispatch(elsewhere)->status, 415);
  Request unguarded = ApiPost("email,name\n", "text/csv");
  unguarded.path = "/api/v1/orgs/7/invitations/bulk";
  unguarded.headers.erase("x-requested-with");
  EXPECT_EQ(CodeOf(*PreDispatch(unguarded)), "csrf");
}

TEST(HttpPipeline, RequiresJsonContentTypeForABody) {
  Request text = ApiPost("{}", "text/plain");
  ASSERT_TRUE(PreDispatch(text));
  EXPECT_EQ(PreDispatch(text)->status, 415);
  EXPECT_EQ(CodeOf(*PreDispatch(text)), "unsupported_media_type");
  Request missing = ApiPost("{}", "");
  EXPECT_EQ(PreDispatch(missing)->status, 415);
  for (const char* json_type :
       {"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"}) {
    Request request = ApiPost("{}", json_type);
    EXPECT_FALSE(PreDispatch(request)) << json_type;
  }
  Request empty = ApiPost("", "");
  EXPECT_FALSE(PreDispatch(empty));
  EXPECT_TRUE(empty.json.is_null());
}

TEST(HttpPipeline, ParsesTheBodyOrAnswers400) {
  Request good = ApiPost(R"({"role":"admin"})");
  EXPECT_FALSE(PreDispatch(good));
  EXPECT_EQ(good.json["role"], "admin");
  Request bad = ApiPost(R"({"role":)");
  std::optional<Response> refusal = PreDispatch(bad);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 400);
  EXPECT_EQ(CodeOf(*refusal), "malformed_json");
}

// Its log line and metrics name the route of a request refused before
// dispatch: a bad body sent to a known route is that route's.
TEST(HttpPipeline, ARefusedRequestKeepsItsRoute) {
  Router router;
  router.Add("POST", "/api/v1/orgs/{org}/things", [](Request&) { return Response{}; });
  Request bad = ApiPost(R"({"role":)");
  bad.path = "/api/v1/orgs/7/things";
  EXPECT_EQ(HandleRequest(router, bad).status, 400);
  EXPECT_EQ(bad.route, "/api/v1/orgs/{org}/things");
  Request elsewhere = ApiPost(R"({"role":)");
  EXPECT_EQ(HandleRequest(router, elsewhere).status, 400);
  EXPECT_EQ(elsewhere.route, "");
}

TEST(HttpPipeline, TurnsExceptionsInto500WithoutTheirText) {
  Router router;
  router.Add("GET", "/api/v1/boom",
             [](Request&) -> Response { throw std::runtime_error("secret detail"); });
  Request request;
  request.method = "GET";
  request.path = "/api/v1/boom";
  Response response = HandleRequest(router, request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(CodeOf(response), "internal");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
}

TEST(HttpPipeline, AddsSecurityHeadersAndNoStoreOnlyUnderApi) {
  Response page;
  page.AddHeader("Cache-Control", "no-cache");
  AddSecurityHeaders("/index.html", page);
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(page, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(page, "Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src "
            "'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  Response api;
  api.AddHeader("cache-control", "max-age=60");
  AddSecurityHeaders("/api/v1/me", api);
  EXPECT_EQ(HeaderOf(api, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(api, "cache-control"), "");  // replaced, not duplicated
}

}  // namespace
}  // namespace roster::http

namespace roster::http {
namespace {

// Under /scim/ the router's own refusals and a handler's exception are SCIM
// error messages, as an identity provider expects.
TEST(HttpPipeline, AnswersScimErrorsUnderScim) {
  Router router;
  router.Add("GET", "/scim/v2/Users", [](Request&) -> Response { throw std::runtime_error("x"); });
  // The console's page fallback never answers under /scim/: an empty id
  // ("/scim/v2/Groups/") is a SCIM 404, not the console's index.html.
  router.SetFallback([](Request&) -> Response { return Response::Json(200, nlohmann::json::object()); });
  for (auto [method, path, status] : {std::tuple{"GET", "/scim/v2/Devices", 404},
                                      std::tuple{"GET", "/scim/v2/Groups/", 404},
                                      std::tuple{"GET", "/scim", 404},
                                      std::tuple{"DELETE", "/scim/v2/Users", 405},
                                      std::tuple{"GET", "/scim/v2/Users", 500}}) {
    Request request;
    request.method = method;
    request.path = path;
    Response response = HandleRequest(router, request);
    EXPECT_EQ(response.status, status) << path;
    EXPECT_EQ(response.content_type, "application/scim+json") << path;
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(body["status"], std::to_string(status));
    EXPECT_NE(body.value("detail", ""), "x");  // a 500's internals stay in the log
  }
  Request api;
  api.method = "GET";
  api.path = "/api/v1/nothing";
  EXPECT_EQ(HandleRequest(router, api).content_type, "application/problem+json");
}

}  // namespace
}  // namespace roster::http
