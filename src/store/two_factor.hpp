#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

// Two-factor sign-in (SPEC section 9): a person's TOTP factor, his recovery
// codes, the sign-ins waiting for a second factor, and the organizations
// that require one. The secret is stored only sealed (auth/secret_box.hpp).
namespace roster::store {

struct TotpFactor {
  std::string secret_box;  // sealed; the caller opens it
  std::optional<UnixSeconds> confirmed_at;  // nullopt: set up, not confirmed yet
  std::optional<std::int64_t> last_used_step;
};
std::optional<TotpFactor> FindTotpFactor(Tx& tx, Id user_id);
// The sealed secret of the first factor confirmed, of anyone: the key it
// opens with is the key of every secret sealed after it.
std::optional<std::string> FirstConfirmedTotpSecret(Tx& tx);
// Every confirmed factor's sealed secret: whether the key at hand opens all
// the database holds (a restore without its key, a process with another).
std::vector<std::string> ConfirmedTotpSecrets(Tx& tx);
// True when the user has a confirmed factor ("two-factor on").
bool HasConfirmedTotp(Tx& tx, Id user_id);
// Replaces an unconfirmed factor of the user (or adds one). A confirmed one
// is left alone: the caller refuses that case first.
void PutUnconfirmedTotp(Tx& tx, Id user_id, const std::string& secret_box, UnixSeconds now);
// Marks the factor confirmed by the code of `step`.
void ConfirmTotp(Tx& tx, Id user_id, std::int64_t step, UnixSeconds now);
// Records that the code of `step` was used. False when that step or a newer
// one was used already (a parallel request with the same code won).
bool UseTotpStep(Tx& tx, Id user_id, std::int64_t step);
// Removes the factor and every recovery code of the user.
void DeleteTotp(Tx& tx, Id user_id);

// Replaces the user's recovery codes by these SHA-256 hashes.
void ReplaceRecoveryCodes(Tx& tx, Id user_id, const std::vector<std::string>& code_hashes);
// Uses the unused code with this hash; false when there is none.
bool UseRecoveryCode(Tx& tx, Id user_id, const std::string& code_hash, UnixSeconds now);
std::int64_t CountUnusedRecoveryCodes(Tx& tx, Id user_id);

// A sign-in that waits for its second factor.
struct MfaChallenge {
  Id id = 0;
  Id user_id = 0;
  UnixSeconds expires_at = 0;
};
Id InsertMfaChallenge(Tx& tx, const std::string& token_hash, Id user_id, UnixSeconds now,
                      UnixSeconds expires_at);
std::optional<MfaChallenge> FindMfaChallenge(Tx& tx, const std::string& token_hash);
// False when it was gone already: a challenge completes once.
bool DeleteMfaChallenge(Tx& tx, Id challenge_id);
void DeleteMfaChallengeByTokenHash(Tx& tx, const std::string& token_hash);
void DeleteMfaChallengesOfUser(Tx& tx, Id user_id);
void DeleteExpiredMfaChallenges(Tx& tx, UnixSeconds now);

// The organization's "require two-factor" switch.
bool OrganizationRequiresMfa(Tx& tx, Id organization_id);
void SetOrganizationRequiresMfa(Tx& tx, Id organization_id, bool required);
// True when the organization requires two-factor and the user has none: he
// is refused there (403 `mfa_setup_required`). One query, for every request.
bool MissesRequiredMfa(Tx& tx, Id organization_id, Id user_id);

}  // namespace roster::store
