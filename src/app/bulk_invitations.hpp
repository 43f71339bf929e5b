#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"

// Bulk invitations: SPEC section 8. Up to 1,000 people at once, from CSV or
// JSON rows; all or nothing on invalid rows, members already there skipped.
namespace roster::app {

inline constexpr std::size_t kMaxBulkRows = 1000;
// 422 `too_many_rows`, naming `rows` in `errors` as every 422 does.
Problem TooManyBulkRows();

// One person to invite, as sent: nothing is checked yet.
struct BulkInviteRow {
  std::string email;
  std::string name;
  std::string role;                     // "admin", "user", or empty for "user"
  std::vector<std::string> assistants;  // assistant names
  std::vector<std::string> problems;    // found while reading the row (a malformed CSV record)
};

// The rows of a CSV body: a header naming the columns email, name, role,
// assistants (any order, any case; email and name required), then one row
// per person; assistants separated by ';'. 422 for a missing or unknown
// column; a malformed record becomes a row with a problem, so that every
// row still gets its result.
Result<std::vector<BulkInviteRow>> ReadBulkCsv(std::string_view text);

enum class BulkResult { kInvited, kAdded, kAlreadyMember, kInvalid };
std::string_view ToString(BulkResult result);

struct BulkRowResult {
  int row = 0;  // from 1, in the order sent (the CSV header is not a row)
  std::string email;
  BulkResult result = BulkResult::kInvalid;
  std::vector<FieldError> errors;  // only for kInvalid
  std::optional<Id> user_id;       // written rows (and members already there)
};

struct BulkOutcome {
  std::vector<BulkRowResult> rows;
  bool dry_run = false;
  bool any_invalid = false;  // then nothing was written
};

// Checks every row (e-mail, name, role, assistants by name ignoring case,
// duplicates within the request) and, when all are valid and this is not a
// dry run, invites them in one transaction: each new person an `invited`
// member with the invitation e-mail and its one-time password, each
// existing account an `active` member with the "you were added" e-mail,
// each with the `invited` audit event (and its `member.invited` webhook
// event) that a single invitation writes. Members already there are
// skipped. 422 `validation` for no rows, 422 `too_many_rows` beyond
// kMaxBulkRows; 404/403 as for a single invitation.
Result<BulkOutcome> InviteMembers(Context& context, const Principal& caller, Id organization_id,
                                  std::vector<BulkInviteRow> rows, bool dry_run);

}  // namespace roster::app
