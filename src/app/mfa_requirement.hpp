#pragma once

#include "app/access.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: an organization's "require two-factor"
// switch (SPEC 9), part of its settings (app/org_settings.cpp).
namespace roster::app {

bool ReadRequireMfa(store::Tx& tx, Id organization_id);

// Sets the switch and answers it. Turning it on takes an admin in person who
// has two-factor on himself (409 `mfa_setup_required`; 403 for an API key).
// A change is audited `mfa_requirement_changed`.
Result<bool> ApplyRequireMfa(store::Tx& tx, const Principal& caller, const Access& access,
                             Id organization_id, bool required, UnixSeconds now);

}  // namespace roster::app
