// Deactivating a member who owns 100,000 leads (SPEC 8), calling the use
// case directly (server time, no HTTP), in three ways: to a named receiver,
// by the offboarding policy's heir, and by the policy's assistant managers
// (the leads spread over four assistants, each with two managers). Each run
// seeds fresh leads for a fresh member and deactivates him in one
// transaction.
//
//   roster_bench_deactivate [--db sqlite:/path/bench.db | postgresql://...] [--runs 3]
//
// The database must be empty (a fresh SQLite path, or an empty PostgreSQL
// database). Prints a Markdown table for BENCHMARKS.md.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "app/context.hpp"
#include "app/lifecycle.hpp"
#include "app/org_settings.hpp"
#include "auth/password_hasher.hpp"
#include "measure.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"

namespace roster {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kLeads = 100000;
constexpr int kAssistants = 4;

struct World {
  Id organization_id = 0;
  Id admin = 0;
  Id heir = 0;
  std::vector<Id> assistants;
  int next_member = 1;
};

Id AddMember(store::Tx& tx, World& world, domain::Role role, UnixSeconds now) {
  int i = world.next_member++;
  std::string email = "member" + std::to_string(i) + "@bench.test";
  std::string name = "Member " + std::to_string(i);
  Id user = store::InsertUser(tx, email, name, now);
  store::InsertMembership(tx, world.organization_id, user, role, domain::MembershipState::kActive,
                          store::MemberSortKey(name, email), now);
  return user;
}

void Write(store::Database& database, const std::function<void(store::Tx&)>& write) {
  Status done = database.Write<void>([&](store::Tx& tx) -> Status {
    write(tx);
    return {};
  });
  if (!done.ok()) throw std::runtime_error(done.problem().internal);
}

// An organization with an admin, a heir, and four assistants with two
// managers each (who own a few leads, so "the fewest" has to choose).
World Seed(store::Database& database) {
  World world;
  Write(database, [&](store::Tx& tx) {
    UnixSeconds now = SystemClock().Now();
    world.organization_id = store::InsertOrganization(tx, "Bench Org", now);
    world.admin = AddMember(tx, world, domain::Role::kAdmin, now);
    world.heir = AddMember(tx, world, domain::Role::kUser, now);
    for (int a = 0; a < kAssistants; ++a) {
      Id assistant =
          *store::InsertAssistant(tx, world.organization_id, "Assistant " + std::to_string(a), now);
      world.assistants.push_back(assistant);
      for (int m = 0; m < 2; ++m) {
        Id manager = AddMember(tx, world, domain::Role::kUser, now);
        store::AssignUser(tx, world.organization_id, assistant, manager, true, now);
        store::LeadBulkInserter inserter(tx, world.organization_id, now);
        for (int i = 0; i <= m; ++i) {
          inserter.Add({assistant, manager, "Manager lead", "m@prospect.test", ""});
        }
        inserter.Finish();
      }
    }
  });
  return world;
}

// A new member owning kLeads leads, spread over `assistants` of the assistants.
Id SeedLeaver(store::Database& database, World& world, int assistants) {
  Id leaver = 0;
  Write(database, [&](store::Tx& tx) {
    UnixSeconds now = SystemClock().Now();
    leaver = AddMember(tx, world, domain::Role::kUser, now);
    for (int a = 0; a < assistants; ++a) {
      store::AssignUser(tx, world.organization_id, world.assistants[a], leaver, false, now);
    }
    store::LeadBulkInserter inserter(tx, world.organization_id, now);
    for (int i = 0; i < kLeads; ++i) {
      inserter.Add({world.assistants[i % assistants], leaver, "Lead " + std::to_string(i),
                    "lead" + std::to_string(i) + "@prospect.test", ""});
    }
    inserter.Finish();
  });
  return leaver;
}

void SetPolicy(app::Context& context, const app::Principal& admin, const World& world,
               bool prefer_manager) {
  domain::SettingsPatch patch;
  patch.offboarding = domain::OffboardingPatch{std::optional<Id>(world.heir), prefer_manager};
  auto updated = app::UpdateSettings(context, admin, world.organization_id, patch);
  if (!updated.ok()) throw std::runtime_error(updated.problem().detail);
}

int Run(int argc, char** argv) {
  std::string url =
      "sqlite:" + (std::filesystem::temp_directory_path() / "roster-bench-deactivate.db").string();
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db") url = argv[i + 1];
    if (flag == "--runs") runs = std::stoi(argv[i + 1]);
  }
  if (url.rfind("sqlite:", 0) == 0) bench::RemoveSqliteFiles(url.substr(7));
  auto database = store::Database::Open(url, 4);
  if (!database.ok()) throw std::runtime_error(database.problem().detail);
  if (auto migrated = store::Migrate(**database); !migrated.ok()) {
    throw std::runtime_error(migrated.problem().detail);
  }
  auto hasher = PasswordHasher::Create();
  SystemClock clock;
  app::Context context{**database, **hasher, clock, {}};
  World world = Seed(**database);
  app::Principal admin;
  admin.user_id = world.admin;

  struct Way {
    const char* label;
    int assistants;
    bool by_policy;
    bool prefer_manager;
  };
  const Way ways[] = {
      {"to a named receiver (`reassign_to`)", 1, false, false},
      {"by the policy: to the heir", 1, true, false},
      {"by the policy: to the managers of 4 assistants", kAssistants, true, true},
  };
  std::string backend = url.substr(0, url.find(':'));
  std::printf("\n### Deactivation of a member owning %d leads (%s)\n\n", kLeads, backend.c_str());
  std::printf("| how | runs: wall ms | median wall ms | median CPU ms |\n|---|---|---|---|\n");
  for (const Way& way : ways) {
    if (way.by_policy) SetPolicy(context, admin, world, way.prefer_manager);
    std::vector<double> wall, cpu;
    std::string each;
    for (int run = 0; run < runs; ++run) {
      Id leaver = SeedLeaver(**database, world, way.assistants);
      if ((*database)->backend() == store::Backend::kPostgres) {
        Write(**database, [](store::Tx& tx) { tx.sql() << "ANALYZE leads"; });
      }
      std::optional<Id> receiver;
      if (!way.by_policy) receiver = world.heir;
      auto begin = Steady::now();
      double cpu_begin = bench::ThreadCpuSeconds();
      auto deactivated = app::DeactivateMember(context, admin, world.organization_id, leaver, receiver);
      cpu.push_back(1000 * (bench::ThreadCpuSeconds() - cpu_begin));
      wall.push_back(1000 * bench::Seconds(Steady::now() - begin));
      if (!deactivated.ok()) throw std::runtime_error(deactivated.problem().detail);
      if (deactivated->details->lead_count != 0) throw std::runtime_error("leads left behind");
      each += (each.empty() ? "" : ", ") + std::to_string(static_cast<int>(wall.back()));
    }
    std::printf("| %s | %s | %.0f | %.0f |\n", way.label, each.c_str(), bench::Percentile(wall, 0.5),
                bench::Percentile(cpu, 0.5));
  }
  return 0;
}

}  // namespace
}  // namespace roster

int main(int argc, char** argv) {
  return roster::bench::Main("roster_bench_deactivate", roster::Run, argc, argv);
}
