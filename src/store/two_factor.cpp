#include "store/two_factor.hpp"

#include "store/query.hpp"

namespace roster::store {

std::optional<TotpFactor> FindTotpFactor(Tx& tx, Id user_id) {
  Query row(tx,
            "SELECT secret_box, confirmed_at, last_used_step FROM totp_factors WHERE user_id = $1");
  row.Bind(static_cast<std::int64_t>(user_id));
  if (!row.Next()) return std::nullopt;
  return TotpFactor{row.Text(0), row.OptionalInt64(1), row.OptionalInt64(2)};
}

std::optional<std::string> FirstConfirmedTotpSecret(Tx& tx) {
  Query row(tx,
            "SELECT secret_box FROM totp_factors WHERE confirmed_at IS NOT NULL "
            "ORDER BY confirmed_at, user_id LIMIT 1");
  if (!row.Next()) return std::nullopt;
  return row.Text(0);
}

std::vector<std::string> ConfirmedTotpSecrets(Tx& tx) {
  Query rows(tx, "SELECT secret_box FROM totp_factors WHERE confirmed_at IS NOT NULL");
  std::vector<std::string> secrets;
  while (rows.Next()) secrets.push_back(rows.Text(0));
  return secrets;
}

bool HasConfirmedTotp(Tx& tx, Id user_id) {
  Query row(tx,
            "SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL");
  row.Bind(static_cast<std::int64_t>(user_id));
  return row.Next();
}

void PutUnconfirmedTotp(Tx& tx, Id user_id, const std::string& secret_box, UnixSeconds now) {
  Query remove(tx, "DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL");
  remove.Bind(static_cast<std::int64_t>(user_id));
  remove.Execute();
  Query insert(tx,
               "INSERT INTO totp_factors (user_id, secret_box, created_at) VALUES ($1, $2, $3)");
  insert.Bind(static_cast<std::int64_t>(user_id)).Bind(secret_box).Bind(now);
  insert.Execute();
}

void ConfirmTotp(Tx& tx, Id user_id, std::int64_t step, UnixSeconds now) {
  Query update(tx,
               "UPDATE totp_factors SET confirmed_at = $1, last_used_step = $2 WHERE user_id = $3");
  update.Bind(now).Bind(step).Bind(static_cast<std::int64_t>(user_id));
  update.Execute();
}

bool UseTotpStep(Tx& tx, Id user_id, std::int64_t step) {
  // The condition makes parallel uses of one code race on the row: only one
  // of them changes it.
  Query update(tx,
               "UPDATE totp_factors SET last_used_step = $1 WHERE user_id = $2 "
               "AND (last_used_step IS NULL OR last_used_step < $3)");
  update.Bind(step).Bind(static_cast<std::int64_t>(user_id)).Bind(step);
  return update.Execute() == 1;
}

void DeleteTotp(Tx& tx, Id user_id) {
  Query codes(tx, "DELETE FROM recovery_codes WHERE user_id = $1");
  codes.Bind(static_cast<std::int64_t>(user_id));
  codes.Execute();
  Query factor(tx, "DELETE FROM totp_factors WHERE user_id = $1");
  factor.Bind(static_cast<std::int64_t>(user_id));
  factor.Execute();
}

void ReplaceRecoveryCodes(Tx& tx, Id user_id, const std::vector<std::string>& code_hashes) {
  Query remove(tx, "DELETE FROM recovery_codes WHERE user_id = $1");
  remove.Bind(static_cast<std::int64_t>(user_id));
  remove.Execute();
  for (const std::string& hash : code_hashes) {
    Query insert(tx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)");
    insert.Bind(static_cast<std::int64_t>(user_id)).Bind(hash);
    insert.Execute();
  }
}

bool UseRecoveryCode(Tx& tx, Id user_id, const std::string& code_hash, UnixSeconds now) {
  Query update(tx,
               "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 "
               "AND used_at IS NULL");
  update.Bind(now).Bind(static_cast<std::int64_t>(user_id)).Bind(code_hash);
  return update.Execute() == 1;
}

std::int64_t CountUnusedRecoveryCodes(Tx& tx, Id user_id) {
  Query row(tx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL");
  row.Bind(static_cast<std::int64_t>(user_id));
  return row.Next() ? row.Int64(0) : 0;
}

Id InsertMfaChallenge(Tx& tx, const std::string& token_hash, Id user_id, UnixSeconds now,
                      UnixSeconds expires_at) {
  Query insert(tx,
               "INSERT INTO mfa_challenges (token_hash, user_id, created_at, expires_at) "
               "VALUES ($1, $2, $3, $4) RETURNING id");
  insert.Bind(token_hash).Bind(static_cast<std::int64_t>(user_id)).Bind(now).Bind(expires_at);
  insert.Next();
  return static_cast<Id>(insert.Int64(0));
}

std::optional<MfaChallenge> FindMfaChallenge(Tx& tx, const std::string& token_hash) {
  Query row(tx, "SELECT id, user_id, expires_at FROM mfa_challenges WHERE token_hash = $1");
  row.Bind(token_hash);
  if (!row.Next()) return std::nullopt;
  return MfaChallenge{static_cast<Id>(row.Int64(0)), static_cast<Id>(row.Int64(1)), row.Int64(2)};
}

bool DeleteMfaChallenge(Tx& tx, Id challenge_id) {
  Query remove(tx, "DELETE FROM mfa_challenges WHERE id = $1");
  remove.Bind(static_cast<std::int64_t>(challenge_id));
  return remove.Execute() == 1;
}

void DeleteMfaChallengeByTokenHash(Tx& tx, const std::string& token_hash) {
  Query remove(tx, "DELETE FROM mfa_challenges WHERE token_hash = $1");
  remove.Bind(token_hash);
  remove.Execute();
}

void DeleteMfaChallengesOfUser(Tx& tx, Id user_id) {
  Query remove(tx, "DELETE FROM mfa_challenges WHERE user_id = $1");
  remove.Bind(static_cast<std::int64_t>(user_id));
  remove.Execute();
}

void DeleteExpiredMfaChallenges(Tx& tx, UnixSeconds now) {
  Query remove(tx, "DELETE FROM mfa_challenges WHERE expires_at <= $1");
  remove.Bind(now);
  remove.Execute();
}

bool OrganizationRequiresMfa(Tx& tx, Id organization_id) {
  Query row(tx, "SELECT require_mfa FROM organizations WHERE id = $1");
  row.Bind(static_cast<std::int64_t>(organization_id));
  return row.Next() && row.Int64(0) != 0;
}

void SetOrganizationRequiresMfa(Tx& tx, Id organization_id, bool required) {
  Query update(tx, "UPDATE organizations SET require_mfa = $1 WHERE id = $2");
  update.Bind(static_cast<std::int64_t>(required ? 1 : 0))
      .Bind(static_cast<std::int64_t>(organization_id));
  update.Execute();
}

bool MissesRequiredMfa(Tx& tx, Id organization_id, Id user_id) {
  Query row(tx,
            "SELECT 1 FROM organizations o WHERE o.id = $1 AND o.require_mfa = 1 AND NOT EXISTS "
            "(SELECT 1 FROM totp_factors t WHERE t.user_id = $2 AND t.confirmed_at IS NOT NULL)");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  return row.Next();
}

}  // namespace roster::store
