// Streamed answers (Response::stream) over 127.0.0.1: chunked framing, the
// producer paced by the socket, the write timeout, and a producer failure.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "http/server.hpp"
#include "support/http_test_support.hpp"

namespace roster::http {
namespace {

using namespace testing;

// Yields `parts` parts of `part_bytes` bytes ('x'), counting the calls; with
// `fail_after` set, the call after that many parts answers a Problem.
class CountingSource : public BodySource {
 public:
  struct Shared {
    std::atomic<int> calls{0};
  };
  CountingSource(std::shared_ptr<Shared> shared, int parts, std::size_t part_bytes,
                 int fail_after = -1)
      : shared_(std::move(shared)), parts_(parts), part_bytes_(part_bytes), fail_after_(fail_after) {}

  Result<bool> Next(std::string& part) override {
    int call = shared_->calls++;
    if (call == fail_after_) return Problem::Unavailable("database went away");
    // Every third call yields nothing, which must not end the body.
    part = call % 3 == 1 ? std::string() : std::string(part_bytes_, 'x');
    if (!part.empty()) ++written_;
    return written_ < parts_;
  }

 private:
  std::shared_ptr<Shared> shared_;
  int parts_;
  std::size_t part_bytes_;
  int fail_after_;
  int written_ = 0;
};

Router StreamRoutes(std::shared_ptr<CountingSource::Shared> shared, int parts,
                    std::size_t part_bytes, int fail_after = -1) {
  Router router;
  router.Add("GET", "/api/v1/export", [=](Request&) {
    Response response;
    response.content_type = "text/plain";
    response.stream = std::make_shared<CountingSource>(shared, parts, part_bytes, fail_after);
    return response;
  });
  router.Add("GET", "/api/v1/ping", [](Request&) { return Response::Json(200, {{"ok", true}}); });
  return router;
}

TEST(HttpStreaming, SendsTheBodyChunkedAndKeepsTheConnection) {
  auto shared = std::make_shared<CountingSource::Shared>();
  RunningServer server(StreamRoutes(shared, 4, 1000));
  TestClient client(server.port());
  auto answer = client.Call("GET", "/api/v1/export");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result_int(), 200);
  EXPECT_EQ(answer->body(), std::string(4000, 'x'));
  EXPECT_TRUE(answer->chunked());
  EXPECT_EQ(HeaderOf(*answer, "Content-Length"), "");
  EXPECT_EQ(HeaderOf(*answer, "Cache-Control"), "no-store");  // security headers still apply
  auto next = client.Call("GET", "/api/v1/ping");
  ASSERT_TRUE(next) << "the connection must stay open after the last chunk";
  EXPECT_EQ(next->result_int(), 200);
}

TEST(HttpStreaming, SendsRawBytesUntilCloseToAnHttp10Client) {
  auto shared = std::make_shared<CountingSource::Shared>();
  RunningServer server(StreamRoutes(shared, 3, 10));
  TestClient client(server.port());
  client.Send("GET /api/v1/export HTTP/1.0\r\nHost: test\r\n\r\n");
  auto answer = client.Read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body(), std::string(30, 'x'));
  // Neither chunked nor a length: the body could only end because the
  // server closed the connection.
  EXPECT_FALSE(answer->chunked());
  EXPECT_EQ(HeaderOf(*answer, "Content-Length"), "");
  EXPECT_FALSE(answer->keep_alive());
}

TEST(HttpStreaming, AnswersHeadWithoutProducingTheBody) {
  auto shared = std::make_shared<CountingSource::Shared>();
  RunningServer server(StreamRoutes(shared, 3, 10));
  TestClient client(server.port());
  auto answer = client.Call("HEAD", "/api/v1/export");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result_int(), 200);
  EXPECT_EQ(shared->calls, 0);
  EXPECT_TRUE(client.Call("GET", "/api/v1/ping"));
}

TEST(HttpStreaming, ProducesOnlyAsFastAsTheClientReads) {
  // 1 GiB in 1 MiB parts, to a client that reads nothing: the server may
  // fill the socket buffers, and then must stop asking for parts.
  auto shared = std::make_shared<CountingSource::Shared>();
  RunningServer server(StreamRoutes(shared, 1024, 1024 * 1024));
  TestClient client(server.port());
  client.Send(TestClient::FormatRequest("GET", "/api/v1/export", {}, {}));
  ASSERT_TRUE(Eventually([&] { return shared->calls > 0; }));
  std::this_thread::sleep_for(500ms);
  int produced = shared->calls;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(shared->calls, produced) << "the producer ran ahead of a client that reads nothing";
  EXPECT_LT(produced, 64) << "more than 64 MiB was produced for a client that read nothing";
}

TEST(HttpStreaming, ClosesAClientThatStopsReadingAfterTheWriteTimeout) {
  auto shared = std::make_shared<CountingSource::Shared>();
  ServerOptions options = TestOptions();
  options.body_timeout = 1s;
  RunningServer server(StreamRoutes(shared, 1024, 1024 * 1024), options);
  TestClient client(server.port());
  client.Send(TestClient::FormatRequest("GET", "/api/v1/export", {}, {}));
  ASSERT_TRUE(Eventually([&] { return shared->calls > 0; }));
  // The socket buffers fill, the pending write waits 1 s and the
  // connection is closed: a stalled download holds no handler and no part.
  std::this_thread::sleep_for(2500ms);
  EXPECT_TRUE(client.ClosedWithin(3s));
}

TEST(HttpStreaming, ATruncatedBodyIsNotTerminatedWhenTheProducerFails) {
  auto shared = std::make_shared<CountingSource::Shared>();
  RunningServer server(StreamRoutes(shared, 10, 100, /*fail_after=*/3));
  TestClient client(server.port());
  // The status line went out already: the client must see an incomplete
  // transfer (no last chunk, connection closed), not a complete body.
  auto answer = client.Call("GET", "/api/v1/export");
  EXPECT_FALSE(answer);
  EXPECT_EQ(shared->calls, 4);
}

}  // namespace
}  // namespace roster::http
