#include "app/api_keys.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/api_keys.hpp"

namespace roster::app {
namespace {

using store::Tx;

constexpr std::string_view kKeyPrefix = "rk_";
// "rk_" and the first 8 characters of the random part: enough to tell keys
// apart in a list, far too little to guess the rest (248 bits remain).
constexpr std::size_t kShownPrefix = 11;
// A key is 46 characters; anything much longer is not one, and is refused
// before it is hashed or looked up.
constexpr std::size_t kMaxKeyLength = 100;
// last_used_at is written at most this often per key.
constexpr UnixSeconds kTouchInterval = 60;

// One answer for every key that does not open, so that none tells which.
Problem KeyRefused() {
  return Problem::Unauthenticated("unauthenticated",
                                  "The API key is not valid: unknown, revoked, expired or "
                                  "malformed.");
}

nlohmann::json ExpiryJson(const std::optional<UnixSeconds>& expires_at) {
  return expires_at ? nlohmann::json(FormatRfc3339(*expires_at)) : nlohmann::json();
}

}  // namespace

Result<CreatedApiKey> CreateApiKey(Context& context, const Principal& caller, Id organization_id,
                                   const ApiKeyRequest& request) {
  UnixSeconds now = context.clock.Now();
  std::string secret = std::string(kKeyPrefix) + NewSessionToken();
  return context.database.Write<CreatedApiKey>([&](Tx& tx) -> Result<CreatedApiKey> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageApiKeys));
    std::vector<FieldError> errors;
    Result<std::string> name = domain::ValidateLabel(request.name, "name", false);
    if (!name.ok()) errors.push_back(name.problem().errors.front());
    if (!request.scope) errors.push_back({"scope", "scope must be admin, read or scim."});
    if (request.expires_at && *request.expires_at <= now) {
      errors.push_back({"expires_at", "expires_at must be in the future."});
    }
    if (!errors.empty()) return Problem::Validation(std::move(errors));
    store::NewApiKey key{*name,          *request.scope,       secret.substr(0, kShownPrefix),
                         HashToken(secret), access.actor.user_id, request.expires_at};
    Id id = store::InsertApiKey(tx, organization_id, key, now);
    RecordAudit(tx, organization_id, now, access.actor, "api_key_created", std::nullopt,
                {{"api_key_id", FormatId(id)},
                 {"name", key.name},
                 {"scope", domain::ToString(key.scope)},
                 {"expires_at", ExpiryJson(key.expires_at)}});
    spdlog::info("event=api_key_created organization={} actor={} key={} scope={}",
                 organization_id, ActorText(caller), id, domain::ToString(key.scope));
    return CreatedApiKey{*store::FindApiKey(tx, organization_id, id), secret};
  });
}

Result<Page<domain::ApiKey>> ListApiKeys(Context& context, const Principal& caller,
                                         Id organization_id, bool revoked, int limit,
                                         const std::optional<std::string>& cursor) {
  return context.database.Read<Page<domain::ApiKey>>([&](Tx& tx) -> Result<Page<domain::ApiKey>> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageApiKeys));
    return store::ListApiKeys(tx, organization_id, revoked, limit, cursor);
  });
}

Status RevokeApiKey(Context& context, const Principal& caller, Id organization_id, Id key_id) {
  UnixSeconds now = context.clock.Now();
  Result<bool> revoked = context.database.Write<bool>([&](Tx& tx) -> Result<bool> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageApiKeys));
    auto key = store::FindApiKey(tx, organization_id, key_id);
    if (!key || key->revoked_at) return Problem::NotFound("No such API key.");
    store::RevokeApiKey(tx, organization_id, key_id, now);
    RecordAudit(tx, organization_id, now, access.actor, "api_key_revoked", std::nullopt,
                {{"api_key_id", FormatId(key_id)}, {"name", key->name}});
    spdlog::info("event=api_key_revoked organization={} actor={} key={}", organization_id,
                 ActorText(caller), key_id);
    return true;
  });
  if (!revoked.ok()) return revoked.problem();
  return {};
}

Result<Principal> AuthenticateApiKey(Context& context, const std::string& secret) {
  if (secret.size() > kMaxKeyLength || !secret.starts_with(kKeyPrefix)) {
    return KeyRefused();
  }
  UnixSeconds now = context.clock.Now();
  std::string hash = HashToken(secret);
  // As a session's: one statement outside a transaction, and a write of
  // one statement at most once a minute (see Authenticate).
  auto key = context.database.ReadOneStatement<std::optional<domain::ApiKey>>(
      [&](Tx& tx) -> Result<std::optional<domain::ApiKey>> {
        return store::FindApiKeyByHash(tx, hash);
      });
  if (!key.ok()) return key.problem();
  const auto& found = key.value();
  if (!found || found->revoked_at || (found->expires_at && *found->expires_at <= now)) {
    spdlog::info("event=api_key_refused reason={}",
                 !found ? "unknown" : found->revoked_at ? "revoked" : "expired");
    return KeyRefused();
  }
  if (!found->last_used_at || *found->last_used_at <= now - kTouchInterval) {
    // Losing this write loses nothing but a timestamp: the request goes on.
    Result<bool> touched = context.database.WriteOneStatement<bool>([&](Tx& tx) -> Result<bool> {
      store::TouchApiKey(tx, found->id, now, now - kTouchInterval);
      return true;
    });
    if (!touched.ok()) {
      spdlog::warn("event=api_key_touch_failed key={} error={}", found->id,
                   touched.problem().internal);
    }
  }
  Principal principal;
  principal.api_key = ApiKeyIdentity{found->id, found->organization_id, found->scope, found->name};
  return principal;
}

}  // namespace roster::app
