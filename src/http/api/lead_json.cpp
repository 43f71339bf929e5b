#include "http/api/lead_json.hpp"

namespace roster::http {

nlohmann::json AssistantJson(const domain::Assistant& assistant) {
  return {{"id", FormatId(assistant.id)},
          {"name", assistant.name},
          {"created_at", FormatRfc3339(assistant.created_at)},
          {"user_count", assistant.user_count}};
}

nlohmann::json AssistantUserJson(const domain::AssistantUser& assignment) {
  return {{"user_id", FormatId(assignment.user_id)},
          {"name", assignment.name},
          {"email", assignment.email},
          {"is_manager", assignment.is_manager}};
}

nlohmann::json UnassignmentJson(const app::Unassignment& unassignment) {
  return {{"assistant_id", FormatId(unassignment.assistant_id)},
          {"user_id", FormatId(unassignment.user_id)},
          {"reassigned_to", unassignment.reassigned_to
                                ? nlohmann::json(FormatId(*unassignment.reassigned_to))
                                : nlohmann::json()},
          {"reassigned_lead_count", unassignment.reassigned_lead_count}};
}

nlohmann::json LeadJson(const domain::Lead& lead) {
  return {{"id", FormatId(lead.id)},
          {"name", lead.name},
          {"email", lead.email},
          {"company", lead.company},
          {"status", domain::ToString(lead.status)},
          {"assistant_id", FormatId(lead.assistant_id)},
          {"owner_id", FormatId(lead.owner_id)},
          {"owner_name", lead.owner_name},
          {"owner_email", lead.owner_email},
          {"created_at", FormatRfc3339(lead.created_at)}};
}

nlohmann::json LeadAccessJson(const std::vector<store::LeadAccess>& access) {
  nlohmann::json items = nlohmann::json::array();
  for (const store::LeadAccess& row : access) {
    const char* because = "org_admin";
    if (row.because == store::AccessReason::kOwner) because = "owner";
    if (row.because == store::AccessReason::kManagerOfAssistant) because = "manager_of_assistant";
    items.push_back({{"user_id", FormatId(row.user_id)},
                     {"name", row.name},
                     {"email", row.email},
                     {"because", because}});
  }
  return {{"items", items}};
}

}  // namespace roster::http
