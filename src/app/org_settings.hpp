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

}  // namespace roster::app
