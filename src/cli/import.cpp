#include <fstream>
#include <iostream>
#include <sstream>

#include "app/lead_import.hpp"
#include "cli/commands.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace roster::cli {

int RunImportLeads(const Settings& settings, const std::string& organization,
                   const std::string& csv_path) {
  auto organization_id = ParseId(organization);
  if (!organization_id) return Fail("--org must be an organization ID");
  std::ifstream file(csv_path, std::ios::binary);
  if (!file) return Fail("cannot read " + csv_path);
  std::stringstream text;
  text << file.rdbuf();
  auto database = store::Database::Open(settings.database, 1);
  if (!database.ok()) return Fail(database.problem());
  if (Status current = store::CheckSchemaIsCurrent(**database); !current.ok()) {
    return Fail(current.problem());
  }
  SystemClock clock;
  auto imported = app::ImportLeads(**database, clock, *organization_id, text.str());
  if (!imported.ok()) {
    const Problem& problem = imported.problem();
    if (problem.errors.empty()) return Fail(problem);
    for (const auto& error : problem.errors) std::cerr << error.field << ": " << error.message << "\n";
    return Fail("nothing imported: " + std::to_string(problem.errors.size()) + " bad line(s)");
  }
  std::cout << "imported " << *imported << " leads\n";
  return 0;
}

}  // namespace roster::cli
