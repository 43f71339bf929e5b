#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace roster::http {

// Process-wide request metrics in the Prometheus text format. Thread-safe;
// Record takes one short lock. Label values are bounded: the route is the
// matched pattern (never the raw path), unknown methods count as "OTHER".
class Metrics {
 public:
  // Upper bounds of the duration histogram, in seconds.
  static constexpr std::array<double, 11> kBuckets = {.001, .005, .01, .025, .05, .1,
                                                      .25,  .5,   1,   2.5,  5};

  // Counts one answered request. An empty `route` is recorded as "unmatched".
  void Record(std::string_view method, std::string_view route, int status,
              std::chrono::nanoseconds duration);

  // A gauge read when the metrics are scraped (outbox depth, pool size, ...).
  // `read` runs on the scraping thread without any Metrics lock held; if it
  // throws, the gauge shows NaN and a warning is logged.
  // REQUIRES: `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) not
  // added before; otherwise throws std::logic_error (a wiring bug).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // The same for a value that only grows (exposed as `counter`): hashes
  // computed, messages sent.
  void AddCounter(std::string name, std::string help, std::function<double()> read);

  // The text exposition format, version 0.0.4:
  // roster_http_requests_total{method,route,status} (counter) and
  // roster_http_request_duration_seconds{method,route} (histogram), then the
  // gauges.
  std::string Exposition() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> bucket_counts{};  // not cumulative
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
    const char* type;  // "gauge" or "counter"
  };
  void AddReadOnScrape(std::string name, std::string help, std::function<double()> read,
                       const char* type);

  void AppendGauges(std::string& out) const;

  mutable std::mutex mutex_;
  // (method, route, status) -> count. GUARDED_BY(mutex_)
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  // (method, route) -> durations. GUARDED_BY(mutex_)
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
  std::vector<Gauge> gauges_;  // GUARDED_BY(mutex_)
};

}  // namespace roster::http
