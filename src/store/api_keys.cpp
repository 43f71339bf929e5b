#include "store/api_keys.hpp"

#include <limits>

#include <soci/soci.h>

#include "store/row.hpp"

namespace roster::store {
namespace {

constexpr const char* kSelectApiKey =
    "SELECT k.id, k.organization_id, k.name, k.scope, k.prefix, k.created_by, u.name, u.email, "
    "k.created_at, k.expires_at, k.last_used_at, k.revoked_at "
    "FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ";

domain::ApiKey ReadApiKey(const soci::row& row) {
  domain::ApiKey key;
  key.id = Int64(row, 0);
  key.organization_id = Int64(row, 1);
  key.name = Text(row, 2);
  key.scope = domain::ParseApiKeyScope(Text(row, 3)).value_or(domain::ApiKeyScope::kRead);
  key.prefix = Text(row, 4);
  key.created_by = OptionalInt64(row, 5);
  key.created_by_name = OptionalText(row, 6).value_or("");
  key.created_by_email = OptionalText(row, 7).value_or("");
  key.created_at = Int64(row, 8);
  key.expires_at = OptionalInt64(row, 9);
  key.last_used_at = OptionalInt64(row, 10);
  key.revoked_at = OptionalInt64(row, 11);
  return key;
}

}  // namespace

Id InsertApiKey(Tx& tx, Id organization_id, const NewApiKey& key, UnixSeconds now) {
  std::string scope(domain::ToString(key.scope));
  Id created_by = key.created_by.value_or(0);
  soci::indicator created_by_set = key.created_by ? soci::i_ok : soci::i_null;
  UnixSeconds expires_at = key.expires_at.value_or(0);
  soci::indicator expires_set = key.expires_at ? soci::i_ok : soci::i_null;
  Id id = 0;
  tx.sql << "INSERT INTO api_keys (organization_id, name, scope, prefix, key_hash, created_by, "
            "created_at, expires_at) VALUES (:org, :name, :scope, :prefix, :hash, :by, :now, "
            ":expires) RETURNING id",
      soci::use(organization_id), soci::use(key.name), soci::use(scope), soci::use(key.prefix),
      soci::use(key.key_hash), soci::use(created_by, created_by_set), soci::use(now),
      soci::use(expires_at, expires_set), soci::into(id);
  return id;
}

std::optional<domain::ApiKey> FindApiKeyByHash(Tx& tx, const std::string& key_hash) {
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << std::string(kSelectApiKey) + "WHERE k.key_hash = :hash",
       soci::use(key_hash));
  for (const soci::row& row : rows) return ReadApiKey(row);
  return std::nullopt;
}

std::optional<domain::ApiKey> FindApiKey(Tx& tx, Id organization_id, Id key_id) {
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << std::string(kSelectApiKey) +
                             "WHERE k.organization_id = :org AND k.id = :id",
       soci::use(organization_id), soci::use(key_id));
  for (const soci::row& row : rows) return ReadApiKey(row);
  return std::nullopt;
}

Result<Page<domain::ApiKey>> ListApiKeys(Tx& tx, Id organization_id, int limit,
                                         const std::optional<std::string>& cursor) {
  Id before = std::numeric_limits<Id>::max();
  if (cursor) {
    auto parsed = ParseId(*cursor);
    if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
    before = *parsed;
  }
  int fetch = limit + 1;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << std::string(kSelectApiKey) +
                             "WHERE k.organization_id = :org AND k.id < :before "
                             "AND k.revoked_at IS NULL ORDER BY k.id DESC LIMIT :limit",
       soci::use(organization_id), soci::use(before), soci::use(fetch));
  Page<domain::ApiKey> page;
  for (const soci::row& row : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().id);
      break;
    }
    page.items.push_back(ReadApiKey(row));
  }
  return page;
}

void RevokeApiKey(Tx& tx, Id organization_id, Id key_id, UnixSeconds now) {
  tx.sql << "UPDATE api_keys SET revoked_at = :now WHERE organization_id = :org AND id = :id "
            "AND revoked_at IS NULL",
      soci::use(now), soci::use(organization_id), soci::use(key_id);
}

void TouchApiKey(Tx& tx, Id key_id, UnixSeconds now, UnixSeconds not_before) {
  tx.sql << "UPDATE api_keys SET last_used_at = :now WHERE id = :id "
            "AND (last_used_at IS NULL OR last_used_at < :not_before)",
      soci::use(now), soci::use(key_id), soci::use(not_before);
}

}  // namespace roster::store
