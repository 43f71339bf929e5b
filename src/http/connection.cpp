#include "http/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>

#include <spdlog/spdlog.h>

#include "http/access_log.hpp"
#include "http/log_format.hpp"
#include "http/log_line.hpp"
#include "http/problem_json.hpp"
#include "http/request_pipeline.hpp"

namespace roster::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using tcp = net::ip::tcp;

// How long a connection closed after an error keeps reading (and dropping)
// what the client still sends, so that closing with unread data does not
// reset the connection before the client has read our answer.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kReadChunkBytes = 4096;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// True for malformed HTTP (answered 400), false for a peer that went away.
bool IsMalformedRequest(const beast::error_code& error) {
  static const beast::error_category& http_category =
      beast_http::make_error_code(beast_http::error::bad_target).category();
  return error.category() == http_category && error != beast_http::error::end_of_stream &&
         error != beast_http::error::partial_message;
}

std::string PeerAddress(const tcp::socket& socket) {
  beast::error_code error;
  tcp::endpoint peer = socket.remote_endpoint(error);
  return error ? std::string("unknown") : peer.address().to_string();
}

std::string ToLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

ServerState::ServerState(ServerOptions options_in, const Router& router_in, Metrics& metrics_in)
    : options(std::move(options_in)),
      forwarded_header(ToLower(options.forwarded_header)),
      router(router_in),
      metrics(metrics_in) {}

bool ServerState::Register(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopping) return false;
  connections_.emplace(connection.get(), connection);
  return true;
}

void ServerState::Unregister(Connection* connection) {
  bool drained = false;
  {
    std::lock_guard lock(mutex_);
    connections_.erase(connection);
    drained = stopping && connections_.empty() && !tearing_down_;
  }
  if (drained) on_drained();
}

std::vector<std::shared_ptr<Connection>> ServerState::BeginStopping() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    stopping = true;
    for (const auto& [pointer, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    if (!connections_.empty() || tearing_down_) return live;
  }
  on_drained();
  return live;
}

std::vector<std::shared_ptr<Connection>> ServerState::Connections() {
  std::vector<std::shared_ptr<Connection>> live;
  std::lock_guard lock(mutex_);
  for (const auto& [pointer, weak] : connections_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

void ServerState::BeginTeardown() {
  std::lock_guard lock(mutex_);
  tearing_down_ = true;
}

Connection::Connection(tcp::socket socket, ServerState& state)
    : state_(state), executor_(socket.get_executor()), stream_(std::move(socket)) {
  peer_address_ = PeerAddress(stream_.socket());
}

Connection::~Connection() { state_.Unregister(this); }

void Connection::Start() {
  net::post(executor_, [self = shared_from_this()] { self->ReadRequest(); });
}

void Connection::Shutdown() {
  net::post(executor_, [self = shared_from_this()] {
    if (self->phase_ == Phase::kWaitingForRequest || self->phase_ == Phase::kLingering) {
      self->Close();
    }
  });
}

void Connection::CloseStopped() { Close(); }

void Connection::ReadRequest() {
  phase_ = Phase::kWaitingForRequest;
  if (state_.stopping) return Close();
  request_ = Request();
  after_ = AfterResponse::kKeepAlive;
  parser_.emplace();
  PrepareParser(*parser_, state_.options.max_header_bytes);
  if (first_request_ || buffer_.size() > 0) return ReadHead();

  // Between requests the connection may idle for idle_timeout; the head's
  // own deadline starts with its first byte.
  stream_.expires_after(state_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                            if (error || self->phase_ == Phase::kClosed) return self->Close();
                            self->buffer_.commit(bytes);
                            self->ReadHead();
                          });
}

void Connection::ReadHead() {
  // The first request's deadline runs from the accept, so a client that
  // connects and sends nothing is closed after header_timeout too.
  first_request_ = false;
  stream_.expires_after(state_.options.header_timeout);
  beast_http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnHead(error); });
}

void Connection::OnHead(beast::error_code error) {
  if (phase_ == Phase::kClosed) return;
  started_ = std::chrono::steady_clock::now();
  request_.client_address = peer_address_;  // refined below once the headers are known
  if (error == beast_http::error::header_limit) {
    return Reject(431,
                  MakeProblem(ProblemCode::kBadRequest, "header_too_large",
                              fmt::format("The request head is larger than {} bytes.",
                                          state_.options.max_header_bytes)),
                  AfterResponse::kLingerAndClose);
  }
  if (error) {
    if (IsMalformedRequest(error)) {
      return Reject(400, Problem::BadRequest("The request is not valid HTTP/1.1."),
                    AfterResponse::kLingerAndClose);
    }
    return Close();  // the peer went away, or the head timed out
  }

  const WireRequest& head = parser_->get();
  http_version_ = head.version();
  if (!parser_->keep_alive()) after_ = AfterResponse::kClose;
  Status read = FromWire(head, request_);
  request_.client_address =
      state_.proxies.ClientAddress(peer_address_, request_.Header(state_.forwarded_header));
  if (!read.ok()) return Reject(400, read.problem(), AfterResponse::kLingerAndClose);
  if (std::optional<Refusal> refusal = CheckFraming(*parser_, state_.options.max_body_bytes)) {
    return Reject(refusal->status, std::move(refusal->problem), AfterResponse::kLingerAndClose);
  }
  if (parser_->is_done()) return Dispatch();
  if (beast::iequals(head[beast_http::field::expect], "100-continue")) {
    return SendContinueThenReadBody();
  }
  ReadBody();
}

void Connection::SendContinueThenReadBody() {
  phase_ = Phase::kReadingBody;
  stream_.expires_after(state_.options.body_timeout);
  net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                   [self = shared_from_this()](beast::error_code error, std::size_t) {
                     if (error || self->phase_ == Phase::kClosed) return self->Close();
                     self->ReadBody();
                   });
}

void Connection::ReadBody() {
  phase_ = Phase::kReadingBody;
  stream_.expires_after(state_.options.body_timeout);
  beast_http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnBody(error); });
}

void Connection::OnBody(beast::error_code error) {
  if (phase_ == Phase::kClosed) return;
  if (error == beast_http::error::body_limit) {
    return Reject(413,
                  MakeProblem(ProblemCode::kPayloadTooLarge, "payload_too_large",
                              fmt::format("The request body is larger than {} bytes.",
                                          state_.options.max_body_bytes)),
                  AfterResponse::kLingerAndClose);
  }
  if (error) {
    if (IsMalformedRequest(error)) {
      return Reject(400, Problem::BadRequest("The request body is not valid HTTP/1.1 framing."),
                    AfterResponse::kLingerAndClose);
    }
    return Close();
  }
  request_.body = std::move(parser_->get().body());
  Dispatch();
}

void Connection::Dispatch() {
  phase_ = Phase::kHandling;
  stream_.expires_never();  // nothing is read while the handler runs
  // The handler may block (database, password hash): it runs on the handler
  // pool, and its answer comes back to this connection's strand.
  net::post(*state_.handlers, [self = shared_from_this(), request = std::move(request_)]() mutable {
    Response response = HandleRequest(self->state_.router, request);
    if (self->state_.options.strict_transport_security)
      response.AddHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    net::post(self->executor_,
              [self, request = std::move(request), response = std::move(response)]() mutable {
                self->request_ = std::move(request);
                self->Write(std::move(response));
              });
  });
}

void Connection::Reject(int status, Problem problem, AfterResponse after) {
  after_ = after;
  request_.route.clear();
  // Its log line names it like any other (it never reached the handlers).
  if (request_.id.empty()) request_.id = NewRequestId();
  Response response = ProblemResponse(status, problem);
  FinishResponse(request_.path, response);
  Write(std::move(response));
}

void Connection::Write(Response response) {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kWriting;
  if (state_.stopping && after_ == AfterResponse::kKeepAlive) after_ = AfterResponse::kClose;
  answered_.log_user = std::move(response.log_user);
  if (response.stream) return WriteStreamHead(std::move(response));
  BodyPolicy body = request_.method == "HEAD" ? BodyPolicy::kHeadersOnly : BodyPolicy::kSend;
  wire_response_.emplace(
      ToWire(std::move(response), http_version_, body, after_ == AfterResponse::kKeepAlive));
  answered_.status = static_cast<int>(wire_response_->result_int());
  answered_bytes_ = wire_response_->body().size();
  stream_.expires_after(state_.options.body_timeout);
  beast_http::async_write(stream_, *wire_response_,
                          [self = shared_from_this()](beast::error_code error, std::size_t) {
                            self->OnWritten(error);
                          });
}

void Connection::OnWritten(beast::error_code error) {
  RecordExchange();
  if (error || phase_ == Phase::kClosed) return Close();
  switch (after_) {
    case AfterResponse::kKeepAlive:
      return ReadRequest();
    case AfterResponse::kClose:
      return Close();
    case AfterResponse::kLingerAndClose:
      return LingerAndClose();
  }
}

void Connection::RecordExchange() {
  auto duration = std::chrono::steady_clock::now() - started_;
  state_.metrics.Record(request_.method, request_.route, answered_.status, duration);
  LogAccess(request_, answered_, duration, answered_bytes_);
  wire_response_.reset();
  stream_serializer_.reset();
  stream_head_.reset();
  source_.reset();
  part_ = std::string();
}

void Connection::WriteStreamHead(Response response) {
  source_ = std::move(response.stream);
  chunked_ = http_version_ >= 11;
  if (!chunked_) after_ = AfterResponse::kClose;  // the close ends the body
  stream_head_.emplace(
      ToWireStreamHead(response, http_version_, after_ == AfterResponse::kKeepAlive));
  answered_.status = static_cast<int>(stream_head_->result_int());
  answered_bytes_ = 0;
  stream_serializer_.emplace(*stream_head_);
  stream_.expires_after(state_.options.body_timeout);
  beast_http::async_write_header(
      stream_, *stream_serializer_,
      [self = shared_from_this()](beast::error_code error, std::size_t) {
        if (error || self->phase_ == Phase::kClosed) {
          self->RecordExchange();
          return self->Close();
        }
        if (self->request_.method == "HEAD") return self->OnPartWritten({}, false);
        self->ProduceNextPart();
      });
}

void Connection::ProduceNextPart() {
  // No deadline while the producer works: nothing is being written.
  stream_.expires_never();
  net::post(*state_.handlers, [self = shared_from_this()] {
    Result<bool> more = Problem::Internal("the body source threw");
    RequestIdScope request_id(self->request_.id);
    try {
      more = self->source_->Next(self->part_);
    } catch (const std::exception& error) {
      more = Problem::Internal(error.what());
    }
    net::post(self->executor_, [self, more = std::move(more)]() mutable {
      self->WritePart(std::move(more));
    });
  });
}

void Connection::WritePart(Result<bool> more) {
  if (phase_ == Phase::kClosed) return RecordExchange();
  if (!more.ok()) {
    RequestIdScope request_id(request_.id);
    // A fault of the server (the database went away) is an error; the
    // caller losing his right to read on (a key revoked, a member removed
    // mid-download) is his, a warning that pages nobody.
    const Problem& problem = more.problem();
    spdlog::log(StatusOf(problem.category) >= 500 ? spdlog::level::err : spdlog::level::warn,
                LogLine("stream_aborted")
                    .Add("route", request_.route)
                    .Add("path", request_.path)
                    .Add("error", problem.internal.empty() ? problem.detail : problem.internal)
                    .str());
    RecordExchange();
    return Close();
  }
  bool has_more = *more;
  if (part_.empty()) {
    // An empty chunk would end the body: ask again, or finish.
    if (has_more) return ProduceNextPart();
    return OnPartWritten({}, false);
  }
  answered_bytes_ += part_.size();
  stream_.expires_after(state_.options.body_timeout);  // the write timeout holds per part
  auto written = [self = shared_from_this(), has_more](beast::error_code error, std::size_t) {
    self->OnPartWritten(error, has_more);
  };
  if (chunked_) {
    net::async_write(stream_, beast_http::make_chunk(net::buffer(part_)), std::move(written));
  } else {
    net::async_write(stream_, net::buffer(part_), std::move(written));
  }
}

void Connection::OnPartWritten(beast::error_code error, bool more) {
  if (error || phase_ == Phase::kClosed) {
    RecordExchange();
    return Close();
  }
  if (more) return ProduceNextPart();
  if (!chunked_ || request_.method == "HEAD") return OnWritten({});
  stream_.expires_after(state_.options.body_timeout);
  net::async_write(stream_, beast_http::make_chunk_last(),
                   [self = shared_from_this()](beast::error_code error, std::size_t) {
                     self->OnWritten(error);
                   });
}

void Connection::LingerAndClose() {
  if (state_.stopping) return Close();
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLingerTime);  // one deadline for all the reads below
  DiscardUntilEof();
}

void Connection::DiscardUntilEof() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                            if (error || self->phase_ == Phase::kClosed) return self->Close();
                            self->buffer_.commit(bytes);
                            self->DiscardUntilEof();
                          });
}

void Connection::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace roster::http
