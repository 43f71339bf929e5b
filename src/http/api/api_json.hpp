#pragma once

#include <nlohmann/json.hpp>

#include "app/api_keys.hpp"
#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "domain/audit.hpp"
#include "domain/model.hpp"
#include "http/api/json_writer.hpp"

// The JSON shapes of SPEC section 3. IDs are strings, times RFC 3339 UTC.
namespace roster::http {

// An RFC 3339 time, or null.
nlohmann::json TimeOrNull(const std::optional<UnixSeconds>& t);
nlohmann::json UserJson(const domain::User& user);
nlohmann::json MeJson(const app::Me& me);
nlohmann::json OrganizationJson(const domain::Organization& organization);
// The fields of the view; those it was cut to leave out are absent.
// WriteMember writes them as text, MemberJson is that text parsed.
void WriteMember(JsonWriter& out, const app::MemberView& member);
nlohmann::json MemberJson(const app::MemberView& member);
// A page of members as JSON text: the bytes of PageJson over MemberJson
// items, written without building them (the Org users page is the API's
// busiest answer).
std::string MemberPageText(const app::MemberList& list);
nlohmann::json RemovalPreviewJson(const app::RemovalPreview& preview);
nlohmann::json RemovalJson(const app::Removal& removal);
nlohmann::json AuditEventJson(const domain::NamedAuditEvent& event);
// An API key without its secret; CreatedApiKeyJson adds `key`.
nlohmann::json ApiKeyJson(const domain::ApiKey& key);
nlohmann::json CreatedApiKeyJson(const app::CreatedApiKey& created);

}  // namespace roster::http
