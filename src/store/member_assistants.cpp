#include "store/member_assistants.hpp"

#include "store/row.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {

std::map<Id, std::vector<domain::MemberAssistant>> AssistantsOfMembers(
    Tx& tx, Id organization_id, const std::vector<Id>& user_ids, const Viewer& viewer) {
  std::map<Id, std::vector<domain::MemberAssistant>> assistants;
  if (user_ids.empty()) return assistants;
  // assistant_users_by_user (organization_id, user_id): one probe per member.
  SqlBuilder query;
  query.sql = "SELECT au.user_id, a.id, a.name, au.is_manager FROM assistant_users au "
              "JOIN assistants a ON a.id = au.assistant_id WHERE au.organization_id = " +
              query.Bind(organization_id) + " AND au.user_id IN (";
  for (std::size_t i = 0; i < user_ids.size(); ++i) {
    query.sql += (i == 0 ? "" : ", ") + query.Bind(static_cast<long long>(user_ids[i]));
  }
  query.sql += ") AND " + AssistantUserVisibleTo(query, viewer, "au") +
               " ORDER BY au.user_id, LOWER(a.name), a.id";
  soci::rowset<soci::row> rows = (tx.sql.prepare << query.sql, soci::use(query.values()));
  for (const soci::row& row : rows) {
    assistants[Int64(row, 0)].push_back({Int64(row, 1), Text(row, 2), Int64(row, 3) != 0});
  }
  return assistants;
}

}  // namespace roster::store
