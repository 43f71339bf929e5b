#include "store/assistants.hpp"

#include <limits>
#include <type_traits>

#include "store/cursor.hpp"
#include "store/errors.hpp"
#include "store/membership_state_sql.hpp"
#include "store/query.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {
namespace {

domain::AssistantUser ReadAssistantUser(const Query& row) {
  return {row.Int64(0),
          row.Int64(1),
          row.Text(2),
          row.Text(3),
          row.Int64(4) != 0,
          domain::ParseMembershipState(row.Text(6)).value_or(domain::MembershipState::kInvited),
          row.OptionalInt64(7)};
}

// id, organization_id, name, created_at and a count of users.
domain::Assistant ReadAssistant(const Query& row) {
  return {row.Int64(0), row.Int64(1), row.Text(2), row.Int64(3), row.Int64(4)};
}

// An assistant user joined with the user, the membership's sort key for the
// list order, and its state.
constexpr const char* kSelectAssistantUser =
    "SELECT au.assistant_id, au.user_id, u.name, u.email, au.is_manager, m.sort_key, "
    ROSTER_MEMBERSHIP_STATE_SQL ", m.invite_expires_at "
    "FROM assistant_users au "
    "JOIN memberships m ON m.organization_id = au.organization_id AND m.user_id = au.user_id "
    "JOIN users u ON u.id = au.user_id ";

// Runs `write` (which gives the assistant `name`) unless another assistant
// of the organization than `except_id` has the name, ignoring ASCII case:
// then, or when a concurrent writer on PostgreSQL passed the check first,
// a 409 `assistant_name_taken`.
template <class Write>
auto WithFreeName(Tx& tx, Id organization_id, const std::string& name, Id except_id, Write write)
    -> Result<decltype(write())> {
  Problem taken = Problem::Conflict("assistant_name_taken",
                                    "Another assistant of this organization has this name.");
  Query same_name(tx,
                  "SELECT 1 FROM assistants WHERE organization_id = $1 AND LOWER(name) = "
                  "LOWER($2) AND id <> $3");
  same_name.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(name)
      .Bind(static_cast<std::int64_t>(except_id));
  if (same_name.Next()) return taken;
  try {
    if constexpr (std::is_void_v<decltype(write())>) {
      write();
      return {};
    } else {
      return write();
    }
  } catch (const std::exception& error) {
    if (IsUniqueViolation(error)) return taken;
    throw;
  }
}

}  // namespace

std::map<Id, std::vector<Id>> ManagedAssistantsOfUser(Tx& tx, Id user_id) {
  std::map<Id, std::vector<Id>> managed;
  Query rows(tx,
             "SELECT organization_id, assistant_id FROM assistant_users "
             "WHERE user_id = $1 AND is_manager = 1 ORDER BY assistant_id");
  rows.Bind(static_cast<std::int64_t>(user_id));
  while (rows.Next()) managed[rows.Int64(0)].push_back(rows.Int64(1));
  return managed;
}

bool AssistantExists(Tx& tx, Id organization_id, Id assistant_id) {
  Query found(tx, "SELECT 1 FROM assistants WHERE organization_id = $1 AND id = $2");
  found.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id));
  return found.Next();
}

void AssignUser(Tx& tx, Id organization_id, Id assistant_id, Id user_id, bool is_manager,
                UnixSeconds now) {
  Query(tx,
        "INSERT INTO assistant_users (organization_id, assistant_id, user_id, is_manager, "
        "created_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (assistant_id, user_id) DO UPDATE SET is_manager = excluded.is_manager")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(std::int64_t{is_manager ? 1 : 0})
      .Bind(static_cast<std::int64_t>(now))
      .Execute();
}

Result<Id> InsertAssistant(Tx& tx, Id organization_id, const std::string& name, UnixSeconds now) {
  return WithFreeName(tx, organization_id, name, 0, [&]() -> Id {
    Query insert(tx,
                 "INSERT INTO assistants (organization_id, name, created_at) VALUES ($1, $2, $3) "
                 "RETURNING id");
    insert.Bind(static_cast<std::int64_t>(organization_id))
        .Bind(name)
        .Bind(static_cast<std::int64_t>(now));
    insert.Next();
    return insert.Int64(0);
  });
}

Status RenameAssistant(Tx& tx, Id organization_id, Id assistant_id, const std::string& name) {
  return WithFreeName(tx, organization_id, name, assistant_id, [&] {
    Query(tx, "UPDATE assistants SET name = $1 WHERE organization_id = $2 AND id = $3")
        .Bind(name)
        .Bind(static_cast<std::int64_t>(organization_id))
        .Bind(static_cast<std::int64_t>(assistant_id))
        .Execute();
  });
}

std::optional<domain::Assistant> FindAssistant(Tx& tx, Id organization_id, Id assistant_id) {
  Query row(tx,
            "SELECT a.id, a.organization_id, a.name, a.created_at, "
            "(SELECT COUNT(*) FROM assistant_users c WHERE c.assistant_id = a.id) "
            "FROM assistants a WHERE a.organization_id = $1 AND a.id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id));
  if (!row.Next()) return std::nullopt;
  return ReadAssistant(row);
}

std::vector<domain::Assistant> AllAssistants(Tx& tx, Id organization_id) {
  std::vector<domain::Assistant> assistants;
  Query rows(tx,
             "SELECT id, name, created_at FROM assistants WHERE organization_id = $1 ORDER BY id");
  rows.Bind(static_cast<std::int64_t>(organization_id));
  while (rows.Next()) {
    assistants.push_back({rows.Int64(0), organization_id, rows.Text(1), rows.Int64(2), 0});
  }
  return assistants;
}

Result<Page<domain::Assistant>> ListAssistants(Tx& tx, Id organization_id, const Viewer& viewer,
                                               int limit,
                                               const std::optional<std::string>& cursor) {
  Id after = 0;
  if (cursor) {
    auto parsed = ParseId(*cursor);
    if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
    after = *parsed;
  }
  // The visibility rule: `mine` is the viewer's own assignment; without one
  // only an admin sees the assistant, and only an admin or a manager counts
  // its other users.
  // Prepared once per connection: the console's assistants page.
  Query row(tx,
            "SELECT a.id, a.organization_id, a.name, a.created_at, "
            "CASE WHEN $1 = 1 OR mine.is_manager = 1 THEN "
            "(SELECT COUNT(*) FROM assistant_users c WHERE c.assistant_id = a.id) ELSE 1 END "
            "FROM assistants a LEFT JOIN assistant_users mine "
            "ON mine.assistant_id = a.id AND mine.user_id = $2 "
            "WHERE a.organization_id = $3 AND a.id > $4 "
            "AND ($1 = 1 OR mine.user_id IS NOT NULL) ORDER BY a.id LIMIT $5");
  row.Bind(std::int64_t{viewer.sees_all ? 1 : 0})
      .Bind(static_cast<std::int64_t>(viewer.user_id))
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(after))
      .Bind(static_cast<std::int64_t>(limit + 1));
  Page<domain::Assistant> page;
  while (row.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().id);
      break;
    }
    page.items.push_back(ReadAssistant(row));
  }
  return page;
}

std::optional<domain::AssistantUser> FindAssistantUser(Tx& tx, Id organization_id, Id assistant_id,
                                                       Id user_id) {
  return AssistantUserLookup(tx, organization_id, assistant_id, user_id).Read();
}

// Prepared once per connection: lead creation and the access checks of
// every assistant's page run it.
AssistantUserLookup::AssistantUserLookup(Tx& tx, Id organization_id, Id assistant_id, Id user_id)
    : query_(tx, std::string(kSelectAssistantUser) +
                     "WHERE au.organization_id = $1 AND au.assistant_id = $2 AND au.user_id = $3") {
  query_.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id))
      .Bind(static_cast<std::int64_t>(user_id));
}

std::optional<domain::AssistantUser> AssistantUserLookup::Read() {
  if (!query_.Next()) return std::nullopt;
  return ReadAssistantUser(query_);
}

Result<Page<domain::AssistantUser>> ListAssistantUsers(Tx& tx, Id organization_id, Id assistant_id,
                                                       const Viewer& viewer, int limit,
                                                       const std::optional<std::string>& cursor) {
  std::optional<std::pair<std::string, Id>> position;
  if (cursor) {
    position = DecodeKeyCursor(*cursor);
    if (!position) return Problem::Validation("cursor", "The cursor is not valid.");
  }
  // The organization is checked through the assistant, so that the planner
  // reads the assistant's users by the primary key, not the whole
  // organization's assignments.
  SqlBuilder query;
  query.sql = std::string(kSelectAssistantUser) +
              "JOIN assistants a ON a.id = au.assistant_id WHERE a.organization_id = " +
              query.Bind(organization_id) + " AND au.assistant_id = " + query.Bind(assistant_id) +
              " AND " + AssistantUserVisibleTo(query, viewer, "au") + " ";
  if (position) {
    query.sql += "AND (m.sort_key > " + query.Bind(position->first) + " OR (m.sort_key = " +
                 query.Bind(position->first) + " AND au.user_id > " +
                 query.Bind(position->second) + ")) ";
  }
  query.sql += "ORDER BY m.sort_key, au.user_id LIMIT " + query.Bind(limit + 1);

  Page<domain::AssistantUser> page;
  std::string last_key;
  Query row(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(row);
  while (row.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = EncodeKeyCursor(last_key, page.items.back().user_id);
      break;
    }
    page.items.push_back(ReadAssistantUser(row));
    last_key = row.Text(5);
  }
  return page;
}

void SetManager(Tx& tx, Id assistant_id, Id user_id, bool is_manager) {
  Query(tx, "UPDATE assistant_users SET is_manager = $1 WHERE assistant_id = $2 AND user_id = $3")
      .Bind(std::int64_t{is_manager ? 1 : 0})
      .Bind(static_cast<std::int64_t>(assistant_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

std::optional<Id> LeastLoadedManager(Tx& tx, Id organization_id, Id assistant_id,
                                     Id except_user_id) {
  // Each manager's count is a range of leads_by_assistant_owner.
  Query row(tx,
            "SELECT au.user_id, (SELECT COUNT(*) FROM leads l "
            "WHERE l.assistant_id = au.assistant_id AND l.owner_id = au.user_id) AS n "
            "FROM assistant_users au JOIN memberships m "
            "ON m.organization_id = au.organization_id AND m.user_id = au.user_id "
            "WHERE au.organization_id = $1 AND au.assistant_id = $2 "
            "AND au.is_manager = 1 AND au.user_id <> $3 "
            "AND m.status = 'active' AND m.deactivated_at IS NULL "
            "ORDER BY n, au.user_id LIMIT 1");
  row.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id))
      .Bind(static_cast<std::int64_t>(except_user_id));
  if (!row.Next()) return std::nullopt;
  return row.Int64(0);
}

void UnassignUser(Tx& tx, Id assistant_id, Id user_id) {
  Query(tx, "DELETE FROM assistant_users WHERE assistant_id = $1 AND user_id = $2")
      .Bind(static_cast<std::int64_t>(assistant_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

std::vector<std::pair<Id, Id>> AllAssignments(Tx& tx, Id organization_id) {
  std::vector<std::pair<Id, Id>> assignments;
  Query rows(tx, "SELECT assistant_id, user_id FROM assistant_users WHERE organization_id = $1");
  rows.Bind(static_cast<std::int64_t>(organization_id));
  while (rows.Next()) assignments.emplace_back(rows.Int64(0), rows.Int64(1));
  return assignments;
}

}  // namespace roster::store
