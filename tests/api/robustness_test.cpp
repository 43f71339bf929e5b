// The server under whatever a client may send: a few thousand seeded random
// requests over every operation of the served OpenAPI document (so a new
// route is covered as soon as it is documented, and openapi_test keeps the
// document and the router in step), and malformed HTTP over a raw socket.
// Whatever arrives, the answer is below 500, every 4xx is problem+json with
// a `code`, and the server keeps serving.
//
// ROSTER_FUZZ_SEED replays a run (every failure names its seed);
// ROSTER_FUZZ_REQUESTS changes how many requests are sent.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "api_fixture.hpp"
#include "random_requests.hpp"
#include "raw_http.hpp"

namespace roster::testing {
namespace {

constexpr std::uint64_t kDefaultSeed = 20240917;
constexpr std::size_t kDefaultRequests = 3000;
constexpr int kMostFailuresShown = 10;

std::uint64_t FromEnvironment(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

// A SCIM error (RFC 7644 section 3.12), which /scim/v2 answers instead of
// problem+json: its schema and its status as a string.
std::string ScimMisbehavior(long status, const std::string& content_type, const std::string& body) {
  if (content_type.rfind("application/scim+json", 0) != 0) {
    return "status " + std::to_string(status) + " with Content-Type '" + content_type + "'";
  }
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (body.empty()) return "";  // HEAD
  if (!json.is_object() || json.value("status", "") != std::to_string(status) ||
      json["schemas"] != nlohmann::json::array({"urn:ietf:params:scim:api:messages:2.0:Error"})) {
    return "status " + std::to_string(status) + " without a SCIM error: " + body.substr(0, 300);
  }
  return "";
}

// What is wrong with an answer, or "" when the server may give it.
std::string Misbehavior(const std::string& method, long status, const std::string& content_type,
                        const std::string& body, const std::string& target = "") {
  if (status < 100 || status >= 500) return "status " + std::to_string(status);
  if (status < 400) return "";
  // Under /scim/v2 every answer is a SCIM error, except the refusals made
  // before routing: a request that is not valid HTTP or percent-encoding
  // (400) and a body over the limit (413), both problem+json as documented.
  bool before_routing = (status == 400 || status == 413) &&
                        content_type.rfind("application/problem+json", 0) == 0;
  if (target.rfind("/scim/v2/", 0) == 0 && !before_routing) {
    return ScimMisbehavior(status, content_type, method == "HEAD" ? "" : body);
  }
  if (content_type.rfind("application/problem+json", 0) != 0) {
    return "status " + std::to_string(status) + " with Content-Type '" + content_type + "'";
  }
  if (method == "HEAD") return "";
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json.contains("code") || !json["code"].is_string()) {
    return "status " + std::to_string(status) + " without a string `code`: " + body.substr(0, 300);
  }
  return "";
}

class RobustnessTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    StartServer();
    if (HasFatalFailure()) return;
    // Something real behind every kind of ID, so that requests get past the
    // lookups into the use cases.
    HttpResponse assistant = admin_->Post(OrgPath("/assistants"), {{"name", "Fuzz bot"}});
    ASSERT_EQ(assistant.status, 201) << assistant.body;
    std::string assistant_id = assistant.json["id"];
    std::string member_id;
    member_ = InviteAndJoin("mia@acme.test", "Mia Member", "user", &member_id);
    ASSERT_EQ(
        admin_->Put(OrgPath("/assistants/" + assistant_id + "/users/" + member_id), {}).status,
        200);
    std::string invitee_id = Invite("ivan@acme.test", "Ivan Invited");
    HttpResponse lead = admin_->Post(OrgPath("/leads"), {{"name", "Lena Lead"},
                                                         {"email", "lena@example.com"},
                                                         {"assistant_id", assistant_id},
                                                         {"owner_id", member_id}});
    ASSERT_EQ(lead.status, 201) << lead.body;
    known_ids_ = {{"org", {org_id_}},
                  {"user", {member_id, invitee_id}},
                  {"a", {assistant_id}},
                  {"id", {lead.json["id"].get<std::string>()}}};
    HttpResponse scim_key = admin_->Post(OrgPath("/api-keys"), {{"name", "IdP"}, {"scope", "scim"}});
    ASSERT_EQ(scim_key.status, 201) << scim_key.body;
    scim_key_ = scim_key.json["key"];
    anonymous_ = NewClient();
    forged_ = NewClient();
    forged_->set_session_cookie(std::string(43, 'A'));
  }

  HttpClient& ClientFor(Sender sender) {
    switch (sender) {
      case Sender::kAdmin:
        return *admin_;
      case Sender::kMember:
        return *member_;
      case Sender::kAnonymous:
        return *anonymous_;
      case Sender::kForgedCookie:
        break;
    }
    return *forged_;
  }

  void ExpectServerAlive() {
    ASSERT_EQ(::kill(server_->pid(), 0), 0) << "roster serve has exited";
    HttpResponse health = anonymous_->Get("/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
  }

  std::map<std::string, std::vector<std::string>> known_ids_;
  std::string scim_key_;  // what the admin sends under /scim/v2, where cookies are refused
  std::unique_ptr<HttpClient> member_, anonymous_, forged_;
};

TEST_F(RobustnessTest, RandomRequestsOnEveryRouteGetWellFormedAnswers) {
  std::uint64_t seed = FromEnvironment("ROSTER_FUZZ_SEED", kDefaultSeed);
  std::size_t count = FromEnvironment("ROSTER_FUZZ_REQUESTS", kDefaultRequests);
  SCOPED_TRACE("ROSTER_FUZZ_SEED=" + std::to_string(seed));
  HttpResponse served = anonymous_->Get("/api/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  std::vector<Operation> operations = OperationsOf(served.json);
  ASSERT_GE(operations.size(), 20u);
  RandomRequests requests(seed, operations, known_ids_);

  std::map<long, int> by_status;
  int failures = 0;
  auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < count && failures < kMostFailuresShown; ++i) {
    RandomRequest request = requests.Next();
    // Signing in or out would end the session the other requests use.
    bool ends_session = request.target.find("/auth/log") != std::string::npos;
    if (ends_session && (request.sender == Sender::kAdmin || request.sender == Sender::kMember)) {
      request.sender = Sender::kAnonymous;
    }
    if (request.target.rfind("/scim/v2/", 0) == 0 && request.sender == Sender::kAdmin &&
        !request.headers.count("Authorization")) {
      request.headers["Authorization"] = "Bearer " + scim_key_;
      request.sender = Sender::kAnonymous;
    }
    HttpClient& client = ClientFor(request.sender);
    client.set_csrf_header(request.csrf_header);
    HttpResponse response;
    try {
      response = client.Send(request.method, request.target, request.body, request.headers);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "request " << i << " got no answer (" << error.what() << "):\n"
                    << request.Describe();
      break;
    }
    client.set_csrf_header(true);
    ++by_status[response.status];
    std::string wrong = Misbehavior(request.method, response.status,
                                    response.Header("content-type"), response.body,
                                    request.target);
    if (!wrong.empty()) {
      ++failures;
      ADD_FAILURE() << "request " << i << ": " << wrong << "\n" << request.Describe();
    }
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "seed " << seed << ": " << count << " requests in " << seconds << " s; by status:";
  for (const auto& [status, times] : by_status) std::cout << " " << status << "x" << times;
  std::cout << "\n";
  ExpectServerAlive();
}

struct MalformedRequest {
  const char* name;
  std::string bytes;
};

std::vector<MalformedRequest> MalformedRequests() {
  const std::string post =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Requested-With: roster\r\n"
      "Content-Type: application/json\r\n";
  std::string many_headers = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
  using namespace std::string_literals;
  return {
      {"not a request line", "HELLO\r\n\r\n"},
      {"no HTTP version", "GET /healthz\r\nHost: x\r\n\r\n"},
      {"unknown HTTP version", "GET /healthz HTTP/7.3\r\nHost: x\r\n\r\n"},
      {"control byte in the method", "G\x01T /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"NUL in the target", "GET /healthz\0x HTTP/1.1\r\nHost: x\r\n\r\n"s},
      {"bad percent-encoding", "GET /api/v1/orgs/%zz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"huge header",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(200000, 'a') + "\r\n\r\n"},
      {"too many headers", many_headers + "\r\n"},
      {"NUL in a header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Test: a\0b\r\n\r\n"s},
      {"NUL in a header name", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-\0Test: a\r\n\r\n"s},
      {"header line without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"},
      {"bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"chunk size overflow",
       post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"},
      {"chunk without its CRLF", post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n"},
      {"negative Content-Length", post + "Content-Length: -1\r\n\r\n{}"},
      {"non-numeric Content-Length", post + "Content-Length: 2x\r\n\r\n{}"},
      {"Content-Length overflow", post + "Content-Length: 99999999999999999999999999\r\n\r\n{}"},
      {"two Content-Lengths", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"},
      {"Content-Length and chunked",
       post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"},
      {"a transfer coding other than chunked",
       post + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n"},
      {"two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
      {"a Host with a space", "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n"},
  };
}

TEST_F(RobustnessTest, MalformedHttpGetsAProblemAnswer) {
  for (const auto& request : MalformedRequests()) {
    SCOPED_TRACE(request.name);
    RawAnswer answer = RawExchange(server_->url(), request.bytes);
    ASSERT_TRUE(answer.answered) << "no answer";
    EXPECT_GE(answer.status, 400);
    EXPECT_EQ(Misbehavior("GET", answer.status, answer.headers["content-type"], answer.body), "");
  }
  ExpectServerAlive();
}

}  // namespace
}  // namespace roster::testing
