#include "store/member_assistants.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "store/query.hpp"

namespace roster::store {
namespace {

// The page's user ids are bound as a list whose length is the next power of
// two (padded with the last id; IN ignores repeats), so that a connection
// prepares a handful of these statements once instead of parsing one per page.
std::string AssistantsOfMembersSql(std::size_t slots, const Viewer& viewer) {
  // assistant_users_by_user (organization_id, user_id): one probe per member.
  std::string sql =
      "SELECT au.user_id, a.id, a.name, au.is_manager FROM assistant_users au "
      "JOIN assistants a ON a.id = au.assistant_id WHERE au.organization_id = $1 AND au.user_id IN (";
  for (std::size_t i = 0; i < slots; ++i) {
    sql += (i == 0 ? "$" : ", $") + std::to_string(i + 2);
  }
  sql += ") AND " + AssistantUserVisibleTo(viewer, "au", "$" + std::to_string(slots + 2)) +
         " ORDER BY au.user_id, LOWER(a.name), a.id";
  return sql;
}

}  // namespace

std::map<Id, std::vector<domain::MemberAssistant>> AssistantsOfMembers(
    Tx& tx, Id organization_id, const std::vector<Id>& user_ids, const Viewer& viewer) {
  std::map<Id, std::vector<domain::MemberAssistant>> assistants;
  if (user_ids.empty()) return assistants;
  std::size_t slots = std::bit_ceil(user_ids.size());
  Query rows(tx, AssistantsOfMembersSql(slots, viewer));
  rows.Bind(static_cast<std::int64_t>(organization_id));
  for (std::size_t i = 0; i < slots; ++i) {
    rows.Bind(static_cast<std::int64_t>(user_ids[std::min(i, user_ids.size() - 1)]));
  }
  if (!viewer.sees_all) rows.Bind(static_cast<std::int64_t>(viewer.user_id));
  while (rows.Next()) {
    assistants[rows.Int64(0)].push_back({rows.Int64(1), rows.Text(2), rows.Int64(3) != 0});
  }
  return assistants;
}

}  // namespace roster::store
