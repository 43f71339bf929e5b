#pragma once

#include "app/context.hpp"
#include "http/router.hpp"

// The route groups that AddApiRoutes registers, one file each.
namespace roster::http {

void AddAuthRoutes(Router& router, app::Context& context);
void AddMemberRoutes(Router& router, app::Context& context);
void AddAssistantRoutes(Router& router, app::Context& context);
void AddLeadRoutes(Router& router, app::Context& context);

}  // namespace roster::http
