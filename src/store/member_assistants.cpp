#include "store/member_assistants.hpp"

#include <algorithm>
#include <bit>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/query.hpp"
#include "store/sql_builder.hpp"

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

std::unique_ptr<Query> AssistantsOfMembers(Tx& tx, Id organization_id,
                                          std::span<const Id> user_ids, const Viewer& viewer) {
  std::size_t slots = std::bit_ceil(user_ids.size());
  auto rows = std::make_unique<Query>(tx, AssistantsOfMembersSql(slots, viewer));
  rows->Bind(static_cast<std::int64_t>(organization_id));
  for (std::size_t i = 0; i < slots; ++i) {
    rows->Bind(static_cast<std::int64_t>(user_ids[std::min(i, user_ids.size() - 1)]));
  }
  if (!viewer.sees_all) rows->Bind(static_cast<std::int64_t>(viewer.user_id));
  return rows;
}

void FillAssistants(Tx& tx, Id organization_id, std::span<domain::Member> members,
                    const Viewer& viewer) {
  if (members.empty()) return;
  std::vector<Id> user_ids;
  std::vector<domain::Member*> pointers;
  for (domain::Member& member : members) {
    user_ids.push_back(member.user_id);
    pointers.push_back(&member);
  }
  ReadAssistants(*AssistantsOfMembers(tx, organization_id, user_ids, viewer), pointers);
}

std::string AssistantsOfKeysSql(SqlBuilder& parameters, const std::string& keys,
                                const std::string& organization, const Viewer& viewer) {
  return "SELECT au.user_id, a.id, a.name, au.is_manager FROM (" + keys +
         ") k JOIN assistant_users au ON au.organization_id = " + organization +
         " AND au.user_id = k.user_id JOIN assistants a ON a.id = au.assistant_id WHERE " +
         AssistantUserVisibleTo(parameters, viewer, "au") +
         " ORDER BY au.user_id, LOWER(a.name), a.id";
}

void ReadAssistants(Query& rows, std::span<domain::Member* const> members) {
  std::unordered_map<Id, domain::Member*> by_user;
  for (domain::Member* member : members) {
    member->assistants.emplace();
    by_user[member->user_id] = member;
  }
  while (rows.Next()) {
    by_user.at(rows.Int64(0))->assistants->push_back(
        {rows.Int64(1), rows.Text(2), rows.Int64(3) != 0});
  }
}

}  // namespace roster::store
