#include "http/api/handlers.hpp"

std::string_view RosterOpenApiDocument();  // generated from openapi.json

namespace roster::http {

std::string_view OpenApiDocument() { return RosterOpenApiDocument(); }

void AddOpenApiRoute(Router& router) {
  router.Add("GET", "/api/v1/openapi.json", [](Request&) {
    Response response;
    response.status = 200;
    response.content_type = "application/json";
    response.body = std::string(OpenApiDocument());
    return response;
  });
}

}  // namespace roster::http
