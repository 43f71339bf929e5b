#include "app/bulk_invitations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/csv_reader.hpp"
#include "app/mail_queue.hpp"
#include "app/statistics.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

constexpr std::array<std::string_view, 4> kColumns = {"email", "name", "role", "assistants"};
// From this many rows on, a bulk invitation refreshes the planner's statistics.
constexpr std::size_t kRowsWorthAnalyze = 100;
enum Column { kEmail, kName, kRole, kAssistants };

std::string Lowered(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

// "Aria; Bolt;" -> {"Aria", "Bolt"}.
std::vector<std::string> SplitNames(std::string_view text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string name = Trimmed(text.substr(start, end - start));
    if (!name.empty()) names.push_back(std::move(name));
    start = end + 1;
  }
  return names;
}

// A row as checked before the transaction; `errors` empty when valid so far.
struct Checked {
  std::string email;
  std::string name;
  domain::Role role = domain::Role::kUser;
  std::vector<std::string> assistants;
  std::vector<Id> assistant_ids;
  std::vector<FieldError> errors;
};

Checked CheckRow(const BulkInviteRow& row) {
  Checked checked;
  for (const std::string& problem : row.problems) checked.errors.push_back({"row", problem});
  checked.email = domain::NormalizeEmail(row.email);
  if (Status valid = domain::ValidateEmail(checked.email); !valid.ok()) {
    checked.errors.push_back(valid.problem().errors.front());
  }
  Result<std::string> name = domain::ValidateName(row.name);
  if (name.ok()) {
    checked.name = *name;
  } else {
    checked.errors.push_back(name.problem().errors.front());
  }
  std::string role = Lowered(Trimmed(row.role));
  if (!role.empty()) {
    auto parsed = domain::ParseRole(role);
    if (parsed) {
      checked.role = *parsed;
    } else {
      checked.errors.push_back({"role", "The role must be \"admin\" or \"user\"."});
    }
  }
  checked.assistants = row.assistants;
  return checked;
}

// A fresh one-time password and its SHA-256, as a single invitation makes.
struct NewOtp {
  std::string plain;
  std::string hash;
};

// Writes one checked, valid row: the same rows, e-mail and audit event as
// InviteMember (app/members.cpp). Answers the member's user id.
Result<Id> WriteRow(Tx& tx, Context& context, const Access& access,
                    const domain::Organization& organization, const std::string& inviter,
                    const Checked& row, std::optional<domain::User> user, UnixSeconds now) {
  if (!user) {
    Id id = store::InsertUser(tx, row.email, row.name, now);
    user = store::FindUserById(tx, id);
  }
  bool has_password = user->password_hash.has_value();
  store::InsertMembership(
      tx, organization.id, user->id, row.role,
      has_password ? domain::MembershipState::kActive : domain::MembershipState::kInvited,
      store::MemberSortKey(user->name, user->email), now);
  if (has_password) {
    ROSTER_TRY_STATUS(QueueAddedMail(tx, context, organization, inviter, *user));
  } else {
    NewOtp otp{NewOneTimePassword(), {}};
    otp.hash = HashOneTimePassword(otp.plain);
    UnixSeconds expires_at = now + context.settings.invite_ttl;
    store::InsertInvitation(tx, organization.id, user->id, otp.hash, expires_at,
                            access.actor.user_id, now);
    ROSTER_TRY_STATUS(QueueInvitationMail(
        tx, context, {organization, inviter, *user, otp.plain, expires_at, false}));
  }
  for (Id assistant_id : row.assistant_ids) {
    store::AssignUser(tx, organization.id, assistant_id, user->id, false, now);
  }
  RecordAudit(tx, organization.id, now, access.actor, "invited", user->id,
              {{"email", row.email},
               {"role", domain::ToString(row.role)},
               {"existing_account", has_password},
               {"assistant_ids", IdList(row.assistant_ids)},
               {"bulk", true}});
  return user->id;
}

}  // namespace

std::string_view ToString(BulkResult result) {
  switch (result) {
    case BulkResult::kInvited: return "invited";
    case BulkResult::kAdded: return "added";
    case BulkResult::kAlreadyMember: return "already_member";
    case BulkResult::kInvalid: return "invalid";
  }
  return "invalid";
}

Result<std::vector<BulkInviteRow>> ReadBulkCsv(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::string error;
  if (!reader.Next(fields, error)) {
    return Problem::Validation("csv", "The CSV is empty; its first line names the columns "
                                      "email,name,role,assistants.");
  }
  if (!error.empty()) return Problem::Validation("csv", "The header line is malformed: " + error);
  std::array<int, kColumns.size()> position;
  position.fill(-1);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string column = Lowered(Trimmed(fields[i]));
    auto known = std::find(kColumns.begin(), kColumns.end(), column);
    if (known == kColumns.end()) {
      if (column.find('@') != std::string::npos) {
        // A file of rows without the header line.
        return Problem::Validation(
            "csv", "The first line must name the columns, " + HeaderLineOf(kColumns) +
                       "; this one holds an e-mail address. Add that line above the rows.");
      }
      return Problem::Validation("csv", "Unknown column \"" + column.substr(0, 40) +
                                            "\"; the columns are " + HeaderLineOf(kColumns) + ".");
    }
    auto index = static_cast<std::size_t>(known - kColumns.begin());
    if (position[index] != -1) {
      return Problem::Validation("csv", "The column \"" + column + "\" appears twice.");
    }
    position[index] = static_cast<int>(i);
  }
  if (position[kEmail] == -1 || position[kName] == -1) {
    return Problem::Validation("csv", "The header must name the columns email and name (role and "
                                      "assistants are optional).");
  }
  const std::size_t columns = fields.size();
  std::vector<BulkInviteRow> rows;
  while (reader.Next(fields, error)) {
    BulkInviteRow row;
    if (!error.empty()) {
      row.problems.push_back("Line " + std::to_string(reader.line()) + " is malformed: " + error);
    } else if (fields.size() != columns) {
      row.problems.push_back("Line " + std::to_string(reader.line()) + " has " +
                             std::to_string(fields.size()) + " fields; the header has " +
                             std::to_string(columns) + ".");
    }
    auto field = [&](Column column) -> std::string {
      int at = position[column];
      return at >= 0 && static_cast<std::size_t>(at) < fields.size() ? fields[at] : std::string();
    };
    row.email = field(kEmail);
    row.name = field(kName);
    row.role = field(kRole);
    row.assistants = SplitNames(field(kAssistants));
    rows.push_back(std::move(row));
    // One past the limit is enough to refuse the request.
    if (rows.size() > kMaxBulkRows) break;
    error.clear();
  }
  return rows;
}

Problem TooManyBulkRows() {
  Problem problem = Problem::Validation("rows", "At most 1,000 rows per request; split the list.");
  problem.slug = "too_many_rows";
  return problem;
}

Result<BulkOutcome> InviteMembers(Context& context, const Principal& caller, Id organization_id,
                                  std::vector<BulkInviteRow> rows, bool dry_run) {
  if (rows.empty()) return Problem::Validation("rows", "Send at least one row.");
  if (rows.size() > kMaxBulkRows) {
    return TooManyBulkRows();
  }
  std::vector<Checked> checked;
  checked.reserve(rows.size());
  std::unordered_map<std::string, int> first_row;  // e-mail -> row number
  for (std::size_t i = 0; i < rows.size(); ++i) {
    checked.push_back(CheckRow(rows[i]));
    int number = static_cast<int>(i) + 1;
    auto [at, inserted] = first_row.emplace(checked.back().email, number);
    if (!inserted && !checked.back().email.empty()) {
      checked.back().errors.push_back(
          {"email", "This e-mail is also in row " + std::to_string(at->second) + "."});
    }
  }

  UnixSeconds now = context.clock.Now();
  Result<BulkOutcome> outcome = context.database.Write<BulkOutcome>([&](Tx& tx) -> Result<BulkOutcome> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageMembers));
    auto organization = OrganizationOf(tx, access);
    if (!organization) return Problem::NotFound();
    std::unordered_map<std::string, Id> assistant_by_name;  // lower-cased
    for (const auto& assistant : store::AllAssistants(tx, organization_id)) {
      assistant_by_name[Lowered(assistant.name)] = assistant.id;
    }
    BulkOutcome result;
    result.dry_run = dry_run;
    std::vector<std::optional<domain::User>> users(checked.size());
    for (std::size_t i = 0; i < checked.size(); ++i) {
      Checked& row = checked[i];
      row.assistant_ids.clear();
      for (const std::string& name : row.assistants) {
        auto found = assistant_by_name.find(Lowered(name));
        if (found == assistant_by_name.end()) {
          row.errors.push_back({"assistants", "No assistant named \"" + name.substr(0, 200) +
                                                  "\" in this organization."});
        } else if (std::find(row.assistant_ids.begin(), row.assistant_ids.end(), found->second) ==
                   row.assistant_ids.end()) {
          row.assistant_ids.push_back(found->second);
        }
      }
      BulkRowResult row_result{static_cast<int>(i) + 1, row.email, BulkResult::kInvalid, {}, {}};
      if (!row.errors.empty()) {
        row_result.errors = row.errors;
        result.any_invalid = true;
      } else {
        users[i] = store::FindUserByEmail(tx, row.email);
        if (users[i] && store::FindMembership(tx, organization_id, users[i]->id)) {
          row_result.result = BulkResult::kAlreadyMember;
          row_result.user_id = users[i]->id;
        } else {
          row_result.result = users[i] && users[i]->password_hash ? BulkResult::kAdded
                                                                   : BulkResult::kInvited;
        }
      }
      result.rows.push_back(std::move(row_result));
    }
    if (result.any_invalid || dry_run) return result;  // nothing written

    std::string inviter = caller.IsApiKey() ? "" : caller.name;
    for (std::size_t i = 0; i < checked.size(); ++i) {
      BulkRowResult& row_result = result.rows[i];
      if (row_result.result == BulkResult::kAlreadyMember) continue;
      row_result.user_id = ROSTER_TRY(
          WriteRow(tx, context, access, *organization, inviter, checked[i], users[i], now));
    }
    return result;
  });
  if (outcome.ok() && !outcome->any_invalid && !dry_run) {
    context.mail_queued();
    spdlog::info("event=members_invited_in_bulk organization={} actor={} rows={}", organization_id,
                 ActorText(caller), outcome->rows.size());
    // As after a lead import: PostgreSQL plans the member pages by its
    // statistics, which hundreds of new members at once make stale until
    // autovacuum comes by. A few rows are not worth the database's sampling.
    if (outcome->rows.size() >= kRowsWorthAnalyze) RefreshStatistics(context.database);
  }
  return outcome;
}

}  // namespace roster::app
