// Deactivation, reactivation and organization settings (SPEC 8).
#include <string>
#include <vector>

#include "app/lifecycle.hpp"
#include "app/org_settings.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"

namespace roster::http {
namespace {

// With the server's invitation lifetime (ROSTER_INVITE_TTL, read-only
// here): the console's invite dialog says how long a one-time password works.
nlohmann::json SettingsJson(const domain::OrganizationSettings& settings, UnixSeconds invite_ttl) {
  const domain::OffboardingPolicy& policy = settings.offboarding;
  return {{"offboarding",
           {{"heir_user_id", policy.heir_user_id ? nlohmann::json(FormatId(*policy.heir_user_id))
                                                 : nlohmann::json()},
            {"prefer_assistant_manager", policy.prefer_assistant_manager}}},
          {"require_mfa", settings.require_mfa},
          {"invite_ttl_seconds", invite_ttl}};
}

// `offboarding` of a merge patch: null resets the policy, an object changes
// the members it names.
void ReadOffboardingPatch(const nlohmann::json& value, domain::SettingsPatch& patch,
                          std::vector<FieldError>& errors) {
  domain::OffboardingPatch offboarding;
  if (value.is_null()) {
    offboarding.heir_user_id = std::optional<Id>();
    offboarding.prefer_assistant_manager = false;
    patch.offboarding = offboarding;
    return;
  }
  if (!value.is_object()) {
    errors.push_back({"offboarding", "Must be an object."});
    return;
  }
  for (const auto& [key, field] : value.items()) {
    std::string name = "offboarding." + key;
    if (key == "heir_user_id") {
      auto id = field.is_string() ? ParseId(field.get<std::string>()) : std::nullopt;
      if (field.is_null()) {
        offboarding.heir_user_id = std::optional<Id>();
      } else if (id) {
        offboarding.heir_user_id = id;
      } else {
        errors.push_back({name, "Must be a member's ID (a string of digits) or null."});
      }
    } else if (key == "prefer_assistant_manager") {
      if (field.is_boolean() || field.is_null()) {
        offboarding.prefer_assistant_manager = field.is_boolean() && field.get<bool>();
      } else {
        errors.push_back({name, "Must be true or false."});
      }
    } else {
      errors.push_back({name, "Unknown setting."});
    }
  }
  patch.offboarding = offboarding;
}

Result<domain::SettingsPatch> ParseSettingsPatch(const Request& request) {
  if (!request.json.is_object()) {
    return Problem::Validation("body", "The body must be a JSON object.");
  }
  domain::SettingsPatch patch;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : request.json.items()) {
    if (key == "offboarding") {
      ReadOffboardingPatch(value, patch, errors);
    } else if (key == "require_mfa") {
      if (value.is_boolean()) {
        patch.require_mfa = value.get<bool>();
      } else {
        errors.push_back({key, "Must be true or false."});
      }
    } else if (key == "invite_ttl_seconds") {
      errors.push_back({key, "Read-only: the server's ROSTER_INVITE_TTL sets it."});
    } else {
      errors.push_back({key, "Unknown setting."});
    }
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return patch;
}

// The optional `reassign_to` query parameter of a hand-over.
Result<std::optional<Id>> ReassignTo(const Request& request) {
  auto reassign_to = QueryId(request, "reassign_to");
  if (!reassign_to.ok()) {
    return Problem::Invalid("invalid_reassign_target", "reassign_to is not a valid member ID.");
  }
  return *reassign_to;
}

}  // namespace

void AddLifecycleRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/orgs/{org}/members/{user}/deactivate", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    auto reassign_to = ReassignTo(request);
    if (!reassign_to.ok()) return ProblemResponse(reassign_to.problem());
    return ReplyWritten(200, app::DeactivateMember(context, caller, org, *user_id, *reassign_to), WriteMember);
  }));

  router.Add("POST", "/api/v1/orgs/{org}/members/{user}/reactivate", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    return ReplyWritten(200, app::ReactivateMember(context, caller, org, *user_id), WriteMember);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/settings", ForOrganization(context, [&context](Request&, const app::Principal& caller, Id org) {
    return Reply(200, app::GetSettings(context, caller, org), [&context](const auto& settings) {
      return SettingsJson(settings, context.settings.invite_ttl);
    });
  }));

  router.Add("PATCH", "/api/v1/orgs/{org}/settings", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto patch = ParseSettingsPatch(request);
    if (!patch.ok()) return ProblemResponse(patch.problem());
    return Reply(200, app::UpdateSettings(context, caller, org, *patch), [&context](const auto& settings) {
      return SettingsJson(settings, context.settings.invite_ttl);
    });
  }));
}

}  // namespace roster::http
