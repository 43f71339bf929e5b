#pragma once

#include <nlohmann/json.hpp>

#include "app/assistants.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"
#include "store/leads.hpp"

// The JSON shapes of assistants, assistant users and leads (SPEC section 3).
namespace roster::http {

nlohmann::json AssistantJson(const domain::Assistant& assistant);
nlohmann::json AssistantUserJson(const domain::AssistantUser& assignment);
nlohmann::json UnassignmentJson(const app::Unassignment& unassignment);
nlohmann::json LeadJson(const domain::Lead& lead);
// {items: [{user_id, name, email, because}]}
nlohmann::json LeadAccessJson(const std::vector<store::LeadAccess>& access);

}  // namespace roster::http
