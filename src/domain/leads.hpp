#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "domain/model.hpp"

// Leads and assistant users: the rows the visibility rule of SPEC section 1
// governs.
namespace roster::domain {

// A lead's stage. A closed set so that lists can be filtered and reported on
// without guessing at free text.
enum class LeadStatus { kNew, kContacted, kQualified, kWon, kLost };

std::string_view ToString(LeadStatus status);
std::optional<LeadStatus> ParseLeadStatus(std::string_view text);
// "new, contacted, qualified, won or lost", for error messages.
std::string_view LeadStatusChoices();

// A lead, joined with its owner's name and e-mail: every list of leads shows
// who owns them, and a reader should not need a request per owner for that.
struct Lead {
  Id id = 0;
  Id organization_id = 0;
  Id assistant_id = 0;
  Id owner_id = 0;
  std::string name;
  std::string email;
  std::string company;
  LeadStatus status = LeadStatus::kNew;
  UnixSeconds created_at = 0;
  std::string owner_name;
  std::string owner_email;
};

// A user assigned to an assistant, joined with the user's name and e-mail
// and his membership's state: an admin looking at an assistant's users
// sees who has not accepted his invitation or is deactivated.
struct AssistantUser {
  Id assistant_id = 0;
  Id user_id = 0;
  std::string name;
  std::string email;
  bool is_manager = false;
  MembershipState state = MembershipState::kActive;
  std::optional<UnixSeconds> invite_expires_at;  // only while invited

  MemberStatus StatusAt(UnixSeconds now) const {
    return domain::StatusAt(state, invite_expires_at, now);
  }
};

// A lead to insert, its fields already checked.
struct NewLead {
  Id assistant_id = 0;
  Id owner_id = 0;
  std::string name;
  std::string email;
  std::string company;
  LeadStatus status = LeadStatus::kNew;
};

// The order of a list of leads. Every order ends with the lead id in the
// same direction, so it is total and a cursor names one place in it.
// `created` is the id's order (ids follow creation); statuses sort in their
// pipeline order (new, contacted, qualified, won, lost).
enum class LeadSort { kNewest, kOldest, kName, kNameDescending, kStatus, kStatusDescending };

// The query parameter's spelling: "-created", "created", "name", "-name",
// "status", "-status"; nullopt for anything else.
std::optional<LeadSort> ParseLeadSort(std::string_view text);
std::string_view ToString(LeadSort sort);
// "created, -created, name, -name, status or -status", for error messages.
std::string_view LeadSortChoices();
// Every status, in pipeline order.
const std::vector<LeadStatus>& AllLeadStatuses();

// The narrowing of a list of leads; the visibility rule applies first.
struct LeadFilter {
  std::optional<Id> assistant_id;
  std::optional<Id> owner_id;
  std::string query;  // in name, e-mail or company, case-insensitive (ASCII)
  std::vector<LeadStatus> statuses;  // any of them; empty for every status
  LeadSort sort = LeadSort::kNewest;
  int limit = 50;
  std::optional<std::string> cursor;
};

// How many leads one member owns on one assistant.
struct AssistantLeadCount {
  Id assistant_id = 0;
  std::int64_t lead_count = 0;
};

// Why a member sees a lead: SPEC's visibility rule, one reason per branch.
enum class AccessReason { kOrgAdmin, kOwner, kManagerOfAssistant };
struct LeadAccess {
  Id user_id = 0;
  std::string name;
  std::string email;
  AccessReason because = AccessReason::kOrgAdmin;
};

}  // namespace roster::domain
