#pragma once

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/org_settings.hpp"

// Organization settings (SPEC 8): GET and PATCH /orgs/{org}/settings.
// Admins, admin keys and (reading) read keys; 403 for other members, 404
// for outsiders.
namespace roster::app {

Result<domain::OrganizationSettings> GetSettings(Context& context, const Principal& caller,
                                                 Id organization_id);

// Applies the patch and answers the settings as they are now. The heir must
// be an active member of the organization (422 `invalid_offboarding_heir`).
// Writes a `settings_updated` audit event when anything changed.
Result<domain::OrganizationSettings> UpdateSettings(Context& context, const Principal& caller,
                                                    Id organization_id,
                                                    const domain::SettingsPatch& patch);

// A member removed from the organization is no longer its default heir
// (SPEC 8): the setting is cleared in the removal's transaction and audited
// as a settings change by the remover. (A deactivated heir stays: he may
// come back, and a hand-over passes him by meanwhile.)
void ForgetRemovedHeir(store::Tx& tx, Id organization_id, Id user_id, const domain::Actor& actor,
                       UnixSeconds now);

}  // namespace roster::app
