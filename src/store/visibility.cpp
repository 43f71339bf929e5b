#include "store/visibility.hpp"

#include "store/row.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {
namespace {

// Past this many managed assistants, merging one index range per assistant
// (each up to a page long) costs more than walking the organization's index
// with the rule as a predicate: such a manager sees a large share of the
// organization's leads, so the walk finds a page quickly. Both forms give the
// same rows; this also keeps the UNION far below SQLite's 500-term limit.
constexpr std::size_t kMaxManagerRanges = 64;

std::vector<Id> ManagedAssistants(Tx& tx, Id organization_id, Id user_id) {
  std::vector<Id> managed;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT assistant_id FROM assistant_users WHERE organization_id = :org "
                         "AND user_id = :user AND is_manager = 1 ORDER BY assistant_id",
       soci::use(organization_id), soci::use(user_id));
  for (const soci::row& row : rows) managed.push_back(Int64(row, 0));
  return managed;
}

// "The viewer manages the assistant `assistant_column`".
std::string Manages(SqlBuilder& query, const Viewer& viewer, std::string_view assistant_column) {
  return "EXISTS (SELECT 1 FROM assistant_users vm WHERE vm.assistant_id = " +
         std::string(assistant_column) + " AND vm.user_id = " + query.Bind(viewer.user_id) +
         " AND vm.is_manager = 1)";
}

}  // namespace

std::string SqlBuilder::Bind(long long value) {
  std::string name = NextName();
  values_.set(name, value);
  return ":" + name;
}

std::string SqlBuilder::Bind(const std::string& value) {
  std::string name = NextName();
  values_.set(name, value);
  return ":" + name;
}

std::string LeadVisibleTo(SqlBuilder& query, const Viewer& viewer, std::string_view lead) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(lead);
  return "(" + alias + ".owner_id = " + query.Bind(viewer.user_id) + " OR " +
         Manages(query, viewer, alias + ".assistant_id") + ")";
}

std::string AssistantUserVisibleTo(SqlBuilder& query, const Viewer& viewer,
                                   std::string_view assignment) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(assignment);
  return "(" + alias + ".user_id = " + query.Bind(viewer.user_id) + " OR " +
         Manages(query, viewer, alias + ".assistant_id") + ")";
}

std::string AssistantUserVisibleTo(const Viewer& viewer, std::string_view assignment,
                                   std::string_view viewer_parameter) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(assignment);
  std::string user(viewer_parameter);
  return "(" + alias + ".user_id = " + user +
         " OR EXISTS (SELECT 1 FROM assistant_users vm WHERE vm.assistant_id = " + alias +
         ".assistant_id AND vm.user_id = " + user + " AND vm.is_manager = 1))";
}

std::vector<std::string> VisibleLeadRanges(Tx& tx, SqlBuilder& query, Id organization_id,
                                           const Viewer& viewer, std::optional<Id> owner_id,
                                           std::optional<Id> assistant_id) {
  if (viewer.sees_all) return {"l.organization_id = " + query.Bind(organization_id)};
  std::vector<std::string> ranges;
  if (viewer.user_id == 0) return ranges;  // a key that does not see everything sees nothing
  std::vector<Id> managed = ManagedAssistants(tx, organization_id, viewer.user_id);
  if (managed.size() > kMaxManagerRanges) {
    ranges.push_back("l.organization_id = " + query.Bind(organization_id) + " AND " +
                     LeadVisibleTo(query, viewer, "l"));
    return ranges;
  }
  if (!owner_id || *owner_id == viewer.user_id) {
    ranges.push_back("l.organization_id = " + query.Bind(organization_id) +
                     " AND l.owner_id = " + query.Bind(viewer.user_id));
  }
  for (Id managed_id : managed) {
    if (assistant_id && *assistant_id != managed_id) continue;
    ranges.push_back("l.assistant_id = " + query.Bind(managed_id));
  }
  return ranges;
}

}  // namespace roster::store
