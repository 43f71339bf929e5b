#include "store/assistants.hpp"

#include <soci/soci.h>

#include "store/row.hpp"

namespace roster::store {

std::map<Id, std::vector<Id>> ManagedAssistantsOfUser(Tx& tx, Id user_id) {
  std::map<Id, std::vector<Id>> managed;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT organization_id, assistant_id FROM assistant_users "
                         "WHERE user_id = :user AND is_manager = 1 ORDER BY assistant_id",
       soci::use(user_id));
  for (const soci::row& row : rows) managed[Int64(row, 0)].push_back(Int64(row, 1));
  return managed;
}

}  // namespace roster::store

namespace roster::store {

bool AssistantExists(Tx& tx, Id organization_id, Id assistant_id) {
  int found = 0;
  tx.sql << "SELECT COUNT(*) FROM assistants WHERE organization_id = :org AND id = :id",
      soci::use(organization_id), soci::use(assistant_id), soci::into(found);
  return found > 0;
}

void AssignUser(Tx& tx, Id organization_id, Id assistant_id, Id user_id, bool is_manager,
                UnixSeconds now) {
  int manager = is_manager ? 1 : 0;
  tx.sql << "INSERT INTO assistant_users (organization_id, assistant_id, user_id, is_manager, "
            "created_at) VALUES (:org, :assistant, :user, :manager, :now) "
            "ON CONFLICT (assistant_id, user_id) DO UPDATE SET is_manager = excluded.is_manager",
      soci::use(organization_id), soci::use(assistant_id), soci::use(user_id), soci::use(manager),
      soci::use(now);
}

}  // namespace roster::store
