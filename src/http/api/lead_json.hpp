#pragma once

#include <nlohmann/json.hpp>

#include "app/assistants.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"
#include "http/api/json_writer.hpp"

// The JSON shapes of assistants, assistant users and leads (SPEC section 3).
namespace roster::http {

nlohmann::json AssistantJson(const domain::Assistant& assistant);
// `status` is the member's at `now`, as on Org users.
nlohmann::json AssistantUserJson(const domain::AssistantUser& assignment, UnixSeconds now);
nlohmann::json UnassignmentJson(const app::Unassignment& unassignment);
// A lead's JSON object, keys sorted as nlohmann keeps them: one writer for
// a lead's answer, a page and an export, so they cannot drift apart.
void WriteLead(JsonWriter& out, const domain::Lead& lead);
// A page of leads, written straight into its text (no DOM per lead).
std::string LeadPageText(const Page<domain::Lead>& page);
// {items: [{user_id, name, email, because}]}
nlohmann::json LeadAccessJson(const std::vector<domain::LeadAccess>& access);

}  // namespace roster::http
