#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/context.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

// Reassigning many leads in one call (POST /orgs/{org}/leads/reassign): the
// single PATCH's rules applied to every lead, all or nothing.
namespace roster::app {

// At most this many `lead_ids` in one call; more is 422 `too_many_leads`.
inline constexpr std::size_t kMaxLeadsPerReassignment = 500;
// 422 `too_many_leads`, naming the field `lead_ids`.
Problem TooManyLeads();

// Either `lead_ids` (the leads named), or `assistant_id` with
// `from_owner_id` (every lead that person owns on that assistant: holiday
// cover). `owner_id` receives them.
struct LeadsReassignment {
  std::vector<Id> lead_ids;
  std::optional<Id> assistant_id;
  std::optional<Id> from_owner_id;
  Id owner_id = 0;
};

struct LeadsReassigned {
  Id owner_id = 0;
  std::int64_t reassigned_lead_count = 0;  // leads that changed owner
};

// In one transaction: 404 for a non-member and for any named lead the
// caller may not see (as a missing one); 403 unless he may reassign the
// leads of every assistant involved (admins any, managers within their
// assistants, users never); 422 unless `owner_id` may own leads on each of
// those assistants (an active or invited member assigned to it: nobody is
// assigned on the way, as in the single PATCH). Leads the receiver owns
// already stay and are not counted. Then one UPDATE, and one
// `leads_reassigned` audit event (webhook `leads.reassigned`) per previous
// owner, with his counts per assistant.
Result<LeadsReassigned> ReassignLeads(Context& context, const Principal& caller,
                                      Id organization_id, const LeadsReassignment& request);

}  // namespace roster::app
