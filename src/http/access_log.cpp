#include "http/access_log.hpp"

#include <spdlog/spdlog.h>

#include "http/log_format.hpp"
#include "http/log_line.hpp"
#include "http/url.hpp"

namespace roster::http {

void LogAccess(const Request& request, const Response& response, std::chrono::nanoseconds duration,
               std::size_t body_bytes) {
  // The raw path as sent (still percent-encoded) identifies the resource;
  // the query string may hold search terms or tokens and is left out.
  std::string_view path =
      request.target.empty() ? std::string_view(request.path) : RawPath(request.target);
  auto or_dash = [](std::string_view value) {
    return value.empty() ? std::string_view("-") : value;
  };
  LogLine line("http_request");
  line.AddTime("time", std::chrono::system_clock::now())
      .Add("method", or_dash(request.method))  // empty when the head did not parse
      .Add("path", or_dash(path))
      .Add("route", request.route.empty() ? std::string_view("unmatched") : request.route)
      .Add("status", response.status)
      .AddMilliseconds("duration_ms", duration)
      .Add("bytes", static_cast<long long>(body_bytes))
      .Add("client", or_dash(request.client_address))
      .Add("user", or_dash(response.log_user));
  RequestIdScope request_id(request.id);
  spdlog::info(line.str());
}

}  // namespace roster::http
