// The CSV reader and `roster leads import` on any text. CsvReader must end,
// count lines right, and read back what it reads when the records are
// written out again; ImportLeads runs on a real SQLite database whose
// organization has two assistants ("Sales", "Support") and two members
// (ada@example.com assigned to Sales, bob@example.com to both), and must
// answer an import count or a 422 naming lines, never anything else.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "app/csv_reader.hpp"
#include "app/lead_import.hpp"
#include "core/clock.hpp"
#include "fuzz_check.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"

namespace {

using namespace roster;

std::vector<std::vector<std::string>> ReadAll(std::string_view text) {
  app::CsvReader reader(text);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string error;
  std::size_t last_line = 0;
  std::size_t lines = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::size_t calls = 0;
  while (reader.Next(fields, error)) {
    ROSTER_FUZZ_CHECK(++calls <= text.size());  // every record consumes input
    ROSTER_FUZZ_CHECK(reader.line() > last_line && reader.line() <= lines);
    last_line = reader.line();
    if (error.empty()) {
      ROSTER_FUZZ_CHECK(!fields.empty());
      records.push_back(fields);
    }
  }
  return records;
}

std::string Quoted(const std::vector<std::vector<std::string>>& records) {
  std::string out;
  for (const auto& record : records) {
    for (std::size_t i = 0; i < record.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      for (char c : record[i]) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

class FixedClock final : public Clock {
 public:
  UnixSeconds Now() const override { return 1'780'000'000; }
};

// A migrated SQLite database with one organization, made anew after an
// import that succeeded (so that every run sees the same rows).
class ImportDatabase {
 public:
  ImportDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "roster-fuzz-XXXXXX").string();
    ROSTER_FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr);
    directory_ = pattern;
  }
  ~ImportDatabase() {
    database_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  Result<std::int64_t> Import(std::string_view csv) {
    if (!database_) Create();
    auto imported = app::ImportLeads(*database_, clock_, organization_id_, csv);
    if (imported.ok()) database_.reset();
    return imported;
  }

 private:
  void Create() {
    std::string path = directory_ + "/roster-" + std::to_string(++generation_) + ".db";
    std::error_code ignored;
    std::filesystem::remove(directory_ + "/roster-" + std::to_string(generation_ - 1) + ".db",
                            ignored);
    auto database = store::Database::Open("sqlite:" + path, 1);
    ROSTER_FUZZ_CHECK(database.ok());
    database_ = std::move(database).value();
    ROSTER_FUZZ_CHECK(store::Migrate(*database_).ok());
    UnixSeconds now = clock_.Now();
    auto made = database_->Write<Id>([&](store::Tx& tx) -> Result<Id> {
      Id org = store::InsertOrganization(tx, "Acme", now);
      Id ada = store::InsertUser(tx, "ada@example.com", "Ada", now);
      Id bob = store::InsertUser(tx, "bob@example.com", "Bob", now);
      store::InsertMembership(tx, org, ada, domain::Role::kAdmin, domain::MembershipState::kActive,
                              store::MemberSortKey("Ada", "ada@example.com"), now);
      store::InsertMembership(tx, org, bob, domain::Role::kUser, domain::MembershipState::kActive,
                              store::MemberSortKey("Bob", "bob@example.com"), now);
      Id sales = ROSTER_TRY(store::InsertAssistant(tx, org, "Sales", now));
      Id support = ROSTER_TRY(store::InsertAssistant(tx, org, "Support", now));
      store::AssignUser(tx, org, sales, ada, false, now);
      store::AssignUser(tx, org, sales, bob, true, now);
      store::AssignUser(tx, org, support, bob, false, now);
      return org;
    });
    ROSTER_FUZZ_CHECK(made.ok());
    organization_id_ = *made;
  }

  FixedClock clock_;
  std::string directory_;
  int generation_ = 0;
  std::unique_ptr<store::Database> database_;
  Id organization_id_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto records = ReadAll(text);
  ROSTER_FUZZ_CHECK(ReadAll(Quoted(records)) == records);

  static ImportDatabase database;
  auto imported = database.Import(text);
  if (imported.ok()) {
    ROSTER_FUZZ_CHECK(*imported >= 0 && static_cast<std::size_t>(*imported) + 1 <= records.size());
  } else {
    const Problem& problem = imported.problem();
    ROSTER_FUZZ_CHECK(problem.category == ProblemCode::kValidation);
    ROSTER_FUZZ_CHECK(!problem.errors.empty());
    for (const FieldError& error : problem.errors) {
      ROSTER_FUZZ_CHECK(error.field.starts_with("line "));
    }
  }
  return 0;
}
