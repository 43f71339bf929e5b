#include "http/api/lead_json.hpp"

namespace roster::http {

nlohmann::json AssistantJson(const domain::Assistant& assistant) {
  return {{"id", FormatId(assistant.id)},
          {"name", assistant.name},
          {"created_at", FormatRfc3339(assistant.created_at)},
          {"user_count", assistant.user_count}};
}

nlohmann::json AssistantUserJson(const domain::AssistantUser& assignment, UnixSeconds now) {
  return {{"user_id", FormatId(assignment.user_id)},
          {"name", assignment.name},
          {"email", assignment.email},
          {"is_manager", assignment.is_manager},
          {"status", domain::ToString(assignment.StatusAt(now))}};
}

nlohmann::json UnassignmentJson(const app::Unassignment& unassignment) {
  return {{"assistant_id", FormatId(unassignment.assistant_id)},
          {"user_id", FormatId(unassignment.user_id)},
          {"reassigned_to", unassignment.reassigned_to
                                ? nlohmann::json(FormatId(*unassignment.reassigned_to))
                                : nlohmann::json()},
          {"reassigned_lead_count", unassignment.reassigned_lead_count}};
}

void WriteLead(JsonWriter& out, const domain::Lead& lead) {
  out.BeginObject();
  out.Key("assistant_id").String(FormatId(lead.assistant_id));
  out.Key("company").String(lead.company);
  out.Key("created_at").String(FormatRfc3339(lead.created_at));
  out.Key("email").String(lead.email);
  out.Key("id").String(FormatId(lead.id));
  out.Key("name").String(lead.name);
  out.Key("owner_email").String(lead.owner_email);
  out.Key("owner_id").String(FormatId(lead.owner_id));
  out.Key("owner_name").String(lead.owner_name);
  out.Key("status").String(domain::ToString(lead.status));
  out.EndObject();
}

std::string LeadPageText(const Page<domain::Lead>& page) {
  return PageText(page.items, page.next_cursor, 300, WriteLead);
}

nlohmann::json LeadAccessJson(const std::vector<domain::LeadAccess>& access) {
  nlohmann::json items = nlohmann::json::array();
  for (const domain::LeadAccess& row : access) {
    const char* because = "org_admin";
    if (row.because == domain::AccessReason::kOwner) because = "owner";
    if (row.because == domain::AccessReason::kManagerOfAssistant) because = "manager_of_assistant";
    items.push_back({{"user_id", FormatId(row.user_id)},
                     {"name", row.name},
                     {"email", row.email},
                     {"because", because}});
  }
  return {{"items", items}};
}

}  // namespace roster::http
