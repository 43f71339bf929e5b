#include "http/metrics.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <exception>
#include <stdexcept>

#include "http/log_line.hpp"

namespace roster::http {
namespace {

std::string_view NormalizeMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Label values escape backslash, double quote and newline; HELP text escapes
// backslash and newline.
std::string Escape(std::string_view text, bool quote_too) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c == '"' && quote_too) {
      escaped += "\\\"";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

void Metrics::Record(std::string_view method, std::string_view route, int status,
                     std::chrono::nanoseconds duration) {
  std::string method_label(NormalizeMethod(method));
  std::string route_label(route.empty() ? std::string_view("unmatched") : route);
  double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard lock(mutex_);
  ++requests_[{method_label, route_label, status}];
  Histogram& histogram = durations_[{std::move(method_label), std::move(route_label)}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.bucket_counts[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum_seconds += seconds;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  AddReadOnScrape(std::move(name), std::move(help), std::move(read), "gauge");
}

void Metrics::AddCounter(std::string name, std::string help, std::function<double()> read) {
  AddReadOnScrape(std::move(name), std::move(help), std::move(read), "counter");
}

void Metrics::AddReadOnScrape(std::string name, std::string help, std::function<double()> read,
                              const char* type) {
  if (!IsMetricName(name)) throw std::logic_error("invalid metric name: " + name);
  std::lock_guard lock(mutex_);
  for (const Gauge& gauge : gauges_) {
    if (gauge.name == name) throw std::logic_error("metric added twice: " + name);
  }
  gauges_.push_back({std::move(name), std::move(help), std::move(read), type});
}

std::string Metrics::Exposition() const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP roster_http_requests_total HTTP requests answered.\n";
    out += "# TYPE roster_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [method, route, status] = key;
      out +=
          fmt::format("roster_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                      method, Escape(route, true), status, count);
    }
    out +=
        "# HELP roster_http_request_duration_seconds Time from a complete request to its "
        "response written.\n";
    out += "# TYPE roster_http_request_duration_seconds histogram\n";
    for (const auto& [key, histogram] : durations_) {
      std::string labels =
          fmt::format("method=\"{}\",route=\"{}\"", key.first, Escape(key.second, true));
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += histogram.bucket_counts[i];
        out += fmt::format("roster_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                           labels, FormatValue(kBuckets[i]), cumulative);
      }
      out += fmt::format("roster_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                         labels, histogram.count);
      out += fmt::format("roster_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                         FormatValue(histogram.sum_seconds));
      out += fmt::format("roster_http_request_duration_seconds_count{{{}}} {}\n", labels,
                         histogram.count);
    }
  }
  AppendGauges(out);
  return out;
}

void Metrics::AppendGauges(std::string& out) const {
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mutex_);
    gauges = gauges_;
  }
  // Callbacks may be slow (a database count); they run without the lock so
  // Record never waits on a scrape.
  for (const Gauge& gauge : gauges) {
    double value = std::nan("");
    try {
      value = gauge.read();
    } catch (const std::exception& error) {
      spdlog::warn(
          LogLine("gauge_failed").Add("gauge", gauge.name).Add("error", error.what()).str());
    }
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", gauge.name, Escape(gauge.help, false),
                       gauge.name, gauge.type, gauge.name, FormatValue(value));
  }
}

}  // namespace roster::http
