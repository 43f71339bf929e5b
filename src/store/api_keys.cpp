#include "store/api_keys.hpp"

#include <limits>

#include "store/query.hpp"

namespace roster::store {
namespace {

constexpr const char* kSelectApiKey =
    "SELECT k.id, k.organization_id, k.name, k.scope, k.prefix, k.created_by, u.name, u.email, "
    "k.created_at, k.expires_at, k.last_used_at, k.revoked_at "
    "FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ";

domain::ApiKey ReadApiKey(const Query& row) {
  domain::ApiKey key;
  key.id = row.Int64(0);
  key.organization_id = row.Int64(1);
  key.name = row.Text(2);
  key.scope = domain::ParseApiKeyScope(row.Text(3)).value_or(domain::ApiKeyScope::kRead);
  key.prefix = row.Text(4);
  key.created_by = row.OptionalInt64(5);
  key.created_by_name = row.Text(6);
  key.created_by_email = row.Text(7);
  key.created_at = row.Int64(8);
  key.expires_at = row.OptionalInt64(9);
  key.last_used_at = row.OptionalInt64(10);
  key.revoked_at = row.OptionalInt64(11);
  return key;
}

}  // namespace

Id InsertApiKey(Tx& tx, Id organization_id, const NewApiKey& key, UnixSeconds now) {
  Query insert(tx,
               "INSERT INTO api_keys (organization_id, name, scope, prefix, key_hash, created_by, "
               "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
  insert.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(key.name)
      .Bind(domain::ToString(key.scope))
      .Bind(key.prefix)
      .Bind(key.key_hash)
      .Bind(key.created_by)
      .Bind(static_cast<std::int64_t>(now))
      .Bind(key.expires_at);
  insert.Next();
  return insert.Int64(0);
}

std::optional<domain::ApiKey> FindApiKeyByHash(Tx& tx, const std::string& key_hash) {
  // Every request made with a key reads it: prepared once per connection.
  Query row(tx, std::string(kSelectApiKey) + "WHERE k.key_hash = $1");
  row.Bind(std::string_view(key_hash));
  if (!row.Next()) return std::nullopt;
  return ReadApiKey(row);
}

std::optional<domain::ApiKey> FindApiKey(Tx& tx, Id organization_id, Id key_id) {
  Query row(tx, std::string(kSelectApiKey) + "WHERE k.organization_id = $1 AND k.id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(key_id));
  if (!row.Next()) return std::nullopt;
  return ReadApiKey(row);
}

Result<Page<domain::ApiKey>> ListApiKeys(Tx& tx, Id organization_id, bool revoked, int limit,
                                         const std::optional<std::string>& cursor) {
  Id before = std::numeric_limits<Id>::max();
  if (cursor) {
    auto parsed = ParseId(*cursor);
    if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
    before = *parsed;
  }
  Query rows(tx, std::string(kSelectApiKey) +
                     "WHERE k.organization_id = $1 AND k.id < $2 "
                     "AND k.revoked_at IS " + (revoked ? "NOT NULL" : "NULL") +
                     " ORDER BY k.id DESC LIMIT $3");
  rows.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(before))
      .Bind(static_cast<std::int64_t>(limit + 1));
  Page<domain::ApiKey> page;
  while (rows.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().id);
      break;
    }
    page.items.push_back(ReadApiKey(rows));
  }
  return page;
}

void RevokeApiKey(Tx& tx, Id organization_id, Id key_id, UnixSeconds now) {
  Query(tx,
        "UPDATE api_keys SET revoked_at = $1 WHERE organization_id = $2 AND id = $3 "
        "AND revoked_at IS NULL")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(key_id))
      .Execute();
}

void TouchApiKey(Tx& tx, Id key_id, UnixSeconds now, UnixSeconds not_before) {
  Query(tx, "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 "
            "AND (last_used_at IS NULL OR last_used_at < $3)")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(key_id))
      .Bind(static_cast<std::int64_t>(not_before))
      .Execute();
}

}  // namespace roster::store
