#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "domain/leads.hpp"
#include "store/database.hpp"
#include "store/page.hpp"
#include "store/query.hpp"
#include "store/visibility.hpp"

// Leads. Every read here applies the visibility rule of store/visibility.hpp
// inside its SQL.
namespace roster::store {

using domain::AssistantLeadCount;
using domain::LeadFilter;
using domain::NewLead;

// The leads the user owns in the organization, counted per assistant.
std::vector<AssistantLeadCount> LeadCountsByAssistant(Tx& tx, Id organization_id, Id owner_id);
// Whether the user owns at least one lead in the organization (one index probe).
bool OwnsLeads(Tx& tx, Id organization_id, Id owner_id);

// Moves the leads `from` owns on one assistant to `to`.
// REQUIRES: `to` is assigned to the assistant (a foreign key).
std::int64_t ReassignLeadsOnAssistant(Tx& tx, Id organization_id, Id assistant_id, Id from, Id to);

// REQUIRES: the owner is assigned to the assistant (a foreign key).
Id InsertLead(Tx& tx, Id organization_id, const NewLead& lead, UnixSeconds now);

// A new lead's id taken before its INSERT, so that the INSERT needs no
// round trip of its own (InsertLeadAtCommit). On PostgreSQL it comes from
// the leads' sequence, in the round trip of an earlier statement when
// query() goes with it (Query::With); a number taken and not used is a
// gap, as a rolled-back INSERT leaves. A role without USAGE on the
// sequence gets none, and the INSERT numbers the row. SQLite numbers the
// row at its INSERT (no round trips to save): query() is nullptr.
class LeadIdAhead {
 public:
  explicit LeadIdAhead(Tx& tx);
  Query* query() { return next_ ? &*next_ : nullptr; }

 private:
  friend Id InsertLeadAtCommit(Tx&, Id, const NewLead&, UnixSeconds, LeadIdAhead&);
  std::optional<Query> next_;
};

// InsertLead under the id taken ahead: on PostgreSQL the INSERT goes with
// the COMMIT (Query::ExecuteAtCommit), so nothing in the transaction may
// read the lead back, and a foreign key it breaks fails the commit.
// Returns the lead's id.
Id InsertLeadAtCommit(Tx& tx, Id organization_id, const NewLead& lead, UnixSeconds now,
                      LeadIdAhead& id);

// Inserts many leads in batches of multi-row INSERTs through one prepared
// statement; for the import. Rows are written by Add (whenever a batch is
// full) and by Finish.
class LeadBulkInserter {
 public:
  LeadBulkInserter(Tx& tx, Id organization_id, UnixSeconds now);
  ~LeadBulkInserter();
  LeadBulkInserter(const LeadBulkInserter&) = delete;
  LeadBulkInserter& operator=(const LeadBulkInserter&) = delete;

  void Add(NewLead lead);
  // Writes what is buffered; returns the number of rows written in all.
  std::int64_t Finish();

 private:
  struct Batch;
  void Flush();
  std::unique_ptr<Batch> batch_;
  Tx& tx_;
  std::int64_t written_ = 0;
};

// (e-mail, user id) of every member of the organization who may own leads
// (not deactivated), for the import's owner_email column.
std::vector<std::pair<std::string, Id>> MemberEmails(Tx& tx, Id organization_id);

// The lead when it exists in the organization and `viewer` may see it;
// nullopt otherwise, so that both answer the same 404.
std::optional<domain::Lead> FindVisibleLead(Tx& tx, Id organization_id, const Viewer& viewer,
                                            Id lead_id);

using domain::AccessReason;
using domain::LeadAccess;

// Who sees `lead` and why: the visibility rule of FindVisibleLead read the
// other way round, one row per (person, reason), so a manager who owns the
// lead appears twice. Active members only (an invited owner sees nothing
// yet). Ordered by name, e-mail, user id, then reason as listed above.
std::vector<LeadAccess> ListLeadAccess(Tx& tx, Id organization_id, const domain::Lead& lead);

// The leads `viewer` may see, narrowed by the filter, in its order (newest
// first by default). A page costs a bounded number of index probes whatever
// the table's size: an admin's reads one index range; anyone else's merges
// the first `limit` of his own leads with the first `limit` of each
// assistant he manages. A status filter makes each status its own range in
// id order; a status order reads the statuses one after the other. A
// malformed cursor is a 422; a cursor of another order is 400
// `invalid_cursor`.
Result<Page<domain::Lead>> ListVisibleLeads(Tx& tx, Id organization_id, const Viewer& viewer,
                                            const LeadFilter& filter);

// Where one lead is: its assistant and owner.
struct LeadPlace {
  Id lead_id = 0;
  Id assistant_id = 0;
  Id owner_id = 0;
};
// The place of each of `lead_ids` that exists in the organization and
// `viewer` may see, by lead id; the others are left out, so that a missing
// and an invisible lead look the same.
std::vector<LeadPlace> FindVisibleLeadPlaces(Tx& tx, Id organization_id, const Viewer& viewer,
                                             const std::vector<Id>& lead_ids);

// Gives each of `lead_ids` that `to` does not own yet to `to`, in one
// UPDATE; returns how many moved.
// REQUIRES: `to` is assigned to each of their assistants (a foreign key).
std::int64_t ReassignLeads(Tx& tx, Id organization_id, const std::vector<Id>& lead_ids, Id to);

// Writes name, company, status and owner.
// REQUIRES: the owner is assigned to the lead's assistant (a foreign key).
void UpdateLead(Tx& tx, const domain::Lead& lead);

}  // namespace roster::store
