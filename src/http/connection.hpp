#pragma once

// One client connection of the Server, and the state its connections share.
// Internal to the server: only server.cpp and tests include it.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>

#include "http/client_address.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/wire.hpp"

namespace roster::http {

class Connection;

// What all connections of one server share. Outlives every connection.
struct ServerState {
  ServerState(ServerOptions options, const Router& router, Metrics& metrics);

  // Adds a new connection; false (and nothing added) once stopping.
  bool Register(const std::shared_ptr<Connection>& connection);
  // Called by ~Connection. When stopping and this was the last connection,
  // calls on_drained (unless the server is being destroyed).
  void Unregister(Connection* connection);
  // Sets `stopping` (Register refuses from now on) and returns the live
  // connections; calls on_drained at once when there are none.
  std::vector<std::shared_ptr<Connection>> BeginStopping();
  // The live connections.
  std::vector<std::shared_ptr<Connection>> Connections();
  // From now on no connection's end calls on_drained (the server's
  // destructor is running).
  void BeginTeardown();

  const ServerOptions options;
  const std::string forwarded_header;  // options.forwarded_header, lower-case
  const Router& router;
  Metrics& metrics;
  TrustedProxies proxies;                        // set by Server::Listen
  boost::asio::thread_pool* handlers = nullptr;  // set by Server::Run
  std::atomic<bool> stopping{false};
  std::function<void()> on_drained;  // set before any connection exists

 private:
  std::mutex mutex_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;  // GUARDED_BY(mutex_)
  bool tearing_down_ = false;                                               // GUARDED_BY(mutex_)
};

// Reads requests one after the other on a keep-alive connection, hands each
// to the handler pool, writes the answer on the connection's strand. All
// member functions except Start, Shutdown and CloseStopped run on that strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, ServerState& state);
  ~Connection();

  void Start();
  // Thread-safe. Closes the connection now if it waits for a request;
  // otherwise the response in flight goes out with Connection: close.
  void Shutdown();
  // Closes the socket whatever the connection is doing.
  // REQUIRES: no thread runs the io_context (the server has stopped it).
  void CloseStopped();

 private:
  enum class Phase { kWaitingForRequest, kReadingBody, kHandling, kWriting, kLingering, kClosed };
  enum class AfterResponse { kKeepAlive, kClose, kLingerAndClose };

  void ReadRequest();
  void ReadHead();
  void DiscardUntilEof();
  void OnHead(boost::beast::error_code error);
  void SendContinueThenReadBody();
  void ReadBody();
  void OnBody(boost::beast::error_code error);
  void Dispatch();
  void Reject(int status, Problem problem, AfterResponse after);
  void Write(Response response);
  void OnWritten(boost::beast::error_code error);
  // A streamed answer: the head, then one part at a time, each produced on
  // the handler pool only after the previous one was written.
  void WriteStreamHead(Response response);
  void ProduceNextPart();
  void WritePart(Result<bool> more);
  void OnPartWritten(boost::beast::error_code error, bool more);
  void RecordExchange();
  void LingerAndClose();
  void Close();

  ServerState& state_;
  const boost::asio::any_io_executor executor_;  // the connection's strand
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::string peer_address_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Phase phase_ = Phase::kWaitingForRequest;
  bool first_request_ = true;

  // The exchange in progress.
  Request request_;
  unsigned http_version_ = 11;
  AfterResponse after_ = AfterResponse::kKeepAlive;
  std::chrono::steady_clock::time_point started_;
  Response answered_;  // status and log_user, for metrics and the access log
  std::size_t answered_bytes_ = 0;
  std::optional<WireResponse> wire_response_;

  // The streamed answer in progress, if any.
  std::shared_ptr<BodySource> source_;
  std::optional<WireStreamHead> stream_head_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      stream_serializer_;
  std::string part_;     // the part being written; the producer fills it while none is
  bool chunked_ = true;  // false for an HTTP/1.0 client: raw bytes, then close
};

}  // namespace roster::http
