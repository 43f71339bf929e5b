#include "store/organizations.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "store/accounts.hpp"
#include "store/audit.hpp"
#include "store/member_assistants.hpp"
#include "store/member_cursor.hpp"
#include "store/membership_state_sql.hpp"
#include "store/query.hpp"
#include "store/row.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {
namespace {

// Whether the member of the user ID that follows (and a closing parenthesis)
// has two-factor sign-in on: one probe of totp_factors' primary key.
#define ROSTER_HAS_MFA \
  "EXISTS (SELECT 1 FROM totp_factors t WHERE t.confirmed_at IS NOT NULL AND t.user_id = "
constexpr const char* kHasMfa = ROSTER_HAS_MFA;

// The lead count is the sum of the member's few rows of lead_counts (V014),
// inside the same query: not a count of his leads, not a query per member.
#define ROSTER_MEMBER_COLUMNS                                                                  \
  "SELECT m.organization_id, m.user_id, u.email, u.name, m.role, " ROSTER_MEMBERSHIP_STATE_SQL \
  ", m.invited_at, "                                                                           \
  "m.invite_expires_at, m.joined_at, u.last_login_at, "                                        \
  "(SELECT CAST(COALESCE(SUM(c.lead_count), 0) AS BIGINT) FROM lead_counts c "                 \
  "WHERE c.organization_id = m.organization_id AND c.user_id = m.user_id) AS lead_count, "     \
  "m.sort_key, "                                                                               \
  "CASE WHEN " ROSTER_HAS_MFA "m.user_id) THEN 1 ELSE 0 END AS mfa, "                            \
  "CASE WHEN m.invite_undelivered_for = m.invite_expires_at THEN m.invite_undelivered END"
constexpr const char* kMemberColumns = ROSTER_MEMBER_COLUMNS;
constexpr const char* kSelectMemberOf = ROSTER_MEMBER_COLUMNS " FROM ";
constexpr const char* kFromMember = "memberships m JOIN users u ON u.id = m.user_id ";
// The membership columns a page's keys carry, so that the page joins only
// the account to them (the invitation's expiry is on the membership, V015).
constexpr const char* kPageMembershipColumns =
    "p.organization_id, p.user_id, p.role, p.status, p.deactivated_at, p.invited_at, "
    "p.invite_expires_at, p.joined_at, p.sort_key, p.invite_undelivered, p.invite_undelivered_for";
// Joins the account of each row of a page `m` by primary key. On PostgreSQL
// as a LATERAL subquery, which it can only run as a probe per row: as a
// plain join it hashed every account of the database for a page of 51
// whenever the table was small enough to look cheap (0.94 -> 0.58 ms of
// PostgreSQL CPU per page of 1,000 members). SQLite joins by probes anyway
// and has no LATERAL.
const char* JoinPageMember(Backend backend) {
  if (backend == Backend::kPostgres) {
    return "CROSS JOIN LATERAL (SELECT u.email, u.name, u.last_login_at FROM users u "
           "WHERE u.id = m.user_id OFFSET 0) u ";
  }
  return "JOIN users u ON u.id = m.user_id ";
}

domain::Member ReadMember(const Query& row) {
  domain::Member member;
  member.organization_id = row.Int64(0);
  member.user_id = row.Int64(1);
  member.email = row.Text(2);
  member.name = row.Text(3);
  member.role = domain::ParseRole(row.Text(4)).value_or(domain::Role::kUser);
  member.state =
      domain::ParseMembershipState(row.Text(5)).value_or(domain::MembershipState::kInvited);
  member.invited_at = row.OptionalInt64(6);
  member.invite_expires_at = row.OptionalInt64(7);
  member.joined_at = row.OptionalInt64(8);
  member.last_login_at = row.OptionalInt64(9);
  member.lead_count = row.Int64(10);
  member.mfa = row.Int64(12) != 0;
  member.invite_undelivered = row.OptionalText(13);
  return member;
}

void DeleteInvitation(Tx& tx, Id organization_id, Id user_id) {
  Query(tx, "DELETE FROM invitations WHERE organization_id = $1 AND user_id = $2")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

}  // namespace

std::string MemberSortKey(const std::string& name, const std::string& email) {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key + '\x1f' + email;
}

Id InsertOrganization(Tx& tx, const std::string& name, UnixSeconds now) {
  Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id");
  insert.Bind(name).Bind(static_cast<std::int64_t>(now));
  insert.Next();
  return insert.Int64(0);
}

std::optional<domain::Organization> FindOrganization(Tx& tx, Id organization_id) {
  // Prepared once per connection: every invitation and e-mail reads it.
  Query row(
      tx, "SELECT o.id, o.name, o.created_at, o.require_mfa FROM organizations o WHERE o.id = $1");
  row.Bind(static_cast<std::int64_t>(organization_id));
  if (!row.Next()) return std::nullopt;
  return domain::Organization{row.Int64(0), row.Text(1), row.Int64(2), 0, row.Int64(3) != 0};
}

std::int64_t CountMembers(Tx& tx, Id organization_id) {
  Query count(tx, "SELECT COUNT(*) FROM memberships WHERE organization_id = $1");
  count.Bind(static_cast<std::int64_t>(organization_id));
  count.Next();
  return count.Int64(0);
}

std::vector<MembershipOfUser> OrganizationsOfUser(Tx& tx, Id user_id) {
  std::vector<MembershipOfUser> result;
  Query rows(tx, "SELECT o.id, o.name, o.created_at, m.role, " ROSTER_MEMBERSHIP_STATE_SQL
                 ", m.invite_expires_at, o.require_mfa "
                 "FROM memberships m JOIN organizations o ON o.id = m.organization_id "
                 "WHERE m.user_id = $1 ORDER BY o.name, o.id");
  rows.Bind(static_cast<std::int64_t>(user_id));
  while (rows.Next()) {
    result.push_back(
        {domain::Organization{rows.Int64(0), rows.Text(1), rows.Int64(2), 0, rows.Int64(6) != 0},
         domain::ParseRole(rows.Text(3)).value_or(domain::Role::kUser),
         domain::ParseMembershipState(rows.Text(4)).value_or(domain::MembershipState::kInvited),
         rows.OptionalInt64(5)});
  }
  return result;
}

std::optional<domain::Member> FindMember(Tx& tx, Id organization_id, Id user_id,
                                         const Viewer* assistants_for) {
  return MemberLookup(tx, organization_id, user_id, assistants_for).Read();
}

MemberLookup::MemberLookup(Tx& tx, Id organization_id, Id user_id, const Viewer* assistants_for)
    : query_(tx, std::string(kSelectMemberOf) + kFromMember +
                     "WHERE m.organization_id = $1 AND m.user_id = $2") {
  query_.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (assistants_for != nullptr) {
    assistants_ = AssistantsOfMembers(tx, organization_id, {&user_id, 1}, *assistants_for);
    query_.With(*assistants_);
  }
}

std::optional<domain::Member> MemberLookup::Read() {
  if (!query_.Next()) return std::nullopt;
  domain::Member member = ReadMember(query_);
  if (assistants_) ReadAssistants(*assistants_, {std::array{&member}});
  return member;
}

std::optional<Membership> FindMembership(Tx& tx, Id organization_id, Id user_id) {
  Query row(tx, "SELECT m.role, " ROSTER_MEMBERSHIP_STATE_SQL
                " FROM memberships m WHERE m.organization_id = $1 AND m.user_id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (!row.Next()) return std::nullopt;
  return Membership{domain::ParseRole(row.Text(0)).value_or(domain::Role::kUser),
                    domain::ParseMembershipState(row.Text(1))
                        .value_or(domain::MembershipState::kInvited)};
}

const char* const kCallerMembershipColumns =
    "m.role, " ROSTER_MEMBERSHIP_STATE_SQL
    ", CASE WHEN o.require_mfa = 1 AND "
    "NOT EXISTS (SELECT 1 FROM totp_factors t WHERE t.user_id = m.user_id "
    "AND t.confirmed_at IS NOT NULL) THEN 1 ELSE 0 END, o.id, o.name, o.created_at, o.require_mfa";

std::optional<CallerMembership> ReadCallerMembership(const Query& row, int first) {
  if (row.IsNull(first)) return std::nullopt;
  return CallerMembership{
      Membership{domain::ParseRole(row.Text(first)).value_or(domain::Role::kUser),
                 domain::ParseMembershipState(row.Text(first + 1))
                     .value_or(domain::MembershipState::kInvited)},
      row.Int64(first + 2) != 0,
      domain::Organization{row.Int64(first + 3), row.Text(first + 4), row.Int64(first + 5), 0,
                           row.Int64(first + 6) != 0}};
}

std::optional<CallerMembership> FindCallerMembership(Tx& tx, Id organization_id, Id user_id,
                                                     Query* with) {
  // With it, whether the organization has an enabled webhook endpoint: what
  // a write's audit events need to know (a GET's session statement, which
  // reads the other columns, leaves it out).
  Query row(tx, std::string("SELECT ") + kCallerMembershipColumns +
                    ", CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints w WHERE "
                    "w.organization_id = o.id AND w.enabled = 1) THEN 1 ELSE 0 END "
                    "FROM memberships m JOIN organizations o ON o.id = m.organization_id "
                    "WHERE m.organization_id = $1 AND m.user_id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (with != nullptr) row.With(*with);
  if (!row.Next()) return std::nullopt;
  std::optional<CallerMembership> found = ReadCallerMembership(row, 0);
  found->has_webhooks = row.Int64(kCallerMembershipColumnCount) != 0;
  if (!found->has_webhooks) tx.SetWebhooksAbsentIn(organization_id);
  return found;
}

void LockOrganization(Tx& tx, Id organization_id) {
  if (tx.backend == Backend::kSqlite) return;  // one writer at a time already
  tx.MarkContended();
  // NO KEY UPDATE: inserts that reference the organization (audit events,
  // assistants) take KEY SHARE locks and go on in parallel.
  Query(tx, "SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Next();
}

namespace {

// How one order of the member list reads: the sort value of the membership
// aliased `p` (and what to join for it), and whether members can lack one.
struct MemberOrder {
  std::string from;
  std::string value;
  bool nullable = false;
  bool text = false;  // compared as text (the name), else as an integer
};

// `organization` is the parameter that holds the organization's id.
MemberOrder OrderOf(domain::MemberSortField field, const std::string& organization,
                    const std::string& p) {
  std::string memberships = "memberships " + p + " ";
  switch (field) {
    case domain::MemberSortField::kName:
      return {memberships, p + ".sort_key", false, true};
    case domain::MemberSortField::kJoined:
      // memberships_by_joined (organization_id, joined_at, user_id), V011.
      return {memberships, p + ".joined_at", true, false};
    case domain::MemberSortField::kLastSignIn:
      // The time lives on the account, shared by every organization: no
      // index of one organization's members holds it.
      return {memberships + "JOIN users su ON su.id = " + p + ".user_id ", "su.last_login_at", true,
              false};
    case domain::MemberSortField::kLeads:
      // Every member's count in one pass over the organization's rows of
      // lead_counts (a few per member, however many leads), not one count
      // per member in the WHERE and the ORDER BY.
      return {memberships + "LEFT JOIN (SELECT c.user_id, CAST(SUM(c.lead_count) AS BIGINT) AS n "
                  "FROM lead_counts c WHERE c.organization_id = " + organization +
                  " GROUP BY c.user_id) lc ON lc.user_id = " + p + ".user_id ",
              "COALESCE(lc.n, 0)", false, false};
  }
  return {memberships, p + ".sort_key", false, true};
}

// The filters of the list (q, role, status) as conditions on the membership
// aliased `p`.
std::string FilterConditions(SqlBuilder& parameter, const MemberFilter& filter,
                             const std::string& p) {
  std::string conditions;
  if (!filter.query.empty()) {
    std::string lowered = filter.query;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string pattern = parameter.Bind(LikePattern(lowered));
    conditions += "AND EXISTS (SELECT 1 FROM users qu WHERE qu.id = " + p +
                  ".user_id AND (LOWER(qu.name) LIKE " + pattern + " ESCAPE '\\' OR qu.email LIKE " +
                  pattern + " ESCAPE '\\')) ";
  }
  if (filter.role)
    conditions +=
        "AND " + p + ".role = " + parameter.Bind(std::string(domain::ToString(*filter.role))) + " ";
  if (filter.status) {
    auto invitation = [&](const char* comparison) {
      return "AND " + p + ".status = 'invited' AND " + p + ".invite_expires_at " +
             std::string(comparison) + " " +
             parameter.Bind(static_cast<std::int64_t>(filter.now)) + " ";
    };
    switch (*filter.status) {
      case domain::MemberStatus::kActive:
        conditions += "AND " + p + ".status = 'active' ";
        break;
      case domain::MemberStatus::kInvited:
        conditions += invitation(">");
        break;
      case domain::MemberStatus::kInviteExpired:
        conditions += invitation("<=");
        break;
      case domain::MemberStatus::kDeactivated:
        conditions += "AND " + p + ".deactivated_at IS NOT NULL ";
        break;
    }
  }
  if (filter.mfa) {
    conditions += std::string("AND ") + (*filter.mfa ? "" : "NOT ") + kHasMfa + p + ".user_id) ";
  }
  return conditions;
}

// Members with a sort value come first, then those without one (by user id),
// in either direction: each is one range of the order's index.
enum class Band { kWithValue, kWithoutValue };

struct PageRow {
  domain::Member member;
  std::optional<std::string> sort_value;
};

// Up to `count` members of one band after `after`, in the filter's order:
// a range of the order's index from the cursor, filters as EXISTS probes of
// primary keys, each member's account and invitation joined by primary key.
// On PostgreSQL the page's memberships are selected first and then joined:
// joining first let it, without statistics, filter every invitation for
// every member. SQLite walks the index and probes per row either way, and
// as one statement it neither materializes the page nor sorts it again
// (~10 % of roster's CPU for a page).
std::vector<PageRow> ReadBand(Tx& tx, Id organization_id, const MemberFilter& filter, Band band,
                              const std::optional<MemberPosition>& after, int count,
                              const Viewer* assistants_for) {
  bool keys_first = tx.backend == Backend::kPostgres;
  const std::string p = keys_first ? "p" : "m";  // the membership, in the index's order
  SqlBuilder parameter;
  std::string organization = parameter.Bind(static_cast<std::int64_t>(organization_id));
  MemberOrder order = OrderOf(filter.sort.key, organization, p);
  const char* direction = filter.sort.descending ? " DESC" : "";
  std::string where = "WHERE " + p + ".organization_id = " + organization + " " +
                      FilterConditions(parameter, filter, p);
  if (order.nullable) {
    where += "AND " + order.value + (band == Band::kWithValue ? " IS NOT NULL " : " IS NULL ");
  }
  const char* past = filter.sort.descending ? " < " : " > ";
  if (after && after->value && band == Band::kWithValue) {
    // A row-value comparison lets both databases seek the index to the cursor.
    std::string value = order.text ? parameter.Bind(*after->value)
                                   : parameter.Bind(std::stoll(*after->value));
    where += "AND (" + order.value + ", " + p + ".user_id)" + past + "(" + value + ", " +
             parameter.Bind(static_cast<std::int64_t>(after->user_id)) + ") ";
  } else if (after && !after->value) {
    where += "AND " + p + ".user_id" + past +
             parameter.Bind(static_cast<std::int64_t>(after->user_id)) + " ";
  }
  std::string sequence = std::string(direction) + ", ";
  // The page size is written into the text, not bound: PostgreSQL costs a
  // bound LIMIT at a tenth of the rows and so re-plans this prepared
  // statement on every execution (0.7-0.9 ms, more than running it); with a
  // constant it keeps its generic plan. A count of at most 201 is no input.
  std::string range = where + "ORDER BY " + order.value + sequence + p + ".user_id" + direction +
                      " LIMIT " + std::to_string(count);
  std::string sql;
  if (keys_first) {
    sql = std::string(kMemberColumns) + ", m.sort_value FROM (SELECT " + kPageMembershipColumns +
          ", " + order.value + " AS sort_value FROM " + order.from + range + ") m " +
          JoinPageMember(tx.backend) + "ORDER BY m.sort_value" + sequence + "m.user_id" + direction;
  } else {
    sql = std::string(kMemberColumns) + ", " + order.value + " AS sort_value FROM " + order.from +
          JoinPageMember(tx.backend) + range;
  }
  Query rows(tx, sql);
  parameter.BindTo(rows);
  // On PostgreSQL the members' assistants are read by a statement of their
  // own that selects the same keys, sent with the page's (Query::With): a
  // round trip less per page (3 instead of 4 with the session's and the
  // COMMIT's). As rows of the page's statement, joined per member, they
  // cost PostgreSQL more than the round trip saved. SQLite reads them
  // after the page (ListMembers).
  std::optional<Query> assistants;
  if (assistants_for != nullptr && keys_first) {
    SqlBuilder keys = parameter;
    std::string page_keys = "SELECT " + p + ".user_id FROM " + order.from + range;
    assistants.emplace(tx, AssistantsOfKeysSql(keys, page_keys, organization, *assistants_for));
    keys.BindTo(*assistants);
    rows.With(*assistants);
  }
  std::vector<PageRow> page;
  while (rows.Next()) {
    std::optional<std::string> sort_value;
    if (order.text) {
      sort_value = rows.Text(14);
    } else if (auto number = rows.OptionalInt64(14)) {
      sort_value = std::to_string(*number);
    }
    page.push_back({ReadMember(rows), std::move(sort_value)});
  }
  if (assistants) {
    std::vector<domain::Member*> members;
    for (PageRow& row : page) members.push_back(&row.member);
    ReadAssistants(*assistants, members);
  }
  return page;
}

// PostgreSQL plans the page's statements, and only them, with two settings
// of the transaction, put back after them (to the connection's own values):
// - enable_sort off: when the order has an index (name, joined), the page
//   is a range of it. PostgreSQL otherwise takes an organization it believes
//   small (no statistics yet, or a plan made for every organization at once)
//   by a bitmap of all its members and a sort: 1.67 ms of its CPU for a
//   page of 1,000 members instead of 0.77. Orders without an index sort as
//   before: every plan for them sorts.
// - plan_cache_mode force_generic_plan: one plan per connection, made again
//   when statistics change. With PostgreSQL's default, the first statistics
//   on a live connection made it plan the page anew for most executions
//   (1,010 plans in 5,416 pages, each costing more than running the page)
//   until the average of the cheap plans it made without statistics caught
//   up with the generic plan's cost.
//
// The settings go with the page's first statement, and the restore with the
// transaction's next one (Tx::SendAhead): no round trip of their own.
bool PlanPageByIndex(Tx& tx) {
  if (tx.backend != Backend::kPostgres) return false;
  AvoidSorts(tx);
  tx.SendAhead("SET LOCAL plan_cache_mode = force_generic_plan");
  return true;
}

void RestorePlanning(Tx& tx, bool planned) {
  if (!planned) return;
  RestoreSorts(tx);
  tx.SendAhead("SET LOCAL plan_cache_mode TO DEFAULT");
}

bool IsInteger(const std::string& text) {
  if (text.empty() || text.size() > 18) return false;
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

Result<Page<domain::Member>> ListMembers(Tx& tx, Id organization_id, const MemberFilter& filter,
                                         const Viewer* assistants_for) {
  std::string sort = domain::ToString(filter.sort);
  const MemberOrder order = OrderOf(filter.sort.key, "", "p");  // its kind of value only
  std::optional<MemberPosition> after;
  if (filter.cursor) {
    after = DecodeMemberCursor(*filter.cursor);
    if (!after) return Problem::Validation("cursor", "The cursor is not valid.");
    if (after->sort != sort) {
      return Problem{ProblemCode::kBadRequest, "invalid_cursor",
                     "This cursor belongs to sort=" + after->sort + "; page with the same sort, "
                     "or start again without a cursor.", {}, {}, {}};
    }
    if (after->value ? !order.text && !IsInteger(*after->value) : !order.nullable) {
      return Problem::Validation("cursor", "The cursor is not valid.");
    }
  }
  int wanted = filter.limit + 1;  // one more tells whether a next page exists
  std::vector<PageRow> rows;
  bool planned = PlanPageByIndex(tx);
  for (Band band : {Band::kWithValue, Band::kWithoutValue}) {
    if (band == Band::kWithValue && after && !after->value) continue;  // past this band
    for (PageRow& row : ReadBand(tx, organization_id, filter, band, after,
                                 wanted - static_cast<int>(rows.size()), assistants_for)) {
      rows.push_back(std::move(row));
    }
    if (static_cast<int>(rows.size()) == wanted) break;
    if (!order.nullable) break;  // a single band
  }
  RestorePlanning(tx, planned);
  Page<domain::Member> page;
  if (static_cast<int>(rows.size()) > filter.limit) {
    const PageRow& last = rows[filter.limit - 1];
    page.next_cursor = EncodeMemberCursor({sort, last.sort_value, last.member.user_id});
    rows.resize(filter.limit);
  }
  page.items.reserve(rows.size());
  for (PageRow& row : rows) page.items.push_back(std::move(row.member));
  if (assistants_for != nullptr && tx.backend != Backend::kPostgres) {
    FillAssistants(tx, organization_id, page.items, *assistants_for);
  }
  return page;
}

void InsertMembership(Tx& tx, Id organization_id, Id user_id, domain::Role role,
                      domain::MembershipState state, const std::string& sort_key, UnixSeconds now) {
  auto at_if = [now](bool set) { return set ? std::optional<std::int64_t>(now) : std::nullopt; };
  Query(tx,
        "INSERT INTO memberships (organization_id, user_id, role, status, sort_key, invited_at, "
        "joined_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(domain::ToString(role))
      .Bind(domain::ToString(state))
      .Bind(sort_key)
      .Bind(at_if(state == domain::MembershipState::kInvited))
      .Bind(at_if(state == domain::MembershipState::kActive))
      .Bind(static_cast<std::int64_t>(now))
      .Execute();
}

void UpdateRole(Tx& tx, Id organization_id, Id user_id, domain::Role role) {
  Query(tx, "UPDATE memberships SET role = $1 WHERE organization_id = $2 AND user_id = $3")
      .Bind(domain::ToString(role))
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

bool SetRoleKeepingAnAdmin(Tx& tx, Id organization_id, Id user_id, domain::Role role,
                           AuditEvent* audit) {
  tx.MarkContended();
  std::string update =
      role == domain::Role::kAdmin
          ? "UPDATE memberships SET role = 'admin' WHERE organization_id = $1 "
            "AND user_id = $2 AND role <> 'admin'"
          // An active admin becomes a user only while another active admin remains.
          : "UPDATE memberships SET role = 'user' WHERE organization_id = $1 AND user_id = $2 "
            "AND role = 'admin' AND (status <> 'active' OR EXISTS (SELECT 1 FROM memberships o "
            "WHERE o.organization_id = $1 AND o.user_id <> $2 AND o.role = 'admin' "
            "AND o.status = 'active'))";
  if (audit != nullptr && tx.backend == Backend::kPostgres) {
    // The change and its audit event in one statement: one round trip less
    // while a demotion holds the organization's lock. No row changed, no
    // event.
    Query both(tx, "WITH changed AS (" + update + " RETURNING user_id) " ROSTER_INSERT_AUDIT_EVENT
                   "SELECT $1, $3::bigint, $4::bigint, $5::bigint, $6::text, user_id, "
                   "$7::text FROM changed RETURNING id");
    both.Bind(static_cast<std::int64_t>(organization_id))
        .Bind(static_cast<std::int64_t>(user_id))
        .Bind(static_cast<std::int64_t>(audit->at))
        .Bind(audit->actor.user_id)
        .Bind(audit->actor.api_key_id)
        .Bind(std::string_view(audit->action))
        .Bind(std::string_view(audit->details));
    if (!both.Next()) return false;
    audit->id = both.Int64(0);
    return true;
  }
  Query change(tx, update);
  change.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (change.Execute() != 1) return false;
  if (audit != nullptr) audit->id = InsertAuditEvent(tx, *audit);
  return true;
}

std::optional<domain::Role> LockMemberRole(Tx& tx, Id organization_id, Id user_id) {
  tx.MarkContended();
  // SQLite's writers take turns, so its plain read is already the latest.
  Query row(tx, tx.backend == Backend::kPostgres
                    ? "SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2 "
                      "FOR NO KEY UPDATE"
                    : "SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2");
  row.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(user_id));
  if (!row.Next()) return std::nullopt;
  return domain::ParseRole(row.Text(0)).value_or(domain::Role::kUser);
}

std::vector<Id> ActivateMemberships(Tx& tx, Id user_id, UnixSeconds now) {
  std::vector<Id> organizations;
  Query rows(tx,
             "SELECT organization_id FROM invitations WHERE user_id = $1 AND expires_at > $2 "
             "ORDER BY organization_id");
  rows.Bind(static_cast<std::int64_t>(user_id)).Bind(static_cast<std::int64_t>(now));
  while (rows.Next()) organizations.push_back(rows.Int64(0));
  for (Id organization_id : organizations) ActivateMembership(tx, organization_id, user_id, now);
  return organizations;
}

void ActivateMembership(Tx& tx, Id organization_id, Id user_id, UnixSeconds now) {
  Query(tx,
        "UPDATE memberships SET status = 'active', joined_at = $1 "
        "WHERE organization_id = $2 AND user_id = $3 AND status = 'invited'")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
  DeleteInvitation(tx, organization_id, user_id);
}

void DeleteMembership(Tx& tx, Id organization_id, Id user_id) {
  DeleteInvitation(tx, organization_id, user_id);
  Query(tx, "DELETE FROM assistant_users WHERE organization_id = $1 AND user_id = $2")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
  Query(tx, "DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

void DeactivateMembership(Tx& tx, Id organization_id, Id user_id, UnixSeconds now) {
  Query(tx,
        "UPDATE memberships SET status = 'invited', deactivated_at = $1 "
        "WHERE organization_id = $2 AND user_id = $3")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
  DeleteInvitation(tx, organization_id, user_id);
  Query(tx,
        "UPDATE assistant_users SET is_manager = 0 WHERE organization_id = $1 AND user_id = $2 "
        "AND is_manager = 1")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

void ReactivateMembership(Tx& tx, Id organization_id, Id user_id, domain::MembershipState state) {
  Query(tx,
        "UPDATE memberships SET status = $1, deactivated_at = NULL "
        "WHERE organization_id = $2 AND user_id = $3 AND deactivated_at IS NOT NULL")
      .Bind(state == domain::MembershipState::kActive ? "active" : "invited")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

bool HasActiveMembershipElsewhere(Tx& tx, Id user_id, Id organization_id) {
  Query found(tx,
              "SELECT 1 FROM memberships WHERE user_id = $1 AND organization_id <> $2 "
              "AND status = 'active' LIMIT 1");
  found.Bind(static_cast<std::int64_t>(user_id)).Bind(static_cast<std::int64_t>(organization_id));
  return found.Next();
}

std::string ReadSettings(Tx& tx, Id organization_id) {
  Query row(tx, "SELECT settings FROM organizations WHERE id = $1");
  row.Bind(static_cast<std::int64_t>(organization_id));
  if (!row.Next()) return "{}";
  return row.OptionalText(0).value_or("{}");
}

void WriteSettings(Tx& tx, Id organization_id, const std::string& settings) {
  Query(tx, "UPDATE organizations SET settings = $1 WHERE id = $2")
      .Bind(settings)
      .Bind(static_cast<std::int64_t>(organization_id))
      .Execute();
}

std::int64_t CountActiveAdmins(Tx& tx, Id organization_id) {
  Query count(tx,
              "SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = 'admin' "
              "AND status = 'active'");
  count.Bind(static_cast<std::int64_t>(organization_id));
  count.Next();
  return count.Int64(0);
}

void InsertInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                      UnixSeconds expires_at, std::optional<Id> invited_by, UnixSeconds now) {
  Query(tx,
        "INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, invited_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6)")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(otp_hash)
      .Bind(static_cast<std::int64_t>(expires_at))
      .Bind(invited_by)
      .Bind(static_cast<std::int64_t>(now))
      .Execute();
}

std::optional<Id> InsertInvitedAccount(Tx& tx, const InvitedAccount& invited, UnixSeconds now) {
  std::string sort_key = MemberSortKey(invited.name, invited.normalized_email);
  if (tx.backend == Backend::kSqlite) {  // no INSERT in a WITH; no round trips either
    std::optional<Id> user_id = InsertUserIfNew(tx, invited.normalized_email, invited.name, now);
    if (!user_id) return std::nullopt;
    InsertMembership(tx, invited.organization_id, *user_id, invited.role,
                     domain::MembershipState::kInvited, sort_key, now);
    InsertInvitation(tx, invited.organization_id, *user_id, invited.otp_hash, invited.expires_at,
                     invited.invited_by, now);
    return user_id;
  }
  // Each INSERT takes the rows of the one before: an e-mail already taken
  // gives no account row, so no membership and no invitation either.
  Query insert(tx,
               "WITH account AS (INSERT INTO users (email, name, created_at) VALUES ($1, $2, $3) "
               "ON CONFLICT (email) DO NOTHING RETURNING id), "
               "membership AS (INSERT INTO memberships (organization_id, user_id, role, status, "
               "sort_key, invited_at, created_at) SELECT $4, a.id, $5, 'invited', $6, $3, $3 "
               "FROM account a RETURNING user_id) "
               "INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, "
               "invited_by, created_at) SELECT $4, m.user_id, $7, $8, $9, $3 FROM membership m "
               "RETURNING user_id");
  insert.Bind(std::string_view(invited.normalized_email))
      .Bind(std::string_view(invited.name))
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(invited.organization_id))
      .Bind(domain::ToString(invited.role))
      .Bind(sort_key)
      .Bind(std::string_view(invited.otp_hash))
      .Bind(static_cast<std::int64_t>(invited.expires_at))
      .Bind(invited.invited_by);
  if (!insert.Next()) return std::nullopt;
  return insert.Int64(0);
}

void ReplaceInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                       UnixSeconds expires_at, std::optional<Id> invited_by, UnixSeconds now) {
  Query(tx,
        "INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, invited_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id, user_id) "
        "DO UPDATE SET otp_hash = excluded.otp_hash, expires_at = excluded.expires_at, "
        "resend_count = invitations.resend_count + 1")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(otp_hash)
      .Bind(static_cast<std::int64_t>(expires_at))
      .Bind(invited_by)
      .Bind(static_cast<std::int64_t>(now))
      .Execute();
  // A new e-mail is on its way. The moved expiry already ends an earlier
  // e-mail's failure (V017) where an older server resent.
  Query(tx,
        "UPDATE memberships SET invite_undelivered = NULL, invite_undelivered_for = NULL "
        "WHERE organization_id = $1 AND user_id = $2 AND invite_undelivered IS NOT NULL")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

bool MarkInviteUndelivered(Tx& tx, Id organization_id, Id user_id, UnixSeconds expires_at,
                           const std::string& reason) {
  return Query(tx,
               "UPDATE memberships SET invite_undelivered = $1, invite_undelivered_for = $2 "
               "WHERE organization_id = $3 AND user_id = $4 AND status = 'invited' "
               "AND invite_expires_at = $2")
             .Bind(std::string_view(reason))
             .Bind(static_cast<std::int64_t>(expires_at))
             .Bind(static_cast<std::int64_t>(organization_id))
             .Bind(static_cast<std::int64_t>(user_id))
             .Execute() > 0;
}

}  // namespace roster::store
