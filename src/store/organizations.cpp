#include "store/organizations.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>

#include "store/cursor.hpp"
#include "store/row.hpp"

namespace roster::store {
namespace {

// The lead count comes from the (organization_id, owner_id, id) index inside
// the same query, never from a query per member.
constexpr const char* kSelectMember =
    "SELECT m.organization_id, m.user_id, u.email, u.name, m.role, m.status, m.invited_at, "
    "i.expires_at, m.joined_at, u.last_login_at, "
    "(SELECT COUNT(*) FROM leads l WHERE l.organization_id = m.organization_id "
    "AND l.owner_id = m.user_id) AS lead_count, m.sort_key "
    "FROM memberships m JOIN users u ON u.id = m.user_id "
    "LEFT JOIN invitations i ON i.organization_id = m.organization_id AND i.user_id = m.user_id ";

domain::Member ReadMember(const soci::row& row) {
  domain::Member member;
  member.organization_id = Int64(row, 0);
  member.user_id = Int64(row, 1);
  member.email = Text(row, 2);
  member.name = Text(row, 3);
  member.role = domain::ParseRole(Text(row, 4)).value_or(domain::Role::kUser);
  member.state =
      domain::ParseMembershipState(Text(row, 5)).value_or(domain::MembershipState::kInvited);
  member.invited_at = OptionalInt64(row, 6);
  member.invite_expires_at = OptionalInt64(row, 7);
  member.joined_at = OptionalInt64(row, 8);
  member.last_login_at = OptionalInt64(row, 9);
  member.lead_count = Int64(row, 10);
  return member;
}

}  // namespace

std::string MemberSortKey(const std::string& name, const std::string& email) {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key + '\x1f' + email;
}

Id InsertOrganization(Tx& tx, const std::string& name, UnixSeconds now) {
  Id id = 0;
  tx.sql << "INSERT INTO organizations (name, created_at) VALUES (:name, :now) RETURNING id",
      soci::use(name), soci::use(now), soci::into(id);
  return id;
}

std::optional<domain::Organization> FindOrganization(Tx& tx, Id organization_id) {
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT o.id, o.name, o.created_at FROM organizations o WHERE o.id = :id",
       soci::use(organization_id));
  for (const soci::row& row : rows) {
    return domain::Organization{Int64(row, 0), Text(row, 1), Int64(row, 2), 0};
  }
  return std::nullopt;
}

std::int64_t CountMembers(Tx& tx, Id organization_id) {
  long long count = 0;
  tx.sql << "SELECT COUNT(*) FROM memberships WHERE organization_id = :org",
      soci::use(organization_id), soci::into(count);
  return count;
}

std::vector<MembershipOfUser> OrganizationsOfUser(Tx& tx, Id user_id) {
  std::vector<MembershipOfUser> result;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT o.id, o.name, o.created_at, m.role, m.status, i.expires_at "
                         "FROM memberships m JOIN organizations o ON o.id = m.organization_id "
                         "LEFT JOIN invitations i ON i.organization_id = m.organization_id "
                         "AND i.user_id = m.user_id "
                         "WHERE m.user_id = :user ORDER BY o.name, o.id",
       soci::use(user_id));
  for (const soci::row& row : rows) {
    result.push_back(
        {domain::Organization{Int64(row, 0), Text(row, 1), Int64(row, 2), 0},
         domain::ParseRole(Text(row, 3)).value_or(domain::Role::kUser),
         domain::ParseMembershipState(Text(row, 4)).value_or(domain::MembershipState::kInvited),
         OptionalInt64(row, 5)});
  }
  return result;
}

std::optional<domain::Member> FindMember(Tx& tx, Id organization_id, Id user_id) {
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << std::string(kSelectMember) +
                             "WHERE m.organization_id = :org AND m.user_id = :user",
       soci::use(organization_id), soci::use(user_id));
  for (const soci::row& row : rows) return ReadMember(row);
  return std::nullopt;
}

void LockMemberships(Tx& tx, Id organization_id) {
  if (tx.backend == Backend::kSqlite) return;  // one writer at a time already
  // NO KEY UPDATE: inserts that reference the organization (audit events,
  // assistants) take KEY SHARE locks and go on in parallel.
  Id locked = 0;
  tx.sql << "SELECT id FROM organizations WHERE id = :org FOR NO KEY UPDATE",
      soci::use(organization_id), soci::into(locked);
}

Result<Page<domain::Member>> ListMembers(Tx& tx, Id organization_id, const MemberFilter& filter) {
  std::string sql = std::string(kSelectMember) + "WHERE m.organization_id = :org ";
  soci::values values;
  values.set("org", static_cast<long long>(organization_id));
  if (!filter.query.empty()) {
    sql += "AND (LOWER(u.name) LIKE :q ESCAPE '\\' OR u.email LIKE :q2 ESCAPE '\\') ";
    std::string lowered = filter.query;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    values.set("q", LikePattern(lowered));
    values.set("q2", LikePattern(lowered));
  }
  if (filter.role) {
    sql += "AND m.role = :role ";
    values.set("role", std::string(domain::ToString(*filter.role)));
  }
  if (filter.status) {
    switch (*filter.status) {
      case domain::MemberStatus::kActive:
        sql += "AND m.status = 'active' ";
        break;
      case domain::MemberStatus::kInvited:
        sql += "AND m.status = 'invited' AND i.expires_at > :now ";
        break;
      case domain::MemberStatus::kInviteExpired:
        sql += "AND m.status = 'invited' AND i.expires_at <= :now ";
        break;
    }
    if (*filter.status != domain::MemberStatus::kActive) {
      values.set("now", static_cast<long long>(filter.now));
    }
  }
  if (filter.cursor) {
    auto position = DecodeKeyCursor(*filter.cursor);
    if (!position) return Problem::Validation("cursor", "The cursor is not valid.");
    // A row-value comparison lets both databases seek the index to the cursor.
    sql += "AND (m.sort_key, m.user_id) > (:key, :after) ";
    values.set("key", position->first);
    values.set("after", static_cast<long long>(position->second));
  }
  sql += "ORDER BY m.sort_key, m.user_id LIMIT :limit";
  values.set("limit", filter.limit + 1);

  Page<domain::Member> page;
  std::string last_key;
  soci::rowset<soci::row> rows = (tx.sql.prepare << sql, soci::use(values));
  for (const soci::row& row : rows) {
    if (static_cast<int>(page.items.size()) == filter.limit) {
      page.next_cursor = EncodeKeyCursor(last_key, page.items.back().user_id);
      break;
    }
    page.items.push_back(ReadMember(row));
    last_key = Text(row, 11);
  }
  return page;
}

void InsertMembership(Tx& tx, Id organization_id, Id user_id, domain::Role role,
                      domain::MembershipState state, const std::string& sort_key, UnixSeconds now) {
  std::string role_text(domain::ToString(role));
  std::string state_text(domain::ToString(state));
  soci::indicator joined = state == domain::MembershipState::kActive ? soci::i_ok : soci::i_null;
  soci::indicator invited = state == domain::MembershipState::kInvited ? soci::i_ok : soci::i_null;
  tx.sql << "INSERT INTO memberships (organization_id, user_id, role, status, sort_key, "
            "invited_at, joined_at, created_at) VALUES (:org, :user, :role, :status, :key, "
            ":invited, :joined, :now)",
      soci::use(organization_id), soci::use(user_id), soci::use(role_text), soci::use(state_text),
      soci::use(sort_key), soci::use(now, invited), soci::use(now, joined), soci::use(now);
}

void UpdateRole(Tx& tx, Id organization_id, Id user_id, domain::Role role) {
  std::string role_text(domain::ToString(role));
  tx.sql << "UPDATE memberships SET role = :role WHERE organization_id = :org AND user_id = :user",
      soci::use(role_text), soci::use(organization_id), soci::use(user_id);
}

std::vector<Id> ActivateMemberships(Tx& tx, Id user_id, UnixSeconds now) {
  std::vector<Id> organizations;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT organization_id FROM invitations WHERE user_id = :user "
                         "AND expires_at > :now ORDER BY organization_id",
       soci::use(user_id), soci::use(now));
  for (const soci::row& row : rows) organizations.push_back(Int64(row, 0));
  for (Id organization_id : organizations) ActivateMembership(tx, organization_id, user_id, now);
  return organizations;
}

void ActivateMembership(Tx& tx, Id organization_id, Id user_id, UnixSeconds now) {
  tx.sql << "UPDATE memberships SET status = 'active', joined_at = :now "
            "WHERE organization_id = :org AND user_id = :user AND status = 'invited'",
      soci::use(now), soci::use(organization_id), soci::use(user_id);
  tx.sql << "DELETE FROM invitations WHERE organization_id = :org AND user_id = :user",
      soci::use(organization_id), soci::use(user_id);
}

void DeleteMembership(Tx& tx, Id organization_id, Id user_id) {
  tx.sql << "DELETE FROM invitations WHERE organization_id = :org AND user_id = :user",
      soci::use(organization_id), soci::use(user_id);
  tx.sql << "DELETE FROM assistant_users WHERE organization_id = :org AND user_id = :user",
      soci::use(organization_id), soci::use(user_id);
  tx.sql << "DELETE FROM memberships WHERE organization_id = :org AND user_id = :user",
      soci::use(organization_id), soci::use(user_id);
}

std::int64_t CountActiveAdmins(Tx& tx, Id organization_id) {
  long long count = 0;
  tx.sql << "SELECT COUNT(*) FROM memberships WHERE organization_id = :org AND role = 'admin' "
            "AND status = 'active'",
      soci::use(organization_id), soci::into(count);
  return count;
}

void InsertInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                      UnixSeconds expires_at, std::optional<Id> invited_by, UnixSeconds now) {
  Id inviter = invited_by.value_or(0);
  soci::indicator inviter_indicator = invited_by ? soci::i_ok : soci::i_null;
  tx.sql << "INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, invited_by, "
            "created_at) VALUES (:org, :user, :hash, :expires, :by, :now)",
      soci::use(organization_id), soci::use(user_id), soci::use(otp_hash), soci::use(expires_at),
      soci::use(inviter, inviter_indicator), soci::use(now);
}

void ReplaceInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                       UnixSeconds expires_at) {
  tx.sql << "UPDATE invitations SET otp_hash = :hash, expires_at = :expires, "
            "resend_count = resend_count + 1 WHERE organization_id = :org AND user_id = :user",
      soci::use(otp_hash), soci::use(expires_at), soci::use(organization_id), soci::use(user_id);
}

}  // namespace roster::store
