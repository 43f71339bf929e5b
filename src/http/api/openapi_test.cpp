// The OpenAPI document and the router must describe the same API: every
// route has an operation and every operation a route.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "auth/password_hasher.hpp"
#include "http/api/api.hpp"
#include "http/api/handlers.hpp"
#include "http/metrics.hpp"
#include "http/operational.hpp"
#include "store/database.hpp"

namespace roster::http {
namespace {

std::set<std::string> RouterOperations() {
  auto directory =
      std::filesystem::temp_directory_path() / ("openapi-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  auto database = store::Database::Open("sqlite:" + (directory / "db").string(), 1);
  EXPECT_TRUE(database.ok());
  auto hasher = PasswordHasher::Create();
  SystemClock clock;
  app::Context context{**database, **hasher, clock, {}};
  Router router;
  Metrics metrics;
  AddApiRoutes(router, context);
  AddOperationalRoutes(router, metrics, [] { return true; });
  std::set<std::string> operations;
  for (const auto& route : router.Routes()) {
    if (route.method == "HEAD") continue;  // implied by GET
    operations.insert(route.method + " " + route.pattern);
  }
  std::filesystem::remove_all(directory);
  return operations;
}

std::set<std::string> DocumentOperations(const nlohmann::json& document) {
  std::set<std::string> operations;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operations.insert(upper + " " + path);
    }
  }
  return operations;
}

TEST(OpenApiTest, DocumentIsValidOpenApi31) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  EXPECT_EQ(document["openapi"], "3.1.0");
  EXPECT_TRUE(document["info"].contains("title"));
  EXPECT_TRUE(document["components"]["schemas"].contains("Problem"));
}

TEST(OpenApiTest, DocumentAndRoutesMatch) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  std::set<std::string> routed = RouterOperations();
  std::set<std::string> documented = DocumentOperations(document);
  for (const auto& operation : routed) {
    EXPECT_TRUE(documented.count(operation)) << operation << " is routed but not in openapi.json";
  }
  for (const auto& operation : documented) {
    EXPECT_TRUE(routed.count(operation)) << operation << " is in openapi.json but not routed";
  }
}

// Every request's path and query are percent-decoded before routing, so any
// operation can answer 400 (`?q=%zz`); the document must say so.
TEST(OpenApiTest, EveryOperationDescribesTheMalformedRequestAnswer) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      EXPECT_TRUE(operation["responses"].contains("400")) << method << " " << path;
    }
  }
}

// Each operation of the document, with its method in upper case.
struct Operation {
  std::string name;  // "POST /api/v1/auth/login"
  std::string method;
  const nlohmann::json* body;
};

std::vector<Operation> Operations(const nlohmann::json& document) {
  std::vector<Operation> operations;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operations.push_back({upper + " " + path, upper, &operation});
    }
  }
  return operations;
}

// `node` itself, or what its "$ref" (a local JSON pointer) points at.
const nlohmann::json& Resolve(const nlohmann::json& document, const nlohmann::json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  return document.at(nlohmann::json::json_pointer(node["$ref"].get<std::string>().substr(1)));
}

bool HasExample(const nlohmann::json& node) {
  return node.contains("example") || (node.contains("examples") && !node["examples"].empty());
}

bool NonEmptyString(const nlohmann::json& operation, const char* key) {
  return operation.contains(key) && operation[key].is_string() &&
         !operation[key].get<std::string>().empty();
}

// What a reader of the reference needs on every operation: a summary for the
// list, a description, an operationId for links and generated clients, and
// an example of every body it takes and of every success answer it gives.
TEST(OpenApiTest, EveryOperationHasSummaryDescriptionOperationIdAndExamples) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  std::set<std::string> operation_ids;
  for (const Operation& each : Operations(document)) {
    const nlohmann::json& operation = *each.body;
    EXPECT_TRUE(NonEmptyString(operation, "summary")) << each.name << " has no summary";
    EXPECT_TRUE(NonEmptyString(operation, "description")) << each.name << " has no description";
    EXPECT_TRUE(NonEmptyString(operation, "operationId")) << each.name << " has no operationId";
    if (NonEmptyString(operation, "operationId")) {
      EXPECT_TRUE(operation_ids.insert(operation["operationId"].get<std::string>()).second)
          << each.name << ": operationId " << operation["operationId"] << " is used twice";
    }
    bool any_example = false;
    if (operation.contains("requestBody")) {
      for (const auto& [type, media] : Resolve(document, operation["requestBody"])["content"].items()) {
        EXPECT_TRUE(HasExample(media)) << each.name << ": the " << type << " body has no example";
        any_example = any_example || HasExample(media);
      }
    }
    for (const auto& [status, response] : operation["responses"].items()) {
      const nlohmann::json& resolved = Resolve(document, response);
      if (!resolved.contains("content")) continue;
      for (const auto& [type, media] : resolved["content"].items()) {
        if (status.starts_with("2")) {
          EXPECT_TRUE(HasExample(media)) << each.name << ": the " << status << " " << type
                                         << " answer has no example";
        }
        any_example = any_example || HasExample(media);
      }
    }
    for (const auto& parameter : operation.value("parameters", nlohmann::json::array())) {
      any_example = any_example || HasExample(Resolve(document, parameter));
    }
    EXPECT_TRUE(any_example) << each.name << " has no example at all";
  }
}

std::string ReferenceOf(const nlohmann::json& operation, const std::string& status) {
  if (!operation["responses"].contains(status)) return "";
  return operation["responses"][status].value("$ref", "");
}

// Statuses that follow from the shape of an operation: a body over 1 MiB is
// refused before routing, whatever the method (413); the body of an
// operation that takes one or changes state must be JSON (415); any request
// without a valid session or key is 401 (with WWW-Authenticate), and one
// that lacks the right, the CSRF header or a real password is 403.
TEST(OpenApiTest, EveryOperationDescribesTheAnswersItsShapeImplies) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  for (const Operation& each : Operations(document)) {
    const nlohmann::json& operation = *each.body;
    const nlohmann::json& responses = operation["responses"];
    EXPECT_TRUE(responses.contains("413")) << each.name;
    if (operation.contains("requestBody") || each.method != "GET") {
      EXPECT_TRUE(responses.contains("415")) << each.name;
    }
    bool public_operation = operation.contains("security") && operation["security"].empty();
    // SCIM answers its own error schema (RFC 7644), 401 included.
    bool scim = each.name.find(" /scim/") != std::string::npos;
    if (!public_operation) {
      EXPECT_EQ(ReferenceOf(operation, "401"), scim ? "#/components/responses/ScimError"
                                                    : "#/components/responses/Unauthenticated")
          << each.name;
      EXPECT_TRUE(responses.contains("403")) << each.name;
    }
    if (each.method != "GET") {
      EXPECT_TRUE(responses.contains("403")) << each.name << " (CSRF)";
    }
  }
}

// Headers a client acts on are described wherever they are answered.
TEST(OpenApiTest, AnswersDescribeTheirHeaders) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  const nlohmann::json& shared = document["components"]["responses"];
  EXPECT_TRUE(shared["Unauthenticated"]["headers"].contains("WWW-Authenticate"));
  EXPECT_TRUE(shared["RateLimited"]["headers"].contains("Retry-After"));
  EXPECT_TRUE(shared["Unavailable"]["headers"].contains("Retry-After"));
  for (const Operation& each : Operations(document)) {
    const nlohmann::json& operation = *each.body;
    if (operation["responses"].contains("429")) {
      EXPECT_EQ(ReferenceOf(operation, "429"), "#/components/responses/RateLimited") << each.name;
    }
    if (operation["responses"].contains("503")) {
      EXPECT_EQ(ReferenceOf(operation, "503"), "#/components/responses/Unavailable") << each.name;
    }
  }
  // The answers that set or clear the session cookie.
  for (const auto& [path, status] : {std::pair{"/api/v1/auth/login", "200"},
                                     std::pair{"/api/v1/auth/logout", "204"},
                                     std::pair{"/api/v1/auth/password", "204"}}) {
    EXPECT_TRUE(document["paths"][path]["post"]["responses"][status]["headers"].contains("Set-Cookie"))
        << path;
  }
}

TEST(OpenApiTest, EveryReferenceResolves) {
  auto document = nlohmann::json::parse(OpenApiDocument());
  std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        std::string reference = node["$ref"];
        ASSERT_EQ(reference.rfind("#/", 0), 0u) << reference;
        nlohmann::json::json_pointer pointer(reference.substr(1));
        EXPECT_TRUE(document.contains(pointer)) << reference;
      }
      for (const auto& [key, child] : node.items()) visit(child);
    } else if (node.is_array()) {
      for (const auto& child : node) visit(child);
    }
  };
  visit(document);
}

}  // namespace
}  // namespace roster::http
