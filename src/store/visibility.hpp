#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "store/database.hpp"

// SPEC's visibility rule, written once, as SQL:
//   - an admin (or an admin or read API key) sees every lead and every
//     assistant user of the organization;
//   - anyone sees the leads he owns and, of an assistant's users, himself;
//   - a manager of assistant A sees every lead of A and every user of A.
// Every query that reads leads or assistant users takes its condition from
// here; app/permissions.hpp decides who the Viewer is.
namespace roster::store {

struct Viewer {
  Id user_id = 0;          // the person; 0 for an API key
  bool sees_all = false;   // an admin, or an admin or read key, of the organization
};

class SqlBuilder;  // store/sql_builder.hpp

// The rule as a condition on the row `lead` of the leads table.
std::string LeadVisibleTo(SqlBuilder& query, const Viewer& viewer, std::string_view lead);

// The rule as a condition on the row `assignment` of assistant_users.
std::string AssistantUserVisibleTo(SqlBuilder& query, const Viewer& viewer,
                                   std::string_view assignment);
// The same for a statement prepared once (store/query.hpp): the viewer's
// user id is the parameter `viewer_parameter` (e.g. "$2"), which the caller
// binds when the viewer does not see everything.
std::string AssistantUserVisibleTo(const Viewer& viewer, std::string_view assignment,
                                   std::string_view viewer_parameter);

// The same rule for one organization's lead lists, as a union of index
// ranges that a page can merge: each condition (over the alias `l`) selects
// one range of an index of leads; their union is exactly the leads the
// viewer may see. Ranges that the filter's owner or assistant excludes are
// left out; an empty answer means the viewer can see none of them.
// `in_id_order`: the ranges are read in id order (see LeadOwnerIs).
std::vector<std::string> VisibleLeadRanges(Tx& tx, SqlBuilder& query, Id organization_id,
                                           const Viewer& viewer, std::optional<Id> owner_id,
                                           std::optional<Id> assistant_id, bool in_id_order);

// "l.owner_id = <owner>": one owner's leads. Read in id order, they are a
// range of leads_by_owner (organization, owner, id), and on PostgreSQL the
// owner goes in through a one-row subquery, whose value the planner does
// not know when it plans: it estimates the range as the average owner's
// and reads it. Knowing the owner, it walks the organization's index
// instead for one who owns most of its leads (the book a removal handed
// him), and skips every lead of the others newer than his: 351 entries for
// a page of 51 in PostgresPlansTest; 2.6-2.8 ms a page instead of 0.09-0.16
// for 100,040 of 120,000 leads with the 19,960 newest the others'. In
// another order no index holds his range in that order, and the owner is
// compared as he is.
std::string LeadOwnerIs(SqlBuilder& query, Backend backend, Id owner, bool in_id_order);

}  // namespace roster::store
