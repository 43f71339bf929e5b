#pragma once

#include <functional>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace roster::http {

// Registers the routes a load balancer and a Prometheus scraper use:
//   GET /healthz  200 {"status":"ok"} while the process serves requests.
//   GET /readyz   200 {"status":"ready"} when `database_ready()` is true, else
//                 503 problem `unavailable` (take this instance out of
//                 rotation). The callback runs on a handler thread and should
//                 answer within a few seconds.
//   GET /metrics  `metrics.Exposition()` as text/plain; version=0.0.4.
// All three answer with Cache-Control: no-store. `metrics` must outlive the
// router.
void AddOperationalRoutes(Router& router, Metrics& metrics, std::function<bool()> database_ready);

}  // namespace roster::http
