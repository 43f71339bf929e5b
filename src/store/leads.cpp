#include "store/leads.hpp"

#include <soci/soci.h>

#include "store/row.hpp"

namespace roster::store {

std::vector<AssistantLeadCount> LeadCountsByAssistant(Tx& tx, Id organization_id, Id owner_id) {
  std::vector<AssistantLeadCount> counts;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT assistant_id, COUNT(*) FROM leads WHERE organization_id = :org "
                         "AND owner_id = :owner GROUP BY assistant_id ORDER BY assistant_id",
       soci::use(organization_id), soci::use(owner_id));
  for (const soci::row& row : rows) counts.push_back({Int64(row, 0), Int64(row, 1)});
  return counts;
}

std::int64_t ReassignAllLeads(Tx& tx, Id organization_id, Id from, Id to, UnixSeconds now) {
  // The receiver joins every assistant the leads are on; the foreign key
  // (assistant_id, owner_id) -> assistant_users then accepts the update.
  tx.sql << "INSERT INTO assistant_users (organization_id, assistant_id, user_id, is_manager, "
            "created_at) SELECT DISTINCT :org, l.assistant_id, :to, 0, :now FROM leads l "
            "WHERE l.organization_id = :org2 AND l.owner_id = :from AND NOT EXISTS ("
            "SELECT 1 FROM assistant_users au WHERE au.assistant_id = l.assistant_id "
            "AND au.user_id = :to2)",
      soci::use(organization_id), soci::use(to), soci::use(now), soci::use(organization_id),
      soci::use(from), soci::use(to);
  soci::statement update =
      (tx.sql.prepare << "UPDATE leads SET owner_id = :to WHERE organization_id = :org "
                         "AND owner_id = :from",
       soci::use(to), soci::use(organization_id), soci::use(from));
  update.execute(true);
  return update.get_affected_rows();
}

}  // namespace roster::store
