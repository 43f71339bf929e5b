#include "http/router.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace roster::http {
namespace {

Handler Named(std::string name) {
  return [name](Request& request) {
    nlohmann::json params = request.path_params;
    return Response::Json(200, {{"handler", name}, {"params", params}, {"route", request.route}});
  };
}

nlohmann::json Body(const Response& response) { return nlohmann::json::parse(response.body); }

Request Get(std::string target, std::string method = "GET") {
  Request request;
  request.method = std::move(method);
  request.target = target;
  request.path = target.substr(0, target.find('?'));
  return request;
}

Router MemberRoutes() {
  Router router;
  router.Add("GET", "/api/v1/orgs/{org}/members/{user}", Named("member"));
  router.Add("PATCH", "/api/v1/orgs/{org}/members/{user}", Named("patch"));
  router.Add("GET", "/api/v1/orgs/{org}/members/removal-preview", Named("literal"));
  return router;
}

TEST(HttpRouter, FillsDecodedPathParametersAndTheRoute) {
  Router router = MemberRoutes();
  Request request = Get("/api/v1/orgs/12/members/a%2Fb%20c");
  Response response = router.Dispatch(request);
  EXPECT_EQ(Body(response)["handler"], "member");
  EXPECT_EQ(Body(response)["params"], (nlohmann::json{{"org", "12"}, {"user", "a/b c"}}));
  EXPECT_EQ(request.route, "/api/v1/orgs/{org}/members/{user}");
}

TEST(HttpRouter, PrefersLiteralSegmentsOverPlaceholders) {
  Router router = MemberRoutes();
  Request request = Get("/api/v1/orgs/12/members/removal-preview");
  EXPECT_EQ(Body(router.Dispatch(request))["handler"], "literal");
}

TEST(HttpRouter, AnswersUnknownPathsWith404) {
  Router router = MemberRoutes();
  for (const char* target :
       {"/api/v1/orgs/12", "/api/v1/orgs/12/members/7/extra", "/api/v1/orgs//members/7"}) {
    Request request = Get(target);
    Response response = router.Dispatch(request);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(Body(response)["code"], "not_found");
  }
}

TEST(HttpRouter, AnswersOtherMethodsWith405AndAllow) {
  Router router = MemberRoutes();
  Request request = Get("/api/v1/orgs/12/members/7", "DELETE");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(Body(response)["code"], "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, HEAD, PATCH");
}

// A literal path is a resource of its own: a method only the placeholder
// pattern has is 405 there, and its Allow lists the literal path's methods.
TEST(HttpRouter, ALiteralPathAnswersWithItsOwnMethods) {
  Router router = MemberRoutes();
  Request request = Get("/api/v1/orgs/12/members/removal-preview", "PATCH");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "GET, HEAD");
}

TEST(HttpRouter, ServesHeadWithTheGetHandler) {
  Router router = MemberRoutes();
  Request request = Get("/api/v1/orgs/1/members/2", "HEAD");
  EXPECT_EQ(Body(router.Dispatch(request))["handler"], "member");
}

TEST(HttpRouter, MatchesOnPathWhenNoTargetIsSet) {
  Router router = MemberRoutes();
  Request request;
  request.method = "GET";
  request.path = "/api/v1/orgs/1/members/2";
  EXPECT_EQ(Body(router.Dispatch(request))["params"]["user"], "2");
}

TEST(HttpRouter, UsesTheFallbackOnlyForGetOutsideTheApi) {
  Router router = MemberRoutes();
  router.SetFallback(Named("fallback"));
  Request page = Get("/members/12");
  EXPECT_EQ(Body(router.Dispatch(page))["handler"], "fallback");
  EXPECT_EQ(page.route, "fallback");
  Request api = Get("/api/v1/unknown");
  EXPECT_EQ(router.Dispatch(api).status, 404);
  Request post = Get("/members/12", "POST");
  EXPECT_EQ(router.Dispatch(post).status, 404);
}

// The API reference is a page of the console that lives under /api/.
TEST(HttpRouter, SendsTheApiReferencePageToTheFallback) {
  Router router = MemberRoutes();
  router.SetFallback(Named("fallback"));
  Request docs = Get("/api/docs");
  EXPECT_EQ(Body(router.Dispatch(docs))["handler"], "fallback");
  Request below = Get("/api/docs/x");
  EXPECT_EQ(router.Dispatch(below).status, 404);
}

TEST(HttpRouter, ListsRoutesAndRefusesDuplicates) {
  Router router = MemberRoutes();
  ASSERT_EQ(router.Routes().size(), 3u);
  EXPECT_EQ(router.Routes()[1].method, "PATCH");
  EXPECT_THROW(router.Add("GET", "/api/v1/orgs/{org}/members/{user}", Named("again")),
               std::logic_error);
  EXPECT_THROW(router.Add("GET", "no-slash", Named("bad")), std::logic_error);
}

}  // namespace
}  // namespace roster::http
