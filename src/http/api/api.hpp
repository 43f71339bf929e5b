#pragma once

#include "app/context.hpp"
#include "http/router.hpp"

namespace roster::http {

// Registers every /api/v1 route of SPEC section 3 on the router. Handlers
// are thin: parse the request, call a use case in app/, render JSON.
void AddApiRoutes(Router& router, app::Context& context);

}  // namespace roster::http
