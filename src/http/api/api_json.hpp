#pragma once

#include <nlohmann/json.hpp>

#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "domain/model.hpp"
#include "store/audit.hpp"

// The JSON shapes of SPEC section 3. IDs are strings, times RFC 3339 UTC.
namespace roster::http {

nlohmann::json UserJson(const domain::User& user);
nlohmann::json MeJson(const app::Me& me);
nlohmann::json OrganizationJson(const domain::Organization& organization);
// `full` adds the fields a normal member may not see (lead count, logins).
nlohmann::json MemberJson(const domain::Member& member, UnixSeconds now, bool full = true);
// A page of members as JSON text: the bytes of PageJson over MemberJson
// items, written without building them (the Org users page is the API's
// busiest answer).
std::string MemberPageText(const app::MemberList& list, UnixSeconds now);
nlohmann::json RemovalPreviewJson(const app::RemovalPreview& preview);
nlohmann::json RemovalJson(const app::Removal& removal);
nlohmann::json AuditEventJson(const store::NamedAuditEvent& event);

}  // namespace roster::http
