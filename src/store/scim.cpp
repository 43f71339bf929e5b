#include "store/scim.hpp"

#include <algorithm>

#include "store/membership_state_sql.hpp"
#include "store/query.hpp"

namespace roster::store {
namespace {

// A User's lastModified is the latest change of what he is answered with
// (RFC 7643 3.1): his SCIM attributes (s.updated_at), or his role or
// active, which the audit log dates whichever way they were changed (API,
// console, SCIM, command line). Through audit_events_by_target, newest
// first, stopping at the first match.
constexpr const char* kSelectScimUser =
    "SELECT m.user_id, u.email, u.name, m.role, "
    ROSTER_MEMBERSHIP_STATE_SQL ", "
    "m.created_at, s.updated_at, "
    "s.external_id, s.given_name, s.family_name, s.formatted_name, s.display_name, "
    "(SELECT a.at FROM audit_events a WHERE a.organization_id = m.organization_id "
    "AND a.target_user_id = m.user_id AND a.action IN "
    "('role_changed', 'member_deactivated', 'member_reactivated') "
    "ORDER BY a.id DESC LIMIT 1) "
    "FROM memberships m JOIN users u ON u.id = m.user_id "
    "LEFT JOIN scim_users s ON s.organization_id = m.organization_id AND s.user_id = m.user_id "
    "WHERE m.organization_id = $1 ";

// The condition of a filter, on parameter $2. userName is compared with the
// stored (lower-cased) e-mail, so the caller passes a normalized value.
std::string Condition(const std::optional<ScimUserFilter>& filter) {
  if (!filter) return "";
  switch (filter->attribute) {
    case domain::ScimUserAttribute::kUserName:
      return "AND u.email = $2 ";
    case domain::ScimUserAttribute::kExternalId:
      return "AND s.external_id = $2 ";
    case domain::ScimUserAttribute::kDisplayName:
      // The displayName a User answers with (http/api/scim_json.cpp
      // UserJson): the one sent; else name.formatted; else the given and
      // family names; else, with no SCIM name at all, the account's.
      return "AND LOWER(CASE WHEN s.display_name IS NOT NULL THEN s.display_name "
             "WHEN s.formatted_name IS NOT NULL THEN s.formatted_name "
             "WHEN s.given_name IS NULL AND s.family_name IS NULL THEN u.name "
             "ELSE COALESCE(s.given_name, '') || CASE WHEN s.given_name IS NOT NULL AND "
             "s.family_name IS NOT NULL THEN ' ' ELSE '' END || COALESCE(s.family_name, '') "
             "END) = LOWER($2) ";
  }
  return "";
}

domain::ScimUser ReadScimUser(const Query& row) {
  domain::ScimUser user;
  user.user_id = row.Int64(0);
  user.email = row.Text(1);
  user.account_name = row.Text(2);
  user.role = domain::ParseRole(row.Text(3)).value_or(domain::Role::kUser);
  user.state =
      domain::ParseMembershipState(row.Text(4)).value_or(domain::MembershipState::kInvited);
  user.created_at = row.Int64(5);
  user.updated_at = std::max({user.created_at, row.OptionalInt64(6).value_or(0),
                              row.OptionalInt64(12).value_or(0)});
  user.external_id = row.OptionalText(7);
  user.name = {row.OptionalText(8), row.OptionalText(9), row.OptionalText(10),
               row.OptionalText(11)};
  return user;
}

std::string GroupCondition(const std::optional<std::string>& name) {
  return name ? "AND LOWER(name) = LOWER($2) " : "";
}

}  // namespace

std::int64_t CountScimUsers(Tx& tx, Id organization_id,
                            const std::optional<ScimUserFilter>& filter) {
  Query row(tx,
            "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id "
            "LEFT JOIN scim_users s ON s.organization_id = m.organization_id "
            "AND s.user_id = m.user_id WHERE m.organization_id = $1 " +
                Condition(filter));
  row.Bind(static_cast<std::int64_t>(organization_id));
  if (filter) row.Bind(filter->value);
  row.Next();
  return row.Int64(0);
}

std::vector<domain::ScimUser> ListScimUsers(Tx& tx, Id organization_id,
                                            const std::optional<ScimUserFilter>& filter,
                                            std::int64_t offset, std::int64_t count) {
  std::string next = filter ? "3" : "2";
  std::string after = filter ? "4" : "3";
  Query rows(tx, kSelectScimUser + Condition(filter) + "ORDER BY m.user_id LIMIT $" + next +
                     " OFFSET $" + after);
  rows.Bind(static_cast<std::int64_t>(organization_id));
  if (filter) rows.Bind(filter->value);
  rows.Bind(count).Bind(offset);
  std::vector<domain::ScimUser> users;
  while (rows.Next()) users.push_back(ReadScimUser(rows));
  return users;
}

std::optional<domain::ScimUser> FindScimUser(Tx& tx, Id organization_id, Id user_id) {
  Query row(tx, std::string(kSelectScimUser) + "AND m.user_id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (!row.Next()) return std::nullopt;
  return ReadScimUser(row);
}

void SaveScimAttributes(Tx& tx, Id organization_id, Id user_id,
                        const std::optional<std::string>& external_id,
                        const domain::ScimName& name, UnixSeconds now) {
  Query upsert(tx,
               "INSERT INTO scim_users (organization_id, user_id, external_id, given_name, "
               "family_name, formatted_name, display_name, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
               "ON CONFLICT (organization_id, user_id) DO UPDATE SET "
               "external_id = excluded.external_id, given_name = excluded.given_name, "
               "family_name = excluded.family_name, formatted_name = excluded.formatted_name, "
               "display_name = excluded.display_name, updated_at = excluded.updated_at");
  upsert.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  for (const auto& value :
       {external_id, name.given_name, name.family_name, name.formatted, name.display_name}) {
    if (value) {
      upsert.Bind(std::string_view(*value));
    } else {
      upsert.Bind(std::optional<std::int64_t>());
    }
  }
  upsert.Bind(static_cast<std::int64_t>(now));
  upsert.Execute();
}

std::int64_t CountScimGroups(Tx& tx, Id organization_id, const std::optional<std::string>& name) {
  Query row(tx, "SELECT COUNT(*) FROM assistants WHERE organization_id = $1 " +
                    GroupCondition(name));
  row.Bind(static_cast<std::int64_t>(organization_id));
  if (name) row.Bind(*name);
  row.Next();
  return row.Int64(0);
}

std::vector<domain::ScimGroup> ListScimGroups(Tx& tx, Id organization_id,
                                              const std::optional<std::string>& name,
                                              std::int64_t offset, std::int64_t count) {
  std::string next = name ? "3" : "2";
  std::string after = name ? "4" : "3";
  Query rows(tx, "SELECT id, name, created_at FROM assistants WHERE organization_id = $1 " +
                     GroupCondition(name) + "ORDER BY id LIMIT $" + next + " OFFSET $" + after);
  rows.Bind(static_cast<std::int64_t>(organization_id));
  if (name) rows.Bind(*name);
  rows.Bind(count).Bind(offset);
  std::vector<domain::ScimGroup> groups;
  while (rows.Next()) groups.push_back({rows.Int64(0), rows.Text(1), rows.Int64(2), {}});
  return groups;
}

std::vector<domain::ScimGroupMember> ScimGroupMembers(Tx& tx, Id organization_id,
                                                      Id assistant_id) {
  Query rows(tx,
             "SELECT au.user_id, COALESCE(s.display_name, s.formatted_name, u.name) "
             "FROM assistant_users au "
             "JOIN users u ON u.id = au.user_id "
             "LEFT JOIN scim_users s ON s.organization_id = au.organization_id "
             "AND s.user_id = au.user_id "
             "WHERE au.organization_id = $1 AND au.assistant_id = $2 ORDER BY au.user_id");
  rows.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(assistant_id));
  std::vector<domain::ScimGroupMember> members;
  while (rows.Next()) members.push_back({rows.Int64(0), rows.Text(1)});
  return members;
}

}  // namespace roster::store
