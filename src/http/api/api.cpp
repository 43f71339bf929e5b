#include "http/api/api.hpp"

#include "http/api/handlers.hpp"

namespace roster::http {

void AddApiRoutes(Router& router, app::Context& context) {
  AddAuthRoutes(router, context);
  AddMemberRoutes(router, context);
  AddAssistantRoutes(router, context);
  AddLeadRoutes(router, context);
  AddApiKeyRoutes(router, context);
  AddWebhookRoutes(router, context);
  AddExportRoutes(router, context);
  AddRecoveryRoutes(router, context);
  AddBulkInvitationRoutes(router, context);
  AddTwoFactorRoutes(router, context);
  AddLifecycleRoutes(router, context);
  AddScimRoutes(router, context);
  AddOpenApiRoute(router);
}

}  // namespace roster::http
