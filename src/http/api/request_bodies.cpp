#include "http/api/request_bodies.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "http/api/api_support.hpp"

namespace roster::http {
namespace {

constexpr std::size_t kMaxWebhookEvents = 64;

// `events`: a list of strings; the use case checks the names.
std::optional<std::vector<std::string>> ReadEvents(const Request& request, bool required,
                                                   std::vector<FieldError>& errors) {
  if (!request.json.is_object() || !request.json.contains("events") ||
      request.json["events"].is_null()) {
    if (required) errors.push_back({"events", "This field is required."});
    return std::nullopt;
  }
  const nlohmann::json& value = request.json["events"];
  std::vector<std::string> events;
  bool valid = value.is_array() && value.size() <= kMaxWebhookEvents;
  for (std::size_t i = 0; valid && i < value.size(); ++i) {
    valid = value[i].is_string();
    if (valid) events.push_back(value[i].get<std::string>());
  }
  if (!valid) {
    errors.push_back({"events", "Must be a list of at most 64 event types."});
    return std::nullopt;
  }
  return events;
}


// An ID field of the body: absent (or null) is nullopt; anything but an ID
// string is a 422 naming the field.
Result<std::optional<Id>> BodyId(const Request& request, const std::string& field) {
  if (!request.json.is_object() || !request.json.contains(field) || request.json[field].is_null()) {
    return std::optional<Id>();
  }
  const nlohmann::json& value = request.json[field];
  auto id = value.is_string() ? ParseId(value.get<std::string>()) : std::nullopt;
  if (!id) return Problem::Validation(field, "Must be an ID (a string of digits).");
  return std::optional<Id>(*id);
}

Result<domain::Role> RoleField(const std::string& text) {
  auto role = domain::ParseRole(text);
  if (!role) return Problem::Validation("role", "role must be admin or user.");
  return *role;
}

}  // namespace

Result<Credentials> ParseLogin(const Request& request) {
  BodyReader body(request);
  Credentials credentials;
  credentials.email = body.String("email", true);
  credentials.password = body.String("password", true);
  ROSTER_TRY_STATUS(body.Finish());
  return credentials;
}

Result<PasswordChange> ParsePasswordChange(const Request& request) {
  BodyReader body(request);
  PasswordChange change;
  change.current_password = body.String("current_password", true);
  change.new_password = body.String("new_password", true);
  ROSTER_TRY_STATUS(body.Finish());
  return change;
}

Result<std::string> ParseNewAssistant(const Request& request) {
  BodyReader body(request);
  std::string name = body.String("name", true);
  ROSTER_TRY_STATUS(body.Finish());
  return name;
}

Result<std::optional<bool>> ParseAssignment(const Request& request) {
  BodyReader body(request);
  std::optional<bool> is_manager = body.Bool("is_manager");
  ROSTER_TRY_STATUS(body.Finish());
  return is_manager;
}

Result<bool> ParseManagerChange(const Request& request) {
  BodyReader body(request);
  std::optional<bool> is_manager = body.Bool("is_manager");
  ROSTER_TRY_STATUS(body.Finish());
  if (!is_manager) return Problem::Validation("is_manager", "This field is required.");
  return *is_manager;
}

Result<app::InviteRequest> ParseInvitation(const Request& request) {
  BodyReader body(request);
  app::InviteRequest invite;
  invite.email = body.String("email", true);
  invite.name = body.String("name", true);
  std::string role = body.String("role", false);
  invite.assistant_ids = body.Ids("assistant_ids");
  ROSTER_TRY_STATUS(body.Finish());
  if (!role.empty()) invite.role = ROSTER_TRY(RoleField(role));
  return invite;
}

Result<domain::Role> ParseRoleChange(const Request& request) {
  BodyReader body(request);
  std::string role = body.String("role", true);
  ROSTER_TRY_STATUS(body.Finish());
  return RoleField(role);
}

Result<app::LeadRequest> ParseNewLead(const Request& request) {
  BodyReader body(request);
  app::LeadRequest lead;
  lead.name = body.String("name", true);
  lead.email = body.String("email", true);
  lead.company = body.String("company", false);
  body.Accept({"assistant_id", "owner_id"});
  std::vector<FieldError> errors;
  if (Status valid = body.Finish(); !valid.ok()) errors = valid.problem().errors;
  for (auto [field, target] :
       {std::pair{"assistant_id", &lead.assistant_id}, std::pair{"owner_id", &lead.owner_id}}) {
    auto id = BodyId(request, field);
    if (id.ok())
      *target = *id;
    else
      errors.push_back(id.problem().errors.front());
  }
  if (!lead.assistant_id && BodyId(request, "assistant_id").ok()) {
    errors.push_back({"assistant_id", "This field is required."});
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return lead;
}

Result<app::LeadPatch> ParseLeadPatch(const Request& request) {
  BodyReader body(request);
  app::LeadPatch patch;
  for (auto [field, target] : {std::pair{"status", &patch.status}, std::pair{"name", &patch.name},
                               std::pair{"company", &patch.company}}) {
    if (body.Has(field)) *target = body.String(field, true);
  }
  body.Accept({"owner_id"});
  // A client sending assistant_id to move a lead would be told 200 and
  // nothing moved.
  body.SayOfUnknownFields(
      "This field cannot be changed: a lead's status, name, company and owner can.");
  ROSTER_TRY_STATUS(body.Finish());
  patch.owner_id = ROSTER_TRY(BodyId(request, "owner_id"));
  return patch;
}

Result<app::LeadsReassignment> ParseLeadsReassignment(const Request& request) {
  app::LeadsReassignment reassignment;
  const nlohmann::json& body = request.json;
  bool named = body.is_object() && body.contains("lead_ids");
  if (named && body["lead_ids"].is_array() &&
      body["lead_ids"].size() > app::kMaxLeadsPerReassignment) {
    return app::TooManyLeads();
  }
  std::vector<FieldError> errors;
  auto collect = [&errors](const auto& result) {
    if (!result.ok()) errors.push_back(result.problem().errors.front());
  };
  auto owner = BodyId(request, "owner_id");
  auto assistant = BodyId(request, "assistant_id");
  auto from_owner = BodyId(request, "from_owner_id");
  collect(owner);
  collect(assistant);
  collect(from_owner);
  if (owner.ok() && !*owner) errors.push_back({"owner_id", "This field is required."});
  BodyReader reader(request);
  reader.Accept({"owner_id", "assistant_id", "from_owner_id"});
  if (named) reassignment.lead_ids = reader.Ids("lead_ids");
  if (Status read = reader.Finish(); !read.ok()) {
    for (const FieldError& error : read.problem().errors) errors.push_back(error);
  } else if (named && reassignment.lead_ids.empty()) {
    errors.push_back({"lead_ids", "Name at least one lead."});
  }
  if (named) {
    if (body.contains("assistant_id") || body.contains("from_owner_id")) {
      errors.push_back({"lead_ids", "Send lead_ids, or assistant_id with from_owner_id; not both."});
    }
  } else if (assistant.ok() && from_owner.ok()) {
    if (!*assistant) errors.push_back({"assistant_id", "Send lead_ids, or assistant_id with from_owner_id."});
    if (!*from_owner) errors.push_back({"from_owner_id", "Send lead_ids, or assistant_id with from_owner_id."});
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  reassignment.owner_id = **owner;
  if (!named) {
    reassignment.assistant_id = *assistant;
    reassignment.from_owner_id = *from_owner;
  }
  return reassignment;
}

Result<app::ApiKeyRequest> ParseApiKeyRequest(const Request& request) {
  BodyReader body(request);
  app::ApiKeyRequest key;
  key.name = body.String("name", true);
  std::string scope = body.String("scope", true);
  std::vector<FieldError> errors;
  bool expiry_given = body.Has("expires_at") && !request.json["expires_at"].is_null();
  std::string expiry = expiry_given ? body.String("expires_at", false) : std::string();
  if (Status valid = body.Finish(); !valid.ok()) errors = valid.problem().errors;
  auto has_error = [&errors](std::string_view field) {
    return std::any_of(errors.begin(), errors.end(),
                       [field](const FieldError& error) { return error.field == field; });
  };
  if (!has_error("scope")) {
    key.scope = domain::ParseApiKeyScope(scope);
    if (!key.scope) errors.push_back({"scope", "scope must be admin, read or scim."});
  }
  if (expiry_given && !has_error("expires_at")) {
    key.expires_at = ParseRfc3339(expiry);
    if (!key.expires_at) {
      errors.push_back({"expires_at", "expires_at must be an RFC 3339 time, e.g. 2027-01-31T00:00:00Z."});
    }
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return key;
}

Result<app::WebhookRequest> ParseNewWebhook(const Request& request) {
  BodyReader body(request);
  app::WebhookRequest webhook;
  webhook.url = body.String("url", true);
  webhook.description = body.String("description", false);
  body.Accept({"events"});
  std::vector<FieldError> errors;
  auto events = ReadEvents(request, true, errors);
  Status finished = body.Finish();
  if (!finished.ok()) {
    Problem problem = finished.problem();
    problem.errors.insert(problem.errors.end(), errors.begin(), errors.end());
    return problem;
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  webhook.events = std::move(*events);
  return webhook;
}

Result<app::WebhookPatch> ParseWebhookPatch(const Request& request) {
  BodyReader body(request);
  app::WebhookPatch patch;
  if (body.Has("url")) patch.url = body.String("url", true);
  if (body.Has("description")) patch.description = body.String("description", true);
  patch.enabled = body.Bool("enabled");
  body.Accept({"events"});
  std::vector<FieldError> errors;
  patch.events = ReadEvents(request, false, errors);
  Status finished = body.Finish();
  if (!finished.ok()) {
    Problem problem = finished.problem();
    problem.errors.insert(problem.errors.end(), errors.begin(), errors.end());
    return problem;
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return patch;
}

}  // namespace roster::http
