#include "http/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cctype>
#include <csignal>
#include <optional>
#include <thread>

#include "http/connection.hpp"
#include "http/log_line.hpp"

namespace roster::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After a failed accept (out of file descriptors, ...), wait before the next
// so that the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string HostPort(std::string_view host, unsigned short port) {
  bool v6 = host.find(':') != std::string_view::npos;
  return v6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

std::string Sentence(std::string message) {
  if (!message.empty()) {
    message.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(message.front())));
  }
  return message;
}

// "cannot listen on 127.0.0.1:8080: address already in use", as detail (for
// the operator) and internal (for the log).
Problem ListenProblem(const ServerOptions& options, const boost::system::error_code& error) {
  std::string detail = fmt::format("cannot listen on {}: {}", HostPort(options.host, options.port),
                                   Sentence(error.message()));
  Problem problem = Problem::Internal(detail);
  problem.slug = "listen_failed";
  problem.detail = std::move(detail);
  return problem;
}

}  // namespace

int DefaultHandlerThreads() {
  return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

std::string Endpoint::Url() const { return "http://" + HostPort(host, port); }

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics)
      : state_(std::move(options), router, metrics) {
    state_.on_drained = [this] { io_.stop(); };
  }

  ~Impl() {
    state_.BeginTeardown();
    if (handlers_) {
      handlers_->stop();
      handlers_->join();
    }
  }

  Result<Endpoint> Listen();
  void Run();
  void Stop();

 private:
  void Accept();
  void OnAccept(boost::system::error_code error, tcp::socket socket);
  void WaitForSignal();
  void BeginShutdown();

  // Declared first, destroyed last: connections destroyed with io_ still
  // unregister from it.
  ServerState state_;
  net::io_context io_;
  // The acceptor, the signals and the timers live on one strand, so Stop()
  // from any thread and the accept loop never race.
  net::strand<net::io_context::executor_type> strand_{io_.get_executor()};
  tcp::acceptor acceptor_{strand_};
  net::signal_set signals_{strand_};
  net::steady_timer grace_timer_{strand_};
  net::steady_timer accept_retry_timer_{strand_};
  // Declared after io_, destroyed before it: no handler can post to a
  // destroyed io_context.
  std::optional<net::thread_pool> handlers_;
  std::atomic<bool> stop_requested_{false};
  bool shutting_down_ = false;  // on strand_
};

Result<Endpoint> Server::Impl::Listen() {
  const ServerOptions& options = state_.options;
  Result<TrustedProxies> proxies = TrustedProxies::Parse(options.trusted_proxies);
  if (!proxies.ok()) return proxies.problem();
  state_.proxies = std::move(proxies).value();

  boost::system::error_code error;
  net::ip::address address = net::ip::make_address(options.host, error);
  if (error) {
    tcp::resolver resolver(io_);
    auto results = resolver.resolve(options.host, "", error);
    if (error || results.empty()) return ListenProblem(options, error);
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, options.port);
  acceptor_.open(endpoint.protocol(), error);
  // reuse_address lets a restarted server bind while old connections sit in
  // TIME_WAIT; on Linux it does not let two listeners share a port.
  if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return ListenProblem(options, error);
  }
  tcp::endpoint local = acceptor_.local_endpoint(error);
  if (error) return ListenProblem(options, error);
  return Endpoint{local.address().to_string(), local.port()};
}

void Server::Impl::Run() {
  if (!acceptor_.is_open()) {
    spdlog::error(LogLine("server_not_listening").str());
    return;
  }
  handlers_.emplace(static_cast<std::size_t>(std::max(1, state_.options.handler_threads)));
  state_.handlers = &*handlers_;
  auto keep_running = net::make_work_guard(io_);
  net::dispatch(strand_, [this] {
    if (state_.options.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      // A closed terminal, or "reload" out of habit: stop as SIGTERM does,
      // draining, rather than die mid-request (there is nothing to reload:
      // settings are read at start, logs go to stderr).
      signals_.add(SIGHUP);
      WaitForSignal();
    }
    Accept();
  });

  std::vector<std::thread> io_threads;
  for (int i = 1; i < state_.options.io_threads; ++i)
    io_threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (std::thread& thread : io_threads) thread.join();

  // Handlers still queued are dropped; one still running is waited for.
  handlers_->stop();
  handlers_->join();
  // Connections left after the grace period (or a second signal) are closed
  // unanswered; nothing else touches them now that no thread runs io_.
  for (const auto& connection : state_.Connections()) connection->CloseStopped();
  spdlog::info(LogLine("server_stopped").str());
}

void Server::Impl::Stop() {
  if (stop_requested_.exchange(true)) return;
  net::post(strand_, [this] { BeginShutdown(); });
}

void Server::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(io_),
                         [this](boost::system::error_code error, tcp::socket socket) {
                           OnAccept(error, std::move(socket));
                         });
}

void Server::Impl::OnAccept(boost::system::error_code error, tcp::socket socket) {
  if (shutting_down_ || error == net::error::operation_aborted) return;
  if (error) {
    spdlog::warn(LogLine("accept_failed").Add("error", error.message()).str());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](boost::system::error_code wait_error) {
      if (!wait_error && !shutting_down_) Accept();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // small answers go out at once
  auto connection = std::make_shared<Connection>(std::move(socket), state_);
  if (state_.Register(connection)) connection->Start();
  Accept();
}

void Server::Impl::WaitForSignal() {
  signals_.async_wait([this](boost::system::error_code error, int signal_number) {
    if (error) return;
    spdlog::info(LogLine("signal_received").Add("signal", signal_number).str());
    if (shutting_down_) {
      io_.stop();  // a second signal: stop now
      return;
    }
    stop_requested_ = true;
    BeginShutdown();
    WaitForSignal();
  });
}

void Server::Impl::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  std::vector<std::shared_ptr<Connection>> live = state_.BeginStopping();
  spdlog::info(LogLine("server_stopping")
                   .Add("open_connections", static_cast<long long>(live.size()))
                   .str());
  for (const auto& connection : live) connection->Shutdown();
  if (live.empty()) return;  // BeginStopping already stopped io_

  grace_timer_.expires_after(state_.options.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;
    std::vector<std::shared_ptr<Connection>> remaining = state_.Connections();
    spdlog::warn(LogLine("shutdown_grace_expired")
                     .Add("closed_connections", static_cast<long long>(remaining.size()))
                     .str());
    io_.stop();
  });
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

Result<Endpoint> Server::Listen() { return impl_->Listen(); }

void Server::Run() { impl_->Run(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace roster::http
