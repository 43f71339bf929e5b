#pragma once

#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

// Leads, as far as membership changes touch them.
namespace roster::store {

struct AssistantLeadCount {
  Id assistant_id = 0;
  std::int64_t lead_count = 0;
};
// The leads the user owns in the organization, counted per assistant.
std::vector<AssistantLeadCount> LeadCountsByAssistant(Tx& tx, Id organization_id, Id owner_id);

// Moves every lead of `from` to `to`, first assigning `to` to each assistant
// of those leads that he is not assigned to. Returns how many moved.
// REQUIRES: `to` is a member of the organization.
std::int64_t ReassignAllLeads(Tx& tx, Id organization_id, Id from, Id to, UnixSeconds now);

}  // namespace roster::store
