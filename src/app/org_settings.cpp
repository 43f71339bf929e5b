#include "app/org_settings.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/mfa_requirement.hpp"
#include "app/offboarding.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

// The stored object; anything unreadable reads as the defaults, so that a
// hand-edited row never takes the organization down.
nlohmann::json StoredSettings(Tx& tx, Id organization_id) {
  nlohmann::json stored =
      nlohmann::json::parse(store::ReadSettings(tx, organization_id), nullptr, false);
  return stored.is_object() ? stored : nlohmann::json::object();
}

domain::OrganizationSettings FromJson(const nlohmann::json& stored) {
  domain::OrganizationSettings settings;
  auto offboarding = stored.find("offboarding");
  if (offboarding == stored.end() || !offboarding->is_object()) return settings;
  auto heir = offboarding->find("heir_user_id");
  if (heir != offboarding->end() && heir->is_string()) {
    settings.offboarding.heir_user_id = ParseId(heir->get<std::string>());
  }
  auto prefer = offboarding->find("prefer_assistant_manager");
  settings.offboarding.prefer_assistant_manager =
      prefer != offboarding->end() && prefer->is_boolean() && prefer->get<bool>();
  return settings;
}

nlohmann::json OffboardingJson(const domain::OffboardingPolicy& policy) {
  return {{"heir_user_id", policy.heir_user_id ? nlohmann::json(FormatId(*policy.heir_user_id))
                                               : nlohmann::json()},
          {"prefer_assistant_manager", policy.prefer_assistant_manager}};
}

domain::OffboardingPolicy Patched(domain::OffboardingPolicy policy,
                                  const domain::OffboardingPatch& patch) {
  if (patch.heir_user_id) policy.heir_user_id = *patch.heir_user_id;
  if (patch.prefer_assistant_manager) {
    policy.prefer_assistant_manager = *patch.prefer_assistant_manager;
  }
  return policy;
}

Status CheckHeir(Tx& tx, Id organization_id, const domain::OffboardingPolicy& policy) {
  if (!policy.heir_user_id) return {};
  auto heir = store::FindMembership(tx, organization_id, *policy.heir_user_id);
  if (heir && heir->state == domain::MembershipState::kActive) return {};
  Problem problem = Problem::Invalid("invalid_offboarding_heir",
                                     "The heir must be an active member of this organization.");
  problem.errors.push_back(
      {"offboarding.heir_user_id", "Choose an active member of this organization."});
  return problem;
}

// Writes the offboarding policy `after` over `before` in `stored` and audits
// the change; false when there is none.
bool SaveOffboarding(Tx& tx, Id organization_id, const nlohmann::json& stored,
                     const domain::OffboardingPolicy& before,
                     const domain::OffboardingPolicy& after, const domain::Actor& actor,
                     UnixSeconds now) {
  nlohmann::json changed = stored;
  changed["offboarding"] = OffboardingJson(after);
  nlohmann::json previous = stored;
  previous["offboarding"] = OffboardingJson(before);
  if (changed == previous) return false;
  store::WriteSettings(tx, organization_id, changed.dump());
  RecordAudit(tx, organization_id, now, actor, "settings_updated", std::nullopt,
              {{"from", previous}, {"to", changed}});
  return true;
}

}  // namespace

void ForgetRemovedHeir(Tx& tx, Id organization_id, Id user_id, const domain::Actor& actor,
                       UnixSeconds now) {
  nlohmann::json stored = StoredSettings(tx, organization_id);
  domain::OffboardingPolicy before = FromJson(stored).offboarding;
  if (before.heir_user_id != user_id) return;
  domain::OffboardingPolicy after = before;
  after.heir_user_id.reset();
  SaveOffboarding(tx, organization_id, stored, before, after, actor, now);
}

domain::OrganizationSettings ReadOrganizationSettings(Tx& tx, Id organization_id) {
  domain::OrganizationSettings settings = FromJson(StoredSettings(tx, organization_id));
  settings.require_mfa = ReadRequireMfa(tx, organization_id);
  return settings;
}

Result<domain::OrganizationSettings> GetSettings(Context& context, const Principal& caller,
                                                 Id organization_id) {
  return context.database.Read<domain::OrganizationSettings>(
      [&](Tx& tx) -> Result<domain::OrganizationSettings> {
        ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadSettings));
        return ReadOrganizationSettings(tx, organization_id);
      });
}

Result<domain::OrganizationSettings> UpdateSettings(Context& context, const Principal& caller,
                                                    Id organization_id,
                                                    const domain::SettingsPatch& patch) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<domain::OrganizationSettings>(
      [&](Tx& tx) -> Result<domain::OrganizationSettings> {
        // Serializes with removals and deactivations, which read the heir
        // and may take him away.
        store::LockOrganization(tx, organization_id);
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageSettings));
        nlohmann::json stored = StoredSettings(tx, organization_id);
        domain::OrganizationSettings before = FromJson(stored);
        domain::OrganizationSettings after = before;
        // Two-factor's switch has its own column and rule (app/two_factor.cpp).
        after.require_mfa = ReadRequireMfa(tx, organization_id);
        if (patch.require_mfa) {
          after.require_mfa = ROSTER_TRY(
              ApplyRequireMfa(tx, caller, access, organization_id, *patch.require_mfa, now));
        }
        if (patch.offboarding) {
          after.offboarding = Patched(before.offboarding, *patch.offboarding);
          ROSTER_TRY_STATUS(CheckHeir(tx, organization_id, after.offboarding));
        }
        if (!SaveOffboarding(tx, organization_id, stored, before.offboarding, after.offboarding,
                             access.actor, now)) {
          return after;
        }
        spdlog::info("event=settings_updated organization={} actor={}", organization_id,
                     ActorText(caller));
        return after;
      });
}

}  // namespace roster::app
