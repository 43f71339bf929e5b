#include "http/wire.hpp"

#include <gtest/gtest.h>

namespace roster::http {
namespace {

namespace beast_http = boost::beast::http;

std::string Header(const WireResponse& response, beast_http::field field) {
  auto value = response[field];
  return std::string(value.data(), value.size());
}

TEST(HttpWire, ReadsTheHeadIntoARequest) {
  WireRequest head{beast_http::verb::get, "/api/v1/orgs/a%20b?q=x+y&limit=5", 11};
  head.insert("X-Requested-With", "roster");
  head.insert("Accept", "text/html");
  head.insert("accept", "application/json");
  head.insert("Cookie", "a=1");
  head.insert("Cookie", "b=2");
  Request request;
  ASSERT_TRUE(FromWire(head, request).ok());
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/api/v1/orgs/a b");
  EXPECT_EQ(request.query, (std::map<std::string, std::string>{{"q", "x y"}, {"limit", "5"}}));
  EXPECT_EQ(request.Header("x-requested-with"), "roster");
  EXPECT_EQ(request.Header("accept"), "text/html, application/json");
  EXPECT_EQ(request.Cookie("b"), "2");
}

TEST(HttpWire, RejectsTargetsThatAreNotAbsolutePaths) {
  for (const char* target : {"http://example.com/", "*", "/a%zz", "/a?b=%"}) {
    WireRequest head{beast_http::verb::get, target, 11};
    Request request;
    Status status = FromWire(head, request);
    ASSERT_FALSE(status.ok()) << target;
    EXPECT_EQ(status.problem().category, ProblemCode::kBadRequest);
    EXPECT_EQ(request.target, target);  // still there for the access log
  }
}

TEST(HttpWire, RejectsPathsAndQueriesThatAreNotUtf8) {
  for (const char* target : {"/api/v1/orgs/%ED%A0%80", "/api/v1/orgs/1/members?q=%ED%A0%80",
                             "/api/v1/orgs/1/members?q=%FF", "/api/v1/x?%C0%AF=1"}) {
    WireRequest head{beast_http::verb::get, target, 11};
    Request request;
    Status status = FromWire(head, request);
    ASSERT_FALSE(status.ok()) << target;
    EXPECT_EQ(status.problem().category, ProblemCode::kBadRequest) << target;
  }
  WireRequest head{beast_http::verb::get, "/api/v1/orgs/1/members?q=%C3%A9%F0%9F%98%80", 11};
  Request request;
  ASSERT_TRUE(FromWire(head, request).ok());
  EXPECT_EQ(request.query["q"], "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(HttpWire, WritesLengthDateAndConnection) {
  WireResponse wire = ToWire(Response::Json(200, {{"a", 1}}), 11, BodyPolicy::kSend, false);
  EXPECT_EQ(wire.result_int(), 200u);
  EXPECT_EQ(wire.body(), R"({"a":1})");
  EXPECT_EQ(Header(wire, beast_http::field::content_length), "7");
  EXPECT_EQ(Header(wire, beast_http::field::content_type), "application/json");
  EXPECT_EQ(Header(wire, beast_http::field::connection), "close");
  EXPECT_TRUE(Header(wire, beast_http::field::date).ends_with(" GMT"));
}

TEST(HttpWire, AnswersHeadWithTheLengthOnly) {
  WireResponse wire = ToWire(Response::Json(200, {{"a", 1}}), 11, BodyPolicy::kHeadersOnly, true);
  EXPECT_TRUE(wire.body().empty());
  EXPECT_EQ(Header(wire, beast_http::field::content_length), "7");
}

TEST(HttpWire, SendsNoLengthForNoContent) {
  WireResponse wire = ToWire(Response::NoContent(), 11, BodyPolicy::kSend, true);
  EXPECT_EQ(wire.result_int(), 204u);
  EXPECT_EQ(wire.count(beast_http::field::content_length), 0u);
}

TEST(HttpWire, DropsHeadersThatWouldSplitTheResponse) {
  Response response = Response::NoContent();
  response.AddHeader("Set-Cookie", "a=1");
  response.AddHeader("Set-Cookie", "b=2");
  response.AddHeader("Location", "/x\r\nSet-Cookie: evil=1");
  response.AddHeader("Bad Name", "x");
  WireResponse wire = ToWire(std::move(response), 11, BodyPolicy::kSend, true);
  EXPECT_EQ(wire.count(beast_http::field::set_cookie), 2u);
  EXPECT_EQ(wire.count(beast_http::field::location), 0u);
  EXPECT_EQ(wire.count("Bad Name"), 0u);
}

TEST(HttpWire, TurnsAnImpossibleStatusInto500) {
  Response response;
  response.status = 42;
  EXPECT_EQ(ToWire(std::move(response), 11, BodyPolicy::kSend, true).result_int(), 500u);
}

}  // namespace
}  // namespace roster::http
