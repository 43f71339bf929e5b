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

// The assignments of the members whose user ids `members` gives (a list, or
// a SELECT of user_id) that `visible` lets through, by member and by name.
// assistant_users_by_user (organization_id, user_id): one probe per member.
std::string AssignmentsSql(const std::string& organization, const std::string& members,
                           const std::string& visible) {
  return "SELECT au.user_id, a.id, a.name, au.is_manager FROM assistant_users au "
         "JOIN assistants a ON a.id = au.assistant_id WHERE au.organization_id = " +
         organization + " AND au.user_id IN (" + members + ") AND " + visible +
         " ORDER BY au.user_id, LOWER(a.name), a.id";
}

// The page's user ids are bound as a list whose length is the next power of
// two (padded with the last id; IN ignores repeats), so that a connection
// prepares a handful of these statements once instead of parsing one per page.
std::string AssistantsOfMembersSql(std::size_t slots, const Viewer& viewer) {
  std::string members;
  for (std::size_t i = 0; i < slots; ++i) {
    members += i == 0 ? "$" : ", $";
    members += std::to_string(i + 2);
  }
  return AssignmentsSql(
      "$1", members,
      AssistantUserVisibleTo(viewer, "au", std::string("$").append(std::to_string(slots + 2))));
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
  return AssignmentsSql(organization, keys, AssistantUserVisibleTo(parameters, viewer, "au"));
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
