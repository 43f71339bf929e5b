#include "http/api/api_json.hpp"

#include "http/api/json_writer.hpp"

namespace roster::http {
namespace {

nlohmann::json IdOrNull(const std::optional<Id>& id) {
  return id ? nlohmann::json(FormatId(*id)) : nlohmann::json();
}

// A person's name or e-mail beside his ID; null where the ID is (the command
// line acts as nobody).
nlohmann::json TextOrNull(const std::optional<Id>& id, const std::string& text) {
  return id ? nlohmann::json(text) : nlohmann::json();
}

}  // namespace

nlohmann::json UserJson(const domain::User& user) {
  return {{"id", FormatId(user.id)}, {"email", user.email}, {"name", user.name}};
}

nlohmann::json MeJson(const app::Me& me) {
  nlohmann::json memberships = nlohmann::json::array();
  for (const auto& membership : me.memberships) {
    nlohmann::json managed = nlohmann::json::array();
    for (Id id : membership.managed_assistant_ids) managed.push_back(FormatId(id));
    memberships.push_back(
        {{"org",
          {{"id", FormatId(membership.organization.id)}, {"name", membership.organization.name}}},
         {"role", domain::ToString(membership.role)},
         {"status", domain::ToString(membership.status)},
         {"managed_assistant_ids", managed}});
  }
  return {{"user", UserJson(me.user)},
          {"must_change_password", me.must_change_password},
          {"memberships", memberships}};
}

nlohmann::json OrganizationJson(const domain::Organization& organization) {
  return {{"id", FormatId(organization.id)},
          {"name", organization.name},
          {"created_at", FormatRfc3339(organization.created_at)},
          {"member_count", organization.member_count}};
}

namespace {

void WriteTimeOrNull(JsonWriter& out, const std::optional<UnixSeconds>& t) {
  if (t) {
    out.String(FormatRfc3339(*t));
  } else {
    out.Null();
  }
}

}  // namespace

// A member's fields, keys in nlohmann's (sorted) order so that a page and a
// single member read alike.
void WriteMember(JsonWriter& out, const app::MemberView& member) {
  out.BeginObject();
  if (member.assistants) {
    out.Key("assistants").BeginArray();
    for (const domain::MemberAssistant& assistant : *member.assistants) {
      out.BeginObject();
      out.Key("id").String(FormatId(assistant.id));
      out.Key("manager").Bool(assistant.manager);
      out.Key("name").String(assistant.name);
      out.EndObject();
    }
    out.EndArray();
  }
  out.Key("email").String(member.email);
  if (const auto& details = member.details) {
    out.Key("invite_expires_at");
    WriteTimeOrNull(out, details->invite_expires_at);
    out.Key("invite_undelivered");
    if (details->invite_undelivered) {
      out.String(*details->invite_undelivered);
    } else {
      out.Null();
    }
    out.Key("invited_at");
    WriteTimeOrNull(out, details->invited_at);
    out.Key("joined_at");
    WriteTimeOrNull(out, details->joined_at);
    out.Key("last_login_at");
    WriteTimeOrNull(out, details->last_login_at);
    out.Key("lead_count").Int(details->lead_count);
    out.Key("mfa").Bool(details->mfa);
  }
  out.Key("name").String(member.name);
  out.Key("role").String(domain::ToString(member.role));
  out.Key("status").String(domain::ToString(member.status));
  out.Key("user_id").String(FormatId(member.user_id));
  out.EndObject();
}

// WriteMember's text as a DOM, for the exports' columns.
nlohmann::json MemberJson(const app::MemberView& member) {
  std::string text;
  JsonWriter out(text);
  WriteMember(out, member);
  return nlohmann::json::parse(text);
}

std::string MemberPageText(const app::MemberList& list) {
  return PageText(list.items, list.next_cursor, 300, WriteMember);
}

nlohmann::json RemovalPreviewJson(const app::RemovalPreview& preview) {
  nlohmann::json by_assistant = nlohmann::json::array();
  for (const auto& count : preview.by_assistant) {
    by_assistant.push_back(
        {{"assistant_id", FormatId(count.assistant_id)}, {"lead_count", count.lead_count}});
  }
  return {{"lead_count", preview.lead_count},
          {"by_assistant", by_assistant},
          {"is_last_admin", preview.is_last_admin}};
}

nlohmann::json RemovalJson(const app::Removal& removal) {
  return {{"removed_user_id", FormatId(removal.removed_user_id)},
          {"reassigned_to", IdOrNull(removal.reassigned_to)},
          {"reassigned_lead_count", removal.reassigned_lead_count}};
}

nlohmann::json AuditEventJson(const domain::NamedAuditEvent& named) {
  const domain::AuditEvent& event = named.event;
  nlohmann::json details = nlohmann::json::parse(event.details, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  return {{"id", FormatId(event.id)},
          {"at", FormatRfc3339(event.at)},
          {"actor_user_id", IdOrNull(event.actor.user_id)},
          {"actor_name", TextOrNull(event.actor.user_id, named.actor_name)},
          {"actor_email", TextOrNull(event.actor.user_id, named.actor_email)},
          {"actor_api_key_id", IdOrNull(event.actor.api_key_id)},
          {"actor_api_key_name", TextOrNull(event.actor.api_key_id, named.actor_api_key_name)},
          {"action", event.action},
          {"target_user_id", IdOrNull(event.target_user_id)},
          {"target_name", TextOrNull(event.target_user_id, named.target_name)},
          {"target_email", TextOrNull(event.target_user_id, named.target_email)},
          {"details", details}};
}

nlohmann::json TimeOrNull(const std::optional<UnixSeconds>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json();
}

nlohmann::json ApiKeyJson(const domain::ApiKey& key) {
  nlohmann::json created_by;
  if (key.created_by) {
    created_by = {{"id", FormatId(*key.created_by)},
                  {"name", key.created_by_name},
                  {"email", key.created_by_email}};
  }
  return {{"id", FormatId(key.id)},
          {"name", key.name},
          {"scope", domain::ToString(key.scope)},
          {"prefix", key.prefix},
          {"created_by", created_by},
          {"created_at", FormatRfc3339(key.created_at)},
          {"expires_at", TimeOrNull(key.expires_at)},
          {"last_used_at", TimeOrNull(key.last_used_at)},
          {"revoked_at", TimeOrNull(key.revoked_at)}};
}

nlohmann::json CreatedApiKeyJson(const app::CreatedApiKey& created) {
  nlohmann::json json = ApiKeyJson(created.key);
  json["key"] = created.secret;
  return json;
}

}  // namespace roster::http
