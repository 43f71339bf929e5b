#pragma once

#include <string_view>

#include "app/context.hpp"
#include "http/router.hpp"

// The route groups that AddApiRoutes registers, one file each.
namespace roster::http {

void AddAuthRoutes(Router& router, app::Context& context);
void AddMemberRoutes(Router& router, app::Context& context);
void AddAssistantRoutes(Router& router, app::Context& context);
void AddLeadRoutes(Router& router, app::Context& context);
void AddApiKeyRoutes(Router& router, app::Context& context);
void AddWebhookRoutes(Router& router, app::Context& context);
void AddExportRoutes(Router& router, app::Context& context);
void AddRecoveryRoutes(Router& router, app::Context& context);
void AddBulkInvitationRoutes(Router& router, app::Context& context);
void AddTwoFactorRoutes(Router& router, app::Context& context);
void AddLifecycleRoutes(Router& router, app::Context& context);
// /scim/v2: SCIM 2.0 provisioning (scim_handlers.cpp).
void AddScimRoutes(Router& router, app::Context& context);

// GET /api/v1/openapi.json: the API described as OpenAPI 3.1.
void AddOpenApiRoute(Router& router);
std::string_view OpenApiDocument();

}  // namespace roster::http
