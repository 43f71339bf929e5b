#include "http/operational.hpp"

#include <utility>

namespace roster::http {

void AddOperationalRoutes(Router& router, Metrics& metrics, std::function<bool()> database_ready) {
  router.Add("GET", "/healthz", [](Request&) {
    return Response::Json(200, {{"status", "ok"}}).AddHeader("Cache-Control", "no-store");
  });
  router.Add("GET", "/readyz", [database_ready = std::move(database_ready)](Request&) {
    Response response = database_ready()
                            ? Response::Json(200, {{"status", "ready"}})
                            : Response::FromProblem(Problem::Unavailable("readiness check failed"));
    return response.AddHeader("Cache-Control", "no-store");
  });
  router.Add("GET", "/metrics", [&metrics](Request&) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.Exposition();
    return response.AddHeader("Cache-Control", "no-store");
  });
}

}  // namespace roster::http
