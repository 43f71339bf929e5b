#include "store/password_resets.hpp"

#include <soci/soci.h>

#include "store/query.hpp"

namespace roster::store {

void ReplacePasswordReset(Tx& tx, Id user_id, const std::string& otp_hash, UnixSeconds expires_at,
                          std::optional<Id> requested_by, UnixSeconds now) {
  DeletePasswordReset(tx, user_id);
  Query insert(tx,
               "INSERT INTO password_resets (user_id, otp_hash, expires_at, requested_by, "
               "created_at) VALUES ($1, $2, $3, $4, $5)");
  insert.Bind(static_cast<std::int64_t>(user_id))
      .Bind(std::string_view(otp_hash))
      .Bind(static_cast<std::int64_t>(expires_at))
      .Bind(requested_by)
      .Bind(static_cast<std::int64_t>(now));
  insert.Execute();
}

std::optional<PasswordReset> FindPasswordReset(Tx& tx, Id user_id) {
  Query row(tx, "SELECT otp_hash, expires_at FROM password_resets WHERE user_id = $1");
  row.Bind(static_cast<std::int64_t>(user_id));
  if (!row.Next()) return std::nullopt;
  return PasswordReset{user_id, row.Text(0), row.Int64(1)};
}

void DeletePasswordReset(Tx& tx, Id user_id) {
  Query remove(tx, "DELETE FROM password_resets WHERE user_id = $1");
  remove.Bind(static_cast<std::int64_t>(user_id));
  remove.Execute();
}

}  // namespace roster::store
