// The OpenAPI document and the router must describe the same API: every
// route has an operation and every operation a route.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

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
