#pragma once

#include <optional>
#include <string>

#include "app/api_keys.hpp"
#include "app/lead_reassign.hpp"
#include "app/leads.hpp"
#include "app/members.hpp"
#include "app/webhooks.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "http/message.hpp"

// The JSON request bodies of the API (request.json, parsed by PreDispatch)
// read into the use cases' types. Each answers a 422 naming every bad or
// missing field. Apart from the handlers so that the request-body fuzz
// target (fuzz/json_body_fuzz.cpp) runs exactly this code.
namespace roster::http {

// POST /auth/login: {"email", "password"}.
struct Credentials {
  std::string email;
  std::string password;
};
Result<Credentials> ParseLogin(const Request& request);

// POST /auth/password: {"current_password", "new_password"}.
struct PasswordChange {
  std::string current_password;
  std::string new_password;
};
Result<PasswordChange> ParsePasswordChange(const Request& request);

// POST /orgs/{org}/assistants: {"name"}; the name as sent.
Result<std::string> ParseNewAssistant(const Request& request);

// PUT /orgs/{org}/assistants/{a}/users/{user}: {"is_manager"?}.
Result<std::optional<bool>> ParseAssignment(const Request& request);
// PATCH /orgs/{org}/assistants/{a}/users/{user}: {"is_manager"}, required.
Result<bool> ParseManagerChange(const Request& request);

// POST /orgs/{org}/invitations: {"email", "name", "role"?, "assistant_ids"?}.
Result<app::InviteRequest> ParseInvitation(const Request& request);
// PATCH /orgs/{org}/members/{user}: {"role"}.
Result<domain::Role> ParseRoleChange(const Request& request);

// POST /orgs/{org}/leads: {"name", "email", "company"?, "assistant_id",
// "owner_id"?}; IDs are strings of digits.
Result<app::LeadRequest> ParseNewLead(const Request& request);
// PATCH /orgs/{org}/leads/{id}: any of "status", "name", "company",
// "owner_id".
Result<app::LeadPatch> ParseLeadPatch(const Request& request);

// POST /orgs/{org}/leads/reassign: {"owner_id", "lead_ids"} (1 to 500 IDs;
// more is 422 `too_many_leads`) or {"owner_id", "assistant_id",
// "from_owner_id"}, never both.
Result<app::LeadsReassignment> ParseLeadsReassignment(const Request& request);

// POST /orgs/{org}/api-keys: {"name", "scope", "expires_at"?}; expires_at
// an RFC 3339 time or null.
Result<app::ApiKeyRequest> ParseApiKeyRequest(const Request& request);
// POST /orgs/{org}/webhooks: {"url", "events": [...], "description"?}; the
// event names are checked by the use case.
Result<app::WebhookRequest> ParseNewWebhook(const Request& request);
// PATCH /orgs/{org}/webhooks/{id}: any of "url", "events", "description",
// "enabled".
Result<app::WebhookPatch> ParseWebhookPatch(const Request& request);

}  // namespace roster::http
