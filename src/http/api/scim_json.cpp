#include "http/api/scim_json.hpp"

#include <array>
#include <string_view>

#include "app/scim.hpp"
#include "core/clock.hpp"
#include "http/problem_json.hpp"

namespace roster::http::scim {
namespace {

constexpr std::array<std::string_view, 9> kScimTypes = {
    "invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
    "invalidPath",   "noTarget", "invalidValue", "sensitive"};

nlohmann::json Meta(const char* type, UnixSeconds created, UnixSeconds modified,
                    const std::string& location) {
  return {{"resourceType", type},
          {"created", FormatRfc3339(created)},
          {"lastModified", FormatRfc3339(modified)},
          {"location", location}};
}

// The name parts; without any from the identity provider, the account's
// name as formatted, its first word as givenName and the rest as familyName.
// store/scim.cpp's displayName filter derives the same formatted name.
nlohmann::json NameJson(const domain::ScimUser& user) {
  const domain::ScimName name = app::ShownScimName(user);
  nlohmann::json json = nlohmann::json::object();
  if (name.given_name) json["givenName"] = *name.given_name;
  if (name.family_name) json["familyName"] = *name.family_name;
  json["formatted"] = name.formatted.value_or(
      name.given_name.value_or("") + (name.given_name && name.family_name ? " " : "") +
      name.family_name.value_or(""));
  return json;
}

nlohmann::json Schema(const std::string& id, const std::string& name,
                      const std::string& description, nlohmann::json attributes,
                      const std::string& base) {
  return {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Schema"}},
          {"id", id},
          {"name", name},
          {"description", description},
          {"attributes", std::move(attributes)},
          {"meta", {{"resourceType", "Schema"}, {"location", base + "/Schemas/" + id}}}};
}

nlohmann::json Attribute(const std::string& name, const std::string& type, bool required,
                         const std::string& mutability, const std::string& description,
                         bool case_exact = false, const std::string& uniqueness = "none") {
  return {{"name", name},         {"type", type},
          {"multiValued", false}, {"description", description},
          {"required", required}, {"caseExact", case_exact},
          {"mutability", mutability}, {"returned", "default"},
          {"uniqueness", uniqueness}};
}

nlohmann::json MultiValued(nlohmann::json attribute, nlohmann::json sub_attributes) {
  attribute["multiValued"] = true;
  attribute["subAttributes"] = std::move(sub_attributes);
  return attribute;
}

}  // namespace

nlohmann::json UserJson(const domain::ScimUser& user, const std::string& base) {
  std::string id = FormatId(user.user_id);
  nlohmann::json name = NameJson(user);
  nlohmann::json json = {
      {"schemas", {kUserSchema}},
      {"id", id},
      {"userName", user.email},
      {"name", name},
      {"displayName", user.name.display_name.value_or(name["formatted"].get<std::string>())},
      {"emails", {{{"value", user.email}, {"type", "work"}, {"primary", true}}}},
      {"active", app::IsScimActive(user)},
      {"roles", {{{"value", domain::ToString(user.role)}, {"primary", true}}}},
      {"meta", Meta("User", user.created_at, user.updated_at, base + "/Users/" + id)}};
  if (user.external_id) json["externalId"] = *user.external_id;
  return json;
}

nlohmann::json GroupJson(const domain::ScimGroup& group, const std::string& base,
                         bool with_members) {
  std::string id = FormatId(group.id);
  nlohmann::json json = {{"schemas", {kGroupSchema}},
                         {"id", id},
                         {"displayName", group.name},
                         {"meta", Meta("Group", group.created_at, group.created_at,
                                       base + "/Groups/" + id)}};
  if (with_members) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : group.members) {
      std::string user_id = FormatId(member.user_id);
      members.push_back({{"value", user_id},
                         {"display", member.display},
                         {"type", "User"},
                         {"$ref", base + "/Users/" + user_id}});
    }
    json["members"] = std::move(members);
  }
  return json;
}

nlohmann::json ListJson(nlohmann::json resources, std::int64_t total, std::int64_t start_index) {
  std::size_t count = resources.size();
  return {{"schemas", {kListSchema}},
          {"totalResults", total},
          {"startIndex", start_index},
          {"itemsPerPage", count},
          {"Resources", std::move(resources)}};
}

Response Answer(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/scim+json";
  response.body = body.dump();
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

Response ErrorAnswer(const Problem& problem) {
  int status = StatusOf(problem.category);
  nlohmann::json body = {{"schemas", {kErrorSchema}}, {"status", std::to_string(status)}};
  for (std::string_view type : kScimTypes) {
    if (problem.slug == type) body["scimType"] = problem.slug;
  }
  std::string detail = problem.detail;
  if (status >= 500) detail = status == 503 ? "The service is unavailable; try again shortly."
                                            : "Something went wrong on the server.";
  if (detail.empty()) detail = std::string(ReasonPhrase(status));
  body["detail"] = detail;
  Response response = Answer(status, body);
  if (status == 401) response.AddHeader("WWW-Authenticate", "Bearer realm=\"roster\"");
  if (problem.retry_after_seconds) {
    response.AddHeader("Retry-After", std::to_string(*problem.retry_after_seconds));
  }
  return response;
}

nlohmann::json ServiceProviderConfigJson(const std::string& base) {
  return {
      {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}},
      {"patch", {{"supported", true}}},
      {"bulk", {{"supported", false}, {"maxOperations", 0}, {"maxPayloadSize", 0}}},
      {"filter", {{"supported", true}, {"maxResults", app::kScimMaxResults}}},
      {"changePassword", {{"supported", false}}},
      {"sort", {{"supported", false}}},
      {"etag", {{"supported", false}}},
      {"authenticationSchemes",
       {{{"type", "oauthbearertoken"},
         {"name", "API key"},
         {"description",
          "An API key of the organization with scope scim, sent as Authorization: Bearer."},
         {"primary", true}}}},
      {"meta",
       {{"resourceType", "ServiceProviderConfig"}, {"location", base + "/ServiceProviderConfig"}}}};
}

nlohmann::json ResourceTypesJson(const std::string& base) {
  auto type = [&](const char* name, const char* endpoint, const char* schema,
                  const char* description) {
    return nlohmann::json{
        {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}},
        {"id", name},
        {"name", name},
        {"endpoint", endpoint},
        {"description", description},
        {"schema", schema},
        {"meta", {{"resourceType", "ResourceType"}, {"location", base + "/ResourceTypes/" + name}}}};
  };
  return nlohmann::json::array(
      {type("User", "/Users", kUserSchema, "A member of the organization."),
       type("Group", "/Groups", kGroupSchema,
            "An assistant of the organization; its members are the users assigned to it.")});
}

nlohmann::json SchemasJson(const std::string& base) {
  nlohmann::json user_attributes = nlohmann::json::array({
      Attribute("userName", "string", true, "immutable",
                "The member's e-mail; set at creation, it cannot change.", false, "server"),
      Attribute("externalId", "string", false, "readWrite",
                "The identity provider's id of the person.", true),
      Attribute("displayName", "string", false, "readWrite", "The name shown for the member."),
      Attribute("active", "boolean", false, "readWrite",
                "false deactivates the member, true reactivates him."),
  });
  nlohmann::json name = Attribute("name", "complex", false, "readWrite", "The member's name.");
  name["subAttributes"] = nlohmann::json::array(
      {Attribute("givenName", "string", false, "readWrite", "Given name."),
       Attribute("familyName", "string", false, "readWrite", "Family name."),
       Attribute("formatted", "string", false, "readWrite", "The whole name.")});
  user_attributes.push_back(name);
  user_attributes.push_back(MultiValued(
      Attribute("emails", "complex", false, "readWrite",
                "The member's e-mail (userName), of type work."),
      nlohmann::json::array({Attribute("value", "string", false, "readWrite", "The address."),
                             Attribute("type", "string", false, "readWrite", "work."),
                             Attribute("primary", "boolean", false, "readWrite", "true.")})));
  user_attributes.push_back(MultiValued(
      Attribute("roles", "complex", false, "readWrite", "The member's role, admin or user."),
      nlohmann::json::array({Attribute("value", "string", true, "readWrite", "admin or user."),
                             Attribute("primary", "boolean", false, "readWrite", "true.")})));
  nlohmann::json group_attributes = nlohmann::json::array(
      {Attribute("displayName", "string", true, "readWrite",
                 "The assistant's name, unique in the organization ignoring case.", false,
                 "server"),
       MultiValued(Attribute("members", "complex", false, "readWrite",
                             "The users assigned to the assistant."),
                   nlohmann::json::array(
                       {Attribute("value", "string", false, "immutable", "The user's id."),
                        Attribute("display", "string", false, "readOnly", "The user's name."),
                        Attribute("$ref", "reference", false, "immutable", "The user's URI.")}))});
  return nlohmann::json::array(
      {Schema(kUserSchema, "User", "A member of the organization", user_attributes, base),
       Schema(kGroupSchema, "Group", "An assistant of the organization", group_attributes,
              base)});
}

}  // namespace roster::http::scim
