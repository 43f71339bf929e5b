#pragma once

#include <optional>

#include "core/ids.hpp"

// An organization's settings (SPEC 8): one object whose members are the
// settings of each feature, changed by PATCH with merge-patch semantics
// (RFC 7396): a member left out stays as it is, null resets it.
namespace roster::domain {

// Where the leads of a member who leaves go when nobody is named to take
// them (deactivation, removal or SCIM without `reassign_to`).
struct OffboardingPolicy {
  // The default receiver: an active member of the organization.
  std::optional<Id> heir_user_id;
  // Each lead goes first to a manager of its assistant, the one who owns the
  // fewest of that assistant's leads, never the leaver; the heir takes the
  // leads of assistants without one.
  bool prefer_assistant_manager = false;

  // Whether an admin set any policy at all.
  bool IsSet() const { return heir_user_id.has_value() || prefer_assistant_manager; }
};

struct OrganizationSettings {
  OffboardingPolicy offboarding;
  // Members without two-factor sign-in are refused here (SPEC 9).
  bool require_mfa = false;
};

// A change of the offboarding policy: nullopt fields stay as they are.
struct OffboardingPatch {
  // nullopt: unchanged; holding nullopt: no heir.
  std::optional<std::optional<Id>> heir_user_id;
  std::optional<bool> prefer_assistant_manager;
};

// A PATCH of the settings: nullopt members stay as they are.
struct SettingsPatch {
  std::optional<OffboardingPatch> offboarding;
  std::optional<bool> require_mfa;
};

}  // namespace roster::domain
