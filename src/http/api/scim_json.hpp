#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "domain/scim.hpp"
#include "http/message.hpp"

// SCIM resources and messages as JSON (RFC 7643, RFC 7644), answered as
// application/scim+json.
namespace roster::http::scim {

inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr const char* kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

// `base` is the public URL of /scim/v2, for meta.location.
nlohmann::json UserJson(const domain::ScimUser& user, const std::string& base);
nlohmann::json GroupJson(const domain::ScimGroup& group, const std::string& base,
                         bool with_members);
nlohmann::json ListJson(nlohmann::json resources, std::int64_t total, std::int64_t start_index);

Response Answer(int status, const nlohmann::json& body);
// The SCIM error message: status as a string, scimType when the problem's
// slug is one of RFC 7644's types, the detail. 401 adds WWW-Authenticate.
Response ErrorAnswer(const Problem& problem);

// The discovery documents (RFC 7644 section 4).
nlohmann::json ServiceProviderConfigJson(const std::string& base);
nlohmann::json ResourceTypesJson(const std::string& base);
nlohmann::json SchemasJson(const std::string& base);

}  // namespace roster::http::scim
