#include "store/visibility.hpp"

#include "store/query.hpp"
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
  // Prepared once per connection: every lead page of a user reads it.
  Query rows(tx,
             "SELECT assistant_id FROM assistant_users WHERE organization_id = $1 "
             "AND user_id = $2 AND is_manager = 1 ORDER BY assistant_id");
  rows.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  while (rows.Next()) managed.push_back(rows.Int64(0));
  return managed;
}

// The rule of the visibility table as SQL: the row is the viewer's own
// (`own_column` is his id) or the viewer manages its assistant
// (`assistant_column`). `user` and `user_again` are the viewer's id as
// parameters (a builder binds each value once).
std::string OwnOrManaged(std::string_view own_column, std::string_view assistant_column,
                         std::string_view user, std::string_view user_again) {
  std::string sql = "(";
  sql.append(own_column).append(" = ").append(user);
  sql.append(" OR EXISTS (SELECT 1 FROM assistant_users vm WHERE vm.assistant_id = ");
  sql.append(assistant_column).append(" AND vm.user_id = ").append(user_again);
  sql.append(" AND vm.is_manager = 1))");
  return sql;
}

// $n, written without operator+ (GCC 12 warns falsely on "$" + string).
std::string Placeholder(std::size_t number) {
  std::string placeholder = std::to_string(number);
  placeholder.insert(placeholder.begin(), '$');
  return placeholder;
}

}  // namespace

std::string SqlBuilder::Bind(long long value) {
  values_.emplace_back(static_cast<std::int64_t>(value));
  return Placeholder(values_.size());
}

std::string SqlBuilder::Bind(const std::string& value) {
  values_.emplace_back(value);
  return Placeholder(values_.size());
}

void SqlBuilder::BindTo(Query& query) const {
  for (const auto& value : values_) {
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      query.Bind(*number);
    } else {
      query.Bind(std::string_view(std::get<std::string>(value)));
    }
  }
}

std::string LeadVisibleTo(SqlBuilder& query, const Viewer& viewer, std::string_view lead) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(lead);
  return OwnOrManaged(alias + ".owner_id", alias + ".assistant_id", query.Bind(viewer.user_id),
                      query.Bind(viewer.user_id));
}

std::string AssistantUserVisibleTo(SqlBuilder& query, const Viewer& viewer,
                                   std::string_view assignment) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(assignment);
  return OwnOrManaged(alias + ".user_id", alias + ".assistant_id", query.Bind(viewer.user_id),
                      query.Bind(viewer.user_id));
}

std::string AssistantUserVisibleTo(const Viewer& viewer, std::string_view assignment,
                                   std::string_view viewer_parameter) {
  if (viewer.sees_all) return "1 = 1";
  std::string alias(assignment);
  return OwnOrManaged(alias + ".user_id", alias + ".assistant_id", viewer_parameter,
                      viewer_parameter);
}

std::string LeadOwnerIs(SqlBuilder& query, Backend backend, Id owner, bool in_id_order) {
  std::string value = query.Bind(owner);
  if (backend == Backend::kPostgres && in_id_order)
    value = "(SELECT CAST(" + value + " AS BIGINT))";
  return "l.owner_id = " + value;
}

std::vector<std::string> VisibleLeadRanges(Tx& tx, SqlBuilder& query, Id organization_id,
                                           const Viewer& viewer, std::optional<Id> owner_id,
                                           std::optional<Id> assistant_id, bool in_id_order) {
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
    ranges.push_back("l.organization_id = " + query.Bind(organization_id) + " AND " +
                     LeadOwnerIs(query, tx.backend, viewer.user_id, in_id_order));
  }
  for (Id managed_id : managed) {
    if (assistant_id && *assistant_id != managed_id) continue;
    ranges.push_back("l.assistant_id = " + query.Bind(managed_id));
  }
  return ranges;
}

}  // namespace roster::store
