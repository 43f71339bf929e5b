#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"

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

// A user assigned to an assistant, joined with the user's name and e-mail.
struct AssistantUser {
  Id assistant_id = 0;
  Id user_id = 0;
  std::string name;
  std::string email;
  bool is_manager = false;
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

// The narrowing of a list of leads; the visibility rule applies first.
struct LeadFilter {
  std::optional<Id> assistant_id;
  std::optional<Id> owner_id;
  std::string query;  // in name, e-mail or company, case-insensitive (ASCII)
  int limit = 50;
  std::optional<std::string> cursor;
};

// How many leads one member owns on one assistant.
struct AssistantLeadCount {
  Id assistant_id = 0;
  std::int64_t lead_count = 0;
};

}  // namespace roster::domain
