#pragma once

#include <optional>
#include <string>

#include "app/context.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"

// Organization API keys (SPEC section 7): made, listed and revoked by the
// organization's admins in person (an API key cannot manage keys); they
// belong to the organization and outlive the admin who made them.
namespace roster::app {

struct ApiKeyRequest {
  std::string name;
  std::optional<domain::ApiKeyScope> scope;  // required
  std::optional<UnixSeconds> expires_at;     // never when absent; must be in the future
};

struct CreatedApiKey {
  domain::ApiKey key;
  std::string secret;  // "rk_" + 256 random bits; shown in this answer only
};

Result<CreatedApiKey> CreateApiKey(Context& context, const Principal& caller, Id organization_id,
                                   const ApiKeyRequest& request);
// The keys not revoked (or, with `revoked`, only the revoked ones, whose
// actions the audit log still names), newest first.
Result<Page<domain::ApiKey>> ListApiKeys(Context& context, const Principal& caller,
                                         Id organization_id, bool revoked, int limit,
                                         const std::optional<std::string>& cursor);
// The key fails from the next request on; 404 for an unknown or revoked key.
Status RevokeApiKey(Context& context, const Principal& caller, Id organization_id, Id key_id);

// The principal of a bearer key; 401 for anything but a known key that is
// neither revoked nor expired. Records last_used_at, at most once a minute.
Result<Principal> AuthenticateApiKey(Context& context, const std::string& key);

}  // namespace roster::app
