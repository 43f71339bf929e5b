#include "store/leads.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <optional>

#include "store/cursor.hpp"
#include "store/query.hpp"
#include "store/row.hpp"
#include "store/scan_cache.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {
namespace {

// The columns ReadLead reads, and the tables they come from. The owner's
// account is a LEFT JOIN although every lead has one (a foreign key): SQLite
// keeps the leads as the outer loop of a LEFT JOIN, so a page stays a walk
// of a leads index with one primary-key probe of users per row.
constexpr const char* kLeadColumns =
    "l.id, l.organization_id, l.assistant_id, l.owner_id, l.name, l.email, l.company, l.status, "
    "l.created_at, u.name, u.email";
constexpr const char* kLeadTables = " FROM leads l LEFT JOIN users u ON u.id = l.owner_id";

domain::Lead ReadLead(const Query& row) {
  domain::Lead lead;
  lead.id = row.Int64(0);
  lead.organization_id = row.Int64(1);
  lead.assistant_id = row.Int64(2);
  lead.owner_id = row.Int64(3);
  lead.name = row.Text(4);
  lead.email = row.Text(5);
  lead.company = row.Text(6);
  lead.status = domain::ParseLeadStatus(row.Text(7)).value_or(domain::LeadStatus::kNew);
  lead.created_at = row.Int64(8);
  lead.owner_name = row.Text(9);
  lead.owner_email = row.Text(10);
  return lead;
}

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// How a segment of a page is ordered: by `key` (a column of `l`, or none)
// and then the id, both in one direction.
struct Order {
  const char* key = nullptr;
  bool descending = true;
};

// Where a page goes on: after the lead `id` whose sort key is `key`.
struct Position {
  std::string key;
  Id id = 0;
};

bool SortsByStatus(domain::LeadSort sort) {
  return sort == domain::LeadSort::kStatus || sort == domain::LeadSort::kStatusDescending;
}

Order OrderOf(domain::LeadSort sort) {
  switch (sort) {
    case domain::LeadSort::kNewest: return {nullptr, true};
    case domain::LeadSort::kOldest: return {nullptr, false};
    case domain::LeadSort::kName: return {"l.name", false};
    case domain::LeadSort::kNameDescending: return {"l.name", true};
    // Statuses are read one at a time, each segment in id order.
    case domain::LeadSort::kStatus: return {nullptr, false};
    case domain::LeadSort::kStatusDescending: return {nullptr, true};
  }
  return {};
}

std::string OrderBy(const Order& order) {
  std::string direction = order.descending ? " DESC" : " ASC";
  std::string sql = " ORDER BY ";
  if (order.key) sql += std::string(order.key) + direction + ", ";
  return sql + "l.id" + direction;
}

Problem InvalidCursor() {
  Problem problem = Problem::BadRequest(
      "The cursor belongs to another sort order; start again without a cursor.");
  problem.slug = "invalid_cursor";
  problem.errors = {{"cursor", problem.detail}};
  return problem;
}

// The default order's cursor is the last id, as before sorting existed;
// the others are key cursors of "sort\nkey". A cursor made for another
// order is 400 `invalid_cursor`; one the server never made is 422.
Result<std::optional<Position>> ReadCursor(const LeadFilter& filter) {
  if (!filter.cursor) return std::optional<Position>();
  if (auto id = ParseId(*filter.cursor)) {
    if (filter.sort != domain::LeadSort::kNewest) return InvalidCursor();
    return std::optional<Position>(Position{"", *id});
  }
  auto keyed = DecodeKeyCursor(*filter.cursor);
  std::size_t newline = keyed ? keyed->first.find('\n') : std::string::npos;
  std::optional<domain::LeadSort> made_for;
  if (newline != std::string::npos) {
    made_for = domain::ParseLeadSort(std::string_view(keyed->first).substr(0, newline));
  }
  if (!made_for || *made_for == domain::LeadSort::kNewest) {
    return Problem::Validation("cursor", "The cursor is not valid.");
  }
  if (*made_for != filter.sort) return InvalidCursor();
  Position position{keyed->first.substr(newline + 1), keyed->second};
  if (SortsByStatus(filter.sort) && !domain::ParseLeadStatus(position.key)) {
    return Problem::Validation("cursor", "The cursor is not valid.");
  }
  return std::optional<Position>(std::move(position));
}

std::string CursorAfter(domain::LeadSort sort, const domain::Lead& lead) {
  switch (sort) {
    case domain::LeadSort::kNewest: return FormatId(lead.id);
    case domain::LeadSort::kOldest: return EncodeKeyCursor("created\n", lead.id);
    case domain::LeadSort::kName:
    case domain::LeadSort::kNameDescending:
      return EncodeKeyCursor(std::string(domain::ToString(sort)) + "\n" + lead.name, lead.id);
    case domain::LeadSort::kStatus:
    case domain::LeadSort::kStatusDescending:
      return EncodeKeyCursor(
          std::string(domain::ToString(sort)) + "\n" + std::string(domain::ToString(lead.status)),
          lead.id);
  }
  return FormatId(lead.id);
}

// One segment of a page: the visible leads narrowed by the filter, of
// `statuses` (any when empty), in `order`, after `after`; at most `want`.
struct Segment {
  Order order;
  std::vector<domain::LeadStatus> statuses;
  // Each status its own index range (the status indexes end in id), or one
  // IN condition on ranges in another order.
  bool range_per_status = false;
  std::optional<Position> after;
  int want = 0;
};

// " AND ..." for the filter's narrowing conditions and the segment's position.
std::string Narrowing(SqlBuilder& query, Backend backend, const LeadFilter& filter,
                      const Segment& segment) {
  std::string sql;
  if (filter.assistant_id) sql += " AND l.assistant_id = " + query.Bind(*filter.assistant_id);
  if (filter.owner_id) {
    sql += " AND " + LeadOwnerIs(query, backend, *filter.owner_id, segment.order.key == nullptr);
  }
  if (!filter.query.empty()) {
    std::string pattern = LikePattern(Lowered(filter.query));
    sql += " AND (LOWER(l.name) LIKE " + query.Bind(pattern) + " ESCAPE '\\' OR LOWER(l.email) LIKE " +
           query.Bind(pattern) + " ESCAPE '\\' OR LOWER(l.company) LIKE " + query.Bind(pattern) +
           " ESCAPE '\\')";
  }
  if (!segment.statuses.empty() && !segment.range_per_status) {
    sql += " AND l.status IN (";
    for (std::size_t i = 0; i < segment.statuses.size(); ++i) {
      sql += (i > 0 ? ", " : "") + query.Bind(std::string(domain::ToString(segment.statuses[i])));
    }
    sql += ")";
  }
  if (segment.after) {
    const char* beyond = segment.order.descending ? " < " : " > ";
    if (segment.order.key) {
      sql += " AND (" + std::string(segment.order.key) + ", l.id)" + beyond + "(" +
             query.Bind(segment.after->key) + ", " + query.Bind(segment.after->id) + ")";
    } else {
      sql += " AND l.id" + std::string(beyond) + query.Bind(segment.after->id);
    }
  }
  return sql;
}

std::vector<domain::Lead> ReadSegment(Tx& tx, Id organization_id, const Viewer& viewer,
                                      const LeadFilter& filter, const Segment& segment) {
  SqlBuilder query;
  std::vector<std::string> ranges =
      VisibleLeadRanges(tx, query, organization_id, viewer, filter.owner_id, filter.assistant_id,
                        segment.order.key == nullptr);
  if (segment.range_per_status && !segment.statuses.empty()) {
    std::vector<std::string> split;
    for (const std::string& range : ranges) {
      for (domain::LeadStatus status : segment.statuses) {
        split.push_back(range + " AND l.status = " +
                        query.Bind(std::string(domain::ToString(status))));
      }
    }
    ranges = std::move(split);
  }
  if (ranges.empty()) return {};
  std::string order_by = OrderBy(segment.order);
  if (ranges.size() == 1) {
    query.sql = std::string("SELECT ") + kLeadColumns + kLeadTables + " WHERE " + ranges[0] +
                Narrowing(query, tx.backend, filter, segment) + order_by + " LIMIT " +
                query.Bind(segment.want);
  } else {
    // Several ranges (his own leads, each assistant he manages, each
    // status): each is cut at the page size in its own index, then the few
    // ids are merged.
    std::string ids;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (i > 0) ids += " UNION ";
      ids += "SELECT id FROM (SELECT l.id FROM leads l WHERE " + ranges[i] +
             Narrowing(query, tx.backend, filter, segment) + order_by + " LIMIT " +
             query.Bind(segment.want) + ") r" + std::to_string(i);
    }
    query.sql = std::string("SELECT ") + kLeadColumns + kLeadTables + " WHERE l.id IN (" + ids +
                ")" + order_by + " LIMIT " + query.Bind(segment.want);
  }
  // An admin's page of one range in id order has an index in its order
  // whatever else narrows it (the organization's, a status's, the
  // assistant's, the owner's; a search reads the range either way): without
  // statistics PostgreSQL read all 30,000 leads of an organization and
  // sorted them for a page of 50 (AvoidSorts). Not for several ranges
  // (their few ids are merged by a sort), nor for another viewer's (his own
  // leads by name have no index in that order).
  const bool walk_index = viewer.sees_all && segment.order.key == nullptr && ranges.size() == 1;
  if (walk_index) AvoidSorts(tx);
  std::vector<domain::Lead> leads;
  Query rows(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(rows);
  while (rows.Next()) leads.push_back(ReadLead(rows));
  if (walk_index) RestoreSorts(tx);
  return leads;
}

// The statuses a status-sorted page walks, in the sort's order, starting at
// the cursor's status.
std::vector<domain::LeadStatus> StatusWalk(const LeadFilter& filter,
                                           const std::optional<Position>& after) {
  std::vector<domain::LeadStatus> walk;
  for (domain::LeadStatus status : domain::AllLeadStatuses()) {
    if (filter.statuses.empty() ||
        std::find(filter.statuses.begin(), filter.statuses.end(), status) != filter.statuses.end()) {
      walk.push_back(status);
    }
  }
  if (filter.sort == domain::LeadSort::kStatusDescending) std::reverse(walk.begin(), walk.end());
  if (after) {
    auto from = std::find(walk.begin(), walk.end(), *domain::ParseLeadStatus(after->key));
    walk.erase(walk.begin(), from);
  }
  return walk;
}

// Adds `change` to the member's lead count (V014) on SQLite.
void AddToLeadCount(Tx& tx, Id organization_id, Id user_id, std::int64_t change) {
  Query(tx,
        "INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)"
        " VALUES ($1, $2, 0, $3) ON CONFLICT (organization_id, user_id, shard)"
        " DO UPDATE SET lead_count = lead_count + excluded.lead_count")
      .Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(change)
      .Execute();
}

}  // namespace

std::vector<AssistantLeadCount> LeadCountsByAssistant(Tx& tx, Id organization_id, Id owner_id) {
  std::vector<AssistantLeadCount> counts;
  Query rows(tx,
             "SELECT assistant_id, COUNT(*) FROM leads WHERE organization_id = $1 "
             "AND owner_id = $2 GROUP BY assistant_id ORDER BY assistant_id");
  rows.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(owner_id));
  while (rows.Next()) counts.push_back({rows.Int64(0), rows.Int64(1)});
  return counts;
}

bool OwnsLeads(Tx& tx, Id organization_id, Id owner_id) {
  Query found(tx, "SELECT 1 FROM leads WHERE organization_id = $1 AND owner_id = $2 LIMIT 1");
  found.Bind(static_cast<std::int64_t>(organization_id)).Bind(static_cast<std::int64_t>(owner_id));
  return found.Next();
}

std::int64_t ReassignLeadsOnAssistant(Tx& tx, Id organization_id, Id assistant_id, Id from, Id to) {
  // A leaver's 100,000 leads rewrite every index of leads: SQLite spills the
  // pages to its log as it goes at no cost in time (0.34 s with a 2 MiB
  // cache as with 64), and the process does not keep them.
  ScanCache scan(tx);
  // SQLite counts a move per row; this one pauses that trigger and adds
  // the two sums itself, in the same transaction (V014).
  const bool counts_itself = tx.backend == Backend::kSqlite;
  if (counts_itself) Query(tx, "INSERT INTO lead_counts_paused (paused) VALUES (1)").Execute();
  std::int64_t moved = Query(tx,
                             "UPDATE leads SET owner_id = $1 WHERE assistant_id = $2 "
                             "AND owner_id = $3 AND organization_id = $4")
                           .Bind(static_cast<std::int64_t>(to))
                           .Bind(static_cast<std::int64_t>(assistant_id))
                           .Bind(static_cast<std::int64_t>(from))
                           .Bind(static_cast<std::int64_t>(organization_id))
                           .Execute();
  if (counts_itself) {
    Query(tx, "DELETE FROM lead_counts_paused").Execute();
    if (moved > 0 && from != to) {
      AddToLeadCount(tx, organization_id, from, -moved);
      AddToLeadCount(tx, organization_id, to, moved);
    }
  }
  return moved;
}

namespace {

// Binds the lead's columns that follow its id, in both INSERTs' order.
Query& BindNewLead(Query& insert, Id organization_id, const NewLead& lead, UnixSeconds now) {
  return insert.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(lead.assistant_id))
      .Bind(static_cast<std::int64_t>(lead.owner_id))
      .Bind(std::string_view(lead.name))
      .Bind(std::string_view(lead.email))
      .Bind(std::string_view(lead.company))
      .Bind(domain::ToString(lead.status))
      .Bind(static_cast<std::int64_t>(now));
}

}  // namespace

Id InsertLead(Tx& tx, Id organization_id, const NewLead& lead, UnixSeconds now) {
  Query insert(tx,
               "INSERT INTO leads (organization_id, assistant_id, owner_id, name, email, company, "
               "status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
  BindNewLead(insert, organization_id, lead, now).Next();
  return insert.Int64(0);
}

LeadIdAhead::LeadIdAhead(Tx& tx) {
  if (tx.backend == Backend::kPostgres) {
    // NULL, not a failed transaction, for a role without USAGE on the
    // sequence (one that serves on tables another role owns): the identity
    // column's own default needs no such privilege, so the lead is then
    // inserted as before, its id read back.
    next_.emplace(tx,
                  "SELECT CASE WHEN has_sequence_privilege(s, 'USAGE') THEN nextval(s::regclass) "
                  "END FROM pg_get_serial_sequence('leads', 'id') AS s");
  }
}

namespace {

void WarnOnceOfNoIdsAhead() {
  static std::atomic<bool> warned{false};
  if (warned.exchange(true)) return;
  spdlog::warn(
      "event=lead_ids_not_ahead detail=\"the database role has no USAGE on the leads' id "
      "sequence; each lead creation takes one round trip more\"");
}

}  // namespace

Id InsertLeadAtCommit(Tx& tx, Id organization_id, const NewLead& lead, UnixSeconds now,
                      LeadIdAhead& id) {
  if (!id.next_) return InsertLead(tx, organization_id, lead, now);
  if (!id.next_->Next() || id.next_->IsNull(0)) {
    WarnOnceOfNoIdsAhead();
    return InsertLead(tx, organization_id, lead, now);
  }
  Id taken = id.next_->Int64(0);
  Query insert(tx,
               "INSERT INTO leads (id, organization_id, assistant_id, owner_id, name, email, "
               "company, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
  insert.Bind(static_cast<std::int64_t>(taken));
  BindNewLead(insert, organization_id, lead, now).ExecuteAtCommit();
  return taken;
}

// Up to kRows buffered leads, and a multi-row INSERT prepared once for a
// full batch with its parameters bound to the buffer's fields: each flush
// refills the fields and executes the same statement again. A last, partial
// batch gets a statement of its own size.
struct LeadBulkInserter::Batch {
  static constexpr std::size_t kRows = 250;  // 2,000 parameters
  std::vector<long long> assistant_ids = std::vector<long long>(kRows);
  std::vector<long long> owner_ids = std::vector<long long>(kRows);
  std::vector<std::string> names = std::vector<std::string>(kRows);
  std::vector<std::string> emails = std::vector<std::string>(kRows);
  std::vector<std::string> companies = std::vector<std::string>(kRows);
  std::vector<std::string> statuses = std::vector<std::string>(kRows);
  long long organization_id = 0;
  long long now = 0;
  std::size_t size = 0;
  std::unique_ptr<soci::statement> full;
  std::optional<int> saved_cache_size;  // SQLite's, restored when done

  std::unique_ptr<soci::statement> Prepare(soci::session& sql, std::size_t rows) {
    auto statement = std::make_unique<soci::statement>(sql);
    statement->alloc();
    std::string text =
        "INSERT INTO leads (organization_id, assistant_id, owner_id, name, email, company, status, "
        "created_at) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) {
      std::string n = std::to_string(i);
      text += (i == 0 ? "(" : ", (") + (":o" + n) + ", :a" + n + ", :w" + n + ", :n" + n + ", :e" + n +
              ", :c" + n + ", :s" + n + ", :t" + n + ")";
      statement->exchange(soci::use(organization_id));
      statement->exchange(soci::use(assistant_ids[i]));
      statement->exchange(soci::use(owner_ids[i]));
      statement->exchange(soci::use(names[i]));
      statement->exchange(soci::use(emails[i]));
      statement->exchange(soci::use(companies[i]));
      statement->exchange(soci::use(statuses[i]));
      statement->exchange(soci::use(now));
    }
    statement->prepare(text);
    statement->define_and_bind();
    return statement;
  }
};

LeadBulkInserter::LeadBulkInserter(Tx& tx, Id organization_id, UnixSeconds now)
    : batch_(std::make_unique<Batch>()), tx_(tx) {
  batch_->organization_id = organization_id;
  batch_->now = now;
  if (tx.backend == Backend::kSqlite) {
    // Index pages of a big import would otherwise be evicted and re-read
    // over and over; 256 MiB keeps them for the duration of the import.
    int cache_size = 0;
    tx.sql() << "PRAGMA cache_size", soci::into(cache_size);
    batch_->saved_cache_size = cache_size;
    tx.sql() << "PRAGMA cache_size = -262144";
  }
}

LeadBulkInserter::~LeadBulkInserter() {
  if (!batch_->saved_cache_size) return;
  try {
    tx_.sql() << "PRAGMA cache_size = " + std::to_string(*batch_->saved_cache_size);
  } catch (const std::exception&) {
    // The connection is broken; the pool reopens it with the default size.
  }
}

void LeadBulkInserter::Add(NewLead lead) {
  Batch& batch = *batch_;
  std::size_t i = batch.size++;
  batch.assistant_ids[i] = lead.assistant_id;
  batch.owner_ids[i] = lead.owner_id;
  batch.names[i] = std::move(lead.name);
  batch.emails[i] = std::move(lead.email);
  batch.companies[i] = std::move(lead.company);
  batch.statuses[i] = domain::ToString(lead.status);
  if (batch.size == Batch::kRows) Flush();
}

void LeadBulkInserter::Flush() {
  Batch& batch = *batch_;
  if (batch.size == 0) return;
  if (batch.size == Batch::kRows) {
    if (!batch.full) batch.full = batch.Prepare(tx_.sql(), Batch::kRows);
    batch.full->execute(true);
  } else {
    batch.Prepare(tx_.sql(), batch.size)->execute(true);
  }
  written_ += static_cast<std::int64_t>(batch.size);
  batch.size = 0;
}

std::int64_t LeadBulkInserter::Finish() {
  Flush();
  return written_;
}

std::vector<std::pair<std::string, Id>> MemberEmails(Tx& tx, Id organization_id) {
  std::vector<std::pair<std::string, Id>> members;
  Query rows(tx,
             "SELECT u.email, m.user_id FROM memberships m JOIN users u ON u.id = m.user_id "
             "WHERE m.organization_id = $1 AND m.deactivated_at IS NULL");
  rows.Bind(static_cast<std::int64_t>(organization_id));
  while (rows.Next()) members.emplace_back(rows.Text(0), rows.Int64(1));
  return members;
}

std::optional<domain::Lead> FindVisibleLead(Tx& tx, Id organization_id, const Viewer& viewer,
                                            Id lead_id) {
  SqlBuilder query;
  query.sql = std::string("SELECT ") + kLeadColumns + kLeadTables +
              " WHERE l.organization_id = " + query.Bind(organization_id) +
              " AND l.id = " + query.Bind(lead_id) + " AND " + LeadVisibleTo(query, viewer, "l");
  Query row(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(row);
  if (!row.Next()) return std::nullopt;
  return ReadLead(row);
}

std::vector<LeadAccess> ListLeadAccess(Tx& tx, Id organization_id, const domain::Lead& lead) {
  // The three branches of FindVisibleLead's predicate, each as the set of
  // active members it admits.
  Query rows(tx,
             "SELECT a.user_id, u.name, u.email, a.reason FROM ("
             "SELECT m.user_id, 0 AS reason FROM memberships m WHERE m.organization_id = $1 "
             "AND m.role = 'admin' AND m.status = 'active' "
             "UNION ALL SELECT m.user_id, 1 FROM memberships m WHERE m.organization_id = $1 "
             "AND m.user_id = $2 AND m.status = 'active' "
             "UNION ALL SELECT au.user_id, 2 FROM assistant_users au JOIN memberships m "
             "ON m.organization_id = au.organization_id AND m.user_id = au.user_id "
             "WHERE au.organization_id = $1 AND au.assistant_id = $3 "
             "AND au.is_manager = 1 AND m.status = 'active') a JOIN users u ON u.id = a.user_id "
             "ORDER BY u.name, u.email, a.user_id, a.reason");
  rows.Bind(static_cast<std::int64_t>(organization_id))
      .Bind(static_cast<std::int64_t>(lead.owner_id))
      .Bind(static_cast<std::int64_t>(lead.assistant_id));
  std::vector<LeadAccess> access;
  while (rows.Next()) {
    access.push_back(
        {rows.Int64(0), rows.Text(1), rows.Text(2), static_cast<AccessReason>(rows.Int64(3))});
  }
  return access;
}

Result<Page<domain::Lead>> ListVisibleLeads(Tx& tx, Id organization_id, const Viewer& viewer,
                                            const LeadFilter& filter) {
  std::optional<Position> after = ROSTER_TRY(ReadCursor(filter));
  Order order = OrderOf(filter.sort);
  std::vector<domain::Lead> leads;
  if (SortsByStatus(filter.sort)) {
    // One status after the other, each a walk of the status indexes; the
    // cursor's position applies within its own status only.
    for (domain::LeadStatus status : StatusWalk(filter, after)) {
      Segment segment{order, {status}, true, std::nullopt, filter.limit + 1 - int(leads.size())};
      if (after && domain::ToString(status) == after->key) segment.after = after;
      for (domain::Lead& lead : ReadSegment(tx, organization_id, viewer, filter, segment)) {
        leads.push_back(std::move(lead));
      }
      if (static_cast<int>(leads.size()) > filter.limit) break;
    }
  } else {
    Segment segment{order, filter.statuses, order.key == nullptr, after, filter.limit + 1};
    leads = ReadSegment(tx, organization_id, viewer, filter, segment);
  }
  Page<domain::Lead> page;
  if (static_cast<int>(leads.size()) > filter.limit) {
    leads.resize(filter.limit);
    page.next_cursor = CursorAfter(filter.sort, leads.back());
  }
  page.items = std::move(leads);
  return page;
}

namespace {

std::string IdList(SqlBuilder& query, const std::vector<Id>& ids) {
  std::string list;
  for (std::size_t i = 0; i < ids.size(); ++i) list += (i > 0 ? ", " : "") + query.Bind(ids[i]);
  return list;
}

}  // namespace

std::vector<LeadPlace> FindVisibleLeadPlaces(Tx& tx, Id organization_id, const Viewer& viewer,
                                             const std::vector<Id>& lead_ids) {
  std::vector<LeadPlace> places;
  if (lead_ids.empty()) return places;
  SqlBuilder query;
  query.sql = "SELECT l.id, l.assistant_id, l.owner_id FROM leads l WHERE l.organization_id = " +
              query.Bind(organization_id) + " AND l.id IN (" + IdList(query, lead_ids) +
              ") AND " + LeadVisibleTo(query, viewer, "l") + " ORDER BY l.id";
  Query rows(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(rows);
  while (rows.Next()) places.push_back({rows.Int64(0), rows.Int64(1), rows.Int64(2)});
  return places;
}

std::int64_t ReassignLeads(Tx& tx, Id organization_id, const std::vector<Id>& lead_ids, Id to) {
  if (lead_ids.empty()) return 0;
  SqlBuilder query;
  query.sql = "UPDATE leads SET owner_id = " + query.Bind(to) + " WHERE organization_id = " +
              query.Bind(organization_id) + " AND id IN (" + IdList(query, lead_ids) +
              ") AND owner_id <> " + query.Bind(to);
  Query update(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(update);
  return update.Execute();
}

void UpdateLead(Tx& tx, const domain::Lead& lead) {
  Query(tx,
        "UPDATE leads SET name = $1, company = $2, status = $3, owner_id = $4 "
        "WHERE organization_id = $5 AND id = $6")
      .Bind(lead.name)
      .Bind(lead.company)
      .Bind(domain::ToString(lead.status))
      .Bind(static_cast<std::int64_t>(lead.owner_id))
      .Bind(static_cast<std::int64_t>(lead.organization_id))
      .Bind(static_cast<std::int64_t>(lead.id))
      .Execute();
}

}  // namespace roster::store
