#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/page.hpp"

// Organization API keys (SPEC section 7).
namespace roster::store {

struct NewApiKey {
  std::string name;
  domain::ApiKeyScope scope = domain::ApiKeyScope::kRead;
  std::string prefix;
  std::string key_hash;  // SHA-256 hex of the key
  std::optional<Id> created_by;
  std::optional<UnixSeconds> expires_at;
};
Id InsertApiKey(Tx& tx, Id organization_id, const NewApiKey& key, UnixSeconds now);

// The key whose SHA-256 is `key_hash`, revoked and expired ones included
// (the caller decides), or nullopt.
std::optional<domain::ApiKey> FindApiKeyByHash(Tx& tx, const std::string& key_hash);
// The organization's key, revoked ones included, or nullopt.
std::optional<domain::ApiKey> FindApiKey(Tx& tx, Id organization_id, Id key_id);

// The keys not revoked (or, with `revoked`, only the revoked ones), newest
// first. A malformed cursor is a 422.
Result<Page<domain::ApiKey>> ListApiKeys(Tx& tx, Id organization_id, bool revoked, int limit,
                                         const std::optional<std::string>& cursor);

void RevokeApiKey(Tx& tx, Id organization_id, Id key_id, UnixSeconds now);

// Sets last_used_at to `now` unless it is already later than `not_before`;
// so that a busy key writes at most once a minute.
void TouchApiKey(Tx& tx, Id key_id, UnixSeconds now, UnixSeconds not_before);

}  // namespace roster::store
