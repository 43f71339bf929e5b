#include "app/lead_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "app/audit_trail.hpp"
#include "app/csv_reader.hpp"
#include "app/statistics.hpp"
#include "domain/validation.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

constexpr std::array<std::string_view, 5> kColumns = {"name", "email", "company", "assistant",
                                                      "owner_email"};
enum Column { kName, kEmail, kCompany, kAssistant, kOwnerEmail };

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

// The organization as the import needs it, loaded once.
struct Directory {
  std::unordered_map<std::string, Id> assistant_by_name;  // lower-cased
  std::unordered_map<Id, std::string> assistant_name;
  std::unordered_map<std::string, Id> member_by_email;
  std::unordered_set<std::string> assignments;  // "assistant:user"

  static std::string Key(Id assistant_id, Id user_id) {
    return std::to_string(assistant_id) + ':' + std::to_string(user_id);
  }

  static Directory Load(Tx& tx, Id organization_id) {
    Directory directory;
    for (const auto& assistant : store::AllAssistants(tx, organization_id)) {
      directory.assistant_by_name[Lowered(assistant.name)] = assistant.id;
      directory.assistant_name[assistant.id] = assistant.name;
    }
    for (const auto& [email, user_id] : store::MemberEmails(tx, organization_id)) {
      directory.member_by_email[email] = user_id;
    }
    for (const auto& [assistant_id, user_id] : store::AllAssignments(tx, organization_id)) {
      directory.assignments.insert(Key(assistant_id, user_id));
    }
    return directory;
  }

  std::optional<Id> FindAssistant(const std::string& text) const {
    if (auto found = assistant_by_name.find(Lowered(text)); found != assistant_by_name.end()) {
      return found->second;
    }
    auto id = ParseId(text);
    if (id && assistant_name.contains(*id)) return *id;
    return std::nullopt;
  }
};

// Maps each of kColumns to its position in the header; empty on success,
// else the reason the header is unusable.
std::string ReadHeader(const std::vector<std::string>& header, std::array<std::size_t, 5>& position) {
  std::array<bool, 5> seen{};
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name = Lowered(Trimmed(header[i]));
    auto column = std::find(kColumns.begin(), kColumns.end(), name);
    if (column == kColumns.end()) {
      // Most often a file without its header: its first row read as one.
      return "unknown column \"" + name + "\": the first line names the columns " +
             HeaderLineOf(kColumns);
    }
    auto index = static_cast<std::size_t>(column - kColumns.begin());
    if (seen[index]) return "column \"" + name + "\" appears twice";
    seen[index] = true;
    position[index] = i;
  }
  for (std::size_t index = 0; index < kColumns.size(); ++index) {
    if (!seen[index]) return "the header has no column \"" + std::string(kColumns[index]) + "\"";
  }
  return "";
}

// One data line as a lead, or the reason it is not one.
Result<store::NewLead> ReadLead(const Directory& directory, const std::vector<std::string>& fields,
                                const std::array<std::size_t, 5>& position) {
  auto fail = [](std::string reason) { return Problem::Validation("line", std::move(reason)); };
  if (fields.size() != kColumns.size()) {
    return fail("expected " + std::to_string(kColumns.size()) + " fields, found " +
                std::to_string(fields.size()));
  }
  store::NewLead lead;
  auto name = domain::ValidateLabel(fields[position[kName]], "name", false);
  if (!name.ok()) return fail("name: " + name.problem().errors.front().message);
  lead.name = *name;
  lead.email = domain::NormalizeEmail(fields[position[kEmail]]);
  if (!domain::ValidateEmail(lead.email).ok()) return fail("email: not a valid e-mail address");
  auto company = domain::ValidateLabel(fields[position[kCompany]], "company", true);
  if (!company.ok()) return fail("company: " + company.problem().errors.front().message);
  lead.company = *company;
  std::string assistant = Trimmed(fields[position[kAssistant]]);
  auto assistant_id = directory.FindAssistant(assistant);
  if (!assistant_id) return fail("no assistant named or numbered \"" + assistant + "\"");
  lead.assistant_id = *assistant_id;
  std::string owner_email = domain::NormalizeEmail(fields[position[kOwnerEmail]]);
  auto owner = directory.member_by_email.find(owner_email);
  if (owner == directory.member_by_email.end()) {
    return fail("owner " + owner_email + " is not a member of the organization");
  }
  lead.owner_id = owner->second;
  if (!directory.assignments.contains(Directory::Key(lead.assistant_id, lead.owner_id))) {
    return fail("owner " + owner_email + " is not assigned to assistant \"" +
                directory.assistant_name.at(lead.assistant_id) + "\"");
  }
  return lead;
}

}  // namespace

Result<std::int64_t> ImportLeads(store::Database& database, const Clock& clock,
                                 Id organization_id, std::string_view csv) {
  UnixSeconds now = clock.Now();
  Result<std::int64_t> result = database.Write<std::int64_t>([&](Tx& tx) -> Result<std::int64_t> {
    if (!store::FindOrganization(tx, organization_id)) {
      return Problem::NotFound("No such organization.");
    }
    Directory directory = Directory::Load(tx, organization_id);
    CsvReader reader(csv);
    std::vector<std::string> fields;
    std::string error;
    std::vector<FieldError> errors;
    auto line_error = [&](std::string reason) {
      errors.push_back({"line " + std::to_string(reader.line()), std::move(reason)});
    };
    if (!reader.Next(fields, error)) {
      return Problem::Validation("line 1", "the header line is missing");
    }
    std::array<std::size_t, 5> position{};
    if (!error.empty()) return Problem::Validation("line 1", error);
    if (std::string bad = ReadHeader(fields, position); !bad.empty()) {
      return Problem::Validation("line 1", bad);
    }
    store::LeadBulkInserter inserter(tx, organization_id, now);
    while (reader.Next(fields, error)) {
      if (!error.empty()) {
        line_error(error);
        continue;
      }
      Result<store::NewLead> lead = ReadLead(directory, fields, position);
      if (!lead.ok()) {
        line_error(lead.problem().detail);
      } else if (errors.empty()) {
        // Once a line is bad nothing will be kept; only validate the rest.
        inserter.Add(std::move(lead).value());
      }
    }
    if (!errors.empty()) return Problem::Validation(std::move(errors));
    std::int64_t imported = inserter.Finish();
    RecordAudit(tx, organization_id, now, {}, "leads_imported", std::nullopt,
                {{"lead_count", imported}});
    return imported;
  });
  // A bulk load changes what the planner should expect.
  if (result.ok()) RefreshStatistics(database);
  return result;
}

}  // namespace roster::app
