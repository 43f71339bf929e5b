#include "http/message.hpp"

#include <gtest/gtest.h>

#include "http/problem_json.hpp"

namespace roster::http {
namespace {

TEST(HttpMessage, ReadsHeadersQueryAndCookies) {
  Request request;
  request.headers = {{"cookie", "theme=dark; roster_session=\"abc=def\" ; other=1"},
                     {"x-requested-with", "roster"}};
  request.query = {{"limit", "10"}};
  EXPECT_EQ(request.Header("x-requested-with"), "roster");
  EXPECT_EQ(request.Header("absent"), "");
  EXPECT_EQ(request.Cookie("roster_session"), "abc=def");
  EXPECT_EQ(request.Cookie("other"), "1");
  EXPECT_EQ(request.Cookie("roster"), std::nullopt);
  EXPECT_EQ(request.Query("limit"), "10");
  EXPECT_EQ(request.Query("cursor"), std::nullopt);
}

TEST(HttpMessage, BuildsJsonAndNoContentResponses) {
  Response json = Response::Json(201, {{"id", "7"}});
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(json.body, R"({"id":"7"})");
  Response empty = Response::NoContent();
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.body.empty());
  EXPECT_TRUE(empty.content_type.empty());
}

TEST(HttpProblemJson, MapsEveryCategoryToItsStatus) {
  const std::pair<ProblemCode, int> kTable[] = {
      {ProblemCode::kBadRequest, 400},       {ProblemCode::kUnauthenticated, 401},
      {ProblemCode::kForbidden, 403},        {ProblemCode::kNotFound, 404},
      {ProblemCode::kMethodNotAllowed, 405}, {ProblemCode::kConflict, 409},
      {ProblemCode::kPayloadTooLarge, 413},  {ProblemCode::kUnsupportedMediaType, 415},
      {ProblemCode::kValidation, 422},       {ProblemCode::kRateLimited, 429},
      {ProblemCode::kInternal, 500},         {ProblemCode::kUnavailable, 503},
  };
  for (const auto& [code, status] : kTable) {
    EXPECT_EQ(StatusOf(code), status);
    Problem problem;
    problem.category = code;
    Response response = Response::FromProblem(problem);
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(nlohmann::json::parse(response.body)["code"], DefaultSlug(code));
  }
}

TEST(HttpProblemJson, RendersRfc9457Body) {
  Response response = Response::FromProblem(Problem::Conflict("last_admin", "Keep one admin."));
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(response.body), (nlohmann::json{{"type", "/problems/last_admin"},
                                                                  {"title", "Conflict"},
                                                                  {"status", 409},
                                                                  {"detail", "Keep one admin."},
                                                                  {"code", "last_admin"}}));
}

TEST(HttpProblemJson, ListsFieldErrors) {
  Response response = Response::FromProblem(Problem::Validation("email", "Not an address."));
  nlohmann::json body = nlohmann::json::parse(response.body);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(body["errors"],
            (nlohmann::json::array({{{"field", "email"}, {"message", "Not an address."}}})));
}

TEST(HttpProblemJson, AddsRetryAfter) {
  Response response = Response::FromProblem(Problem::RateLimited(900, "Too many attempts."));
  EXPECT_EQ(response.status, 429);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Retry-After", "900"}));
}

TEST(HttpProblemJson, NeverShowsTheInternalText) {
  Response response = Response::FromProblem(Problem::Internal("password=hunter2 in SQL"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  Response unavailable = Response::FromProblem(Problem::Unavailable("db host 10.0.0.5 down"));
  EXPECT_EQ(unavailable.body.find("10.0.0.5"), std::string::npos);
}

}  // namespace
}  // namespace roster::http
