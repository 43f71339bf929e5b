#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "support/http_test_support.hpp"

namespace roster::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view contents) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << contents;
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

// A built console in a temporary directory, with a secret beside it.
class HttpStaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("roster-static-" + std::to_string(std::random_device()()));
    root_ = base_ / "web";
    WriteFile(root_ / "index.html", "<html>console</html>");
    WriteFile(root_ / "api-docs.html", "<html>reference</html>");
    WriteFile(root_ / "robots.txt", "User-agent: *");
    WriteFile(root_ / "assets" / "app.3f2a.js", "console.log(1)");
    WriteFile(root_ / "assets" / "app.3f2a.js.gz", "GZIPPED-BYTES");
    WriteFile(root_ / ".env", "SECRET=env");
    WriteFile(base_ / "secret.txt", "TOP-SECRET");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    handler_ = MakeStaticFiles(root_.string());
  }
  void TearDown() override { fs::remove_all(base_); }

  Response Get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {},
               std::string method = "GET") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    for (auto& [name, value] : headers) request.headers[name] = value;
    return handler_(request);
  }

  fs::path base_;
  fs::path root_;
  Handler handler_;
};

TEST_F(HttpStaticFiles, ServesIndexWithNoCacheAndAnETag) {
  Response response = Get("/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<html>console</html>");
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache");
  std::string etag = HeaderOf(response, "ETag");
  ASSERT_FALSE(etag.empty());
  Response again = Get("/index.html", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(HttpStaticFiles, ServesAssetsAsImmutable) {
  Response response = Get("/assets/app.3f2a.js");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "console.log(1)");
  EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/robots.txt").content_type, "text/plain; charset=utf-8");
}

TEST_F(HttpStaticFiles, ServesTheGzipVariantToClientsThatAcceptIt) {
  Response gzip = Get("/assets/app.3f2a.js", {{"accept-encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(gzip.body, "GZIPPED-BYTES");
  EXPECT_EQ(HeaderOf(gzip, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(gzip, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gzip.content_type, "text/javascript; charset=utf-8");
  for (const char* refusal : {"", "br", "gzip;q=0", "*;q=0"}) {
    Response plain = Get("/assets/app.3f2a.js", {{"accept-encoding", refusal}});
    EXPECT_EQ(plain.body, "console.log(1)") << refusal;
    EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "") << refusal;
    EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding") << refusal;
  }
}

TEST_F(HttpStaticFiles, FallsBackToIndexForClientSideRoutes) {
  for (const char* route : {"/members", "/orgs/12/members/", "/login"}) {
    Response response = Get(route);
    EXPECT_EQ(response.status, 200) << route;
    EXPECT_EQ(response.body, "<html>console</html>") << route;
  }
  EXPECT_EQ(Get("/assets/missing").status, 404);
  EXPECT_EQ(Get("/missing.png").status, 404);
}

TEST_F(HttpStaticFiles, NeverServesFilesOutsideTheDirectory) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/.env",
                           "/link.txt", "/..\\secret.txt", "/api/v1/x"}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body.find("SECRET"), std::string::npos) << path;
  }
}

TEST_F(HttpStaticFiles, ServesTheApiReferencePageAtApiDocs) {
  Response response = Get("/api/docs");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<html>reference</html>");
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Get("/api/docs/").status, 404);
  EXPECT_EQ(Get("/api/docsx").status, 404);
}

TEST_F(HttpStaticFiles, AnswersOnlyGetAndHead) {
  EXPECT_EQ(Get("/", {}, "HEAD").status, 200);
  Response post = Get("/", {}, "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
}

TEST_F(HttpStaticFiles, ServedThroughTheServerWithSecurityHeaders) {
  Router router;
  router.Add("GET", "/healthz", [](Request&) { return Response::Json(200, {{"status", "ok"}}); });
  router.SetFallback(handler_);
  testing::RunningServer server(std::move(router));
  testing::TestClient client(server.port());

  auto asset = client.Call("GET", "/assets/app.3f2a.js", "", {"Accept-Encoding: gzip"});
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->body(), "GZIPPED-BYTES");
  EXPECT_EQ(testing::HeaderOf(*asset, "Content-Encoding"), "gzip");
  EXPECT_EQ(testing::HeaderOf(*asset, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(testing::HeaderOf(*asset, "X-Content-Type-Options"), "nosniff");

  auto page = client.Call("GET", "/orgs/12/members");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body(), "<html>console</html>");
  EXPECT_NE(testing::HeaderOf(*page, "Content-Security-Policy"), "");

  for (const char* target : {"/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"}) {
    auto escape = client.Call("GET", target);
    ASSERT_TRUE(escape);
    EXPECT_EQ(escape->result_int(), 404) << target;
    EXPECT_EQ(escape->body().find("SECRET"), std::string::npos);
  }
}

}  // namespace
}  // namespace roster::http
