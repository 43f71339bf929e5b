// Seeds an organization (10,000 members, 200 assistants, 1,000,000 leads
// through the import path) and measures one page of 50 leads as an admin, a
// manager and a user, calling the use case directly (server time, no HTTP).
//
//   roster_bench_leads [--db sqlite:/path/bench.db] [--leads 1000000] [--pages 1000]
//
// Prints a Markdown section for BENCHMARKS.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/lead_import.hpp"
#include "app/leads.hpp"
#include "auth/password_hasher.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"
#include "store/accounts.hpp"

namespace roster {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMembers = 10000;
constexpr int kAssistants = 200;
constexpr int kSmallLeadCount = 10000;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Options {
  std::string db;
  long leads = 1000000;
  int pages = 1000;
};

// The organization's people, by index: 0 is the admin, 1 the manager of
// assistant 0 (and of nothing else), 2 a plain user; everyone but the admin
// is on one to three assistants.
struct World {
  Id organization_id = 0;
  std::vector<Id> users;
  std::vector<std::string> emails;
  std::vector<Id> assistants;
  std::vector<std::vector<int>> assistants_of;  // user index -> assistant indexes
};

World Seed(store::Database& database, std::mt19937_64& random) {
  World world;
  world.assistants_of.resize(kMembers);
  auto seeded = database.Write<bool>([&](store::Tx& tx) -> Result<bool> {
    UnixSeconds now = SystemClock().Now();
    world.organization_id = store::InsertOrganization(tx, "Bench Org", now);
    for (int i = 0; i < kAssistants; ++i) {
      world.assistants.push_back(ROSTER_TRY(store::InsertAssistant(
          tx, world.organization_id, "Assistant " + std::to_string(i), now)));
    }
    std::uniform_int_distribution<int> any_assistant(0, kAssistants - 1);
    std::uniform_int_distribution<int> how_many(1, 3);
    for (int i = 0; i < kMembers; ++i) {
      std::string email = "member" + std::to_string(i) + "@bench.test";
      std::string name = "Member " + std::to_string(i);
      Id user = store::InsertUser(tx, email, name, now);
      world.users.push_back(user);
      world.emails.push_back(email);
      store::InsertMembership(tx, world.organization_id, user,
                              i == 0 ? domain::Role::kAdmin : domain::Role::kUser,
                              domain::MembershipState::kActive, store::MemberSortKey(name, email), now);
      if (i == 0) continue;
      std::vector<int>& mine = world.assistants_of[i];
      if (i == 1) mine.push_back(0);
      for (int n = how_many(random); static_cast<int>(mine.size()) < n;) {
        int a = any_assistant(random);
        if (i == 1 && a == 0) continue;
        if (std::find(mine.begin(), mine.end(), a) == mine.end()) mine.push_back(a);
      }
      for (int a : mine) {
        store::AssignUser(tx, world.organization_id, world.assistants[a], user, i == 1 && a == 0, now);
      }
    }
    return true;
  });
  if (!seeded.ok()) throw std::runtime_error(seeded.problem().internal + seeded.problem().detail);
  return world;
}

std::string Csv(const World& world, long count, long first, std::mt19937_64& random) {
  std::string csv = "name,email,company,assistant,owner_email\n";
  csv.reserve(static_cast<std::size_t>(count) * 90);
  std::uniform_int_distribution<int> any_owner(1, kMembers - 1);
  for (long i = first; i < first + count; ++i) {
    int owner = any_owner(random);
    const auto& mine = world.assistants_of[owner];
    int a = mine[std::uniform_int_distribution<std::size_t>(0, mine.size() - 1)(random)];
    csv += "Lead " + std::to_string(i) + ",lead" + std::to_string(i) + "@prospect.test,Company " +
           std::to_string(i % 5000) + ",Assistant " + std::to_string(a) + "," + world.emails[owner] + "\n";
  }
  return csv;
}

double Import(store::Database& database, const World& world, long count, long first,
              std::mt19937_64& random) {
  std::string csv = Csv(world, count, first, random);
  auto start = Clock::now();
  auto imported = app::ImportLeads(database, SystemClock(), world.organization_id, csv);
  if (!imported.ok() || *imported != count) {
    throw std::runtime_error("import failed: " + (imported.ok() ? std::to_string(*imported)
                                                                : imported.problem().detail));
  }
  return Seconds(Clock::now() - start);
}

struct Timing {
  double p50_ms, p99_ms;
  double mean_rows;
};

// `pages` pages of 50: a tenth from the top, the rest from a random position.
Timing MeasurePages(app::Context& context, const World& world, int user_index, long max_lead_id,
                    int pages, std::mt19937_64& random) {
  app::Principal caller{world.users[user_index], 0, world.emails[user_index], "", false};
  std::vector<double> ms;
  long rows = 0;
  std::uniform_int_distribution<long> position(1, max_lead_id + 1);
  for (int i = 0; i < pages; ++i) {
    store::LeadFilter filter;
    filter.limit = 50;
    if (i % 10 != 0) filter.cursor = std::to_string(position(random));
    auto start = Clock::now();
    auto page = app::ListLeads(context, caller, world.organization_id, filter);
    ms.push_back(Seconds(Clock::now() - start) * 1000);
    if (!page.ok()) throw std::runtime_error("list failed: " + page.problem().internal);
    rows += static_cast<long>(page->items.size());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)],
          static_cast<double>(rows) / pages};
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--db") options.db = value;
    else if (flag == "--leads") options.leads = std::stol(value);
    else if (flag == "--pages") options.pages = std::stoi(value);
    else throw std::runtime_error("unknown flag " + flag);
  }
  if (options.db.empty()) {
    auto path = std::filesystem::temp_directory_path() / "roster-bench-leads.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    options.db = "sqlite:" + path.string();
  }
  return options;
}

int Run(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  std::mt19937_64 random(42);
  auto database = store::Database::Open(options.db, 2);
  if (!database.ok()) throw std::runtime_error(database.problem().detail);
  if (auto migrated = store::Migrate(**database); !migrated.ok()) {
    throw std::runtime_error(migrated.problem().detail);
  }
  auto hasher = PasswordHasher::Create();
  if (!hasher.ok()) throw std::runtime_error(hasher.problem().detail);
  SystemClock clock;
  app::Context context{**database, **hasher, clock, app::Settings{}};

  auto seed_start = Clock::now();
  World world = Seed(**database, random);
  double members_seconds = Seconds(Clock::now() - seed_start);
  double small_import = Import(**database, world, kSmallLeadCount, 0, random);

  const std::vector<std::pair<std::string, int>> personas = {{"admin", 0}, {"manager", 1}, {"user", 2}};
  std::vector<Timing> small, large;
  for (const auto& [name, index] : personas) {
    small.push_back(MeasurePages(context, world, index, kSmallLeadCount, options.pages, random));
  }
  double large_import = Import(**database, world, options.leads - kSmallLeadCount, kSmallLeadCount, random);
  double seeding = Seconds(Clock::now() - seed_start);
  for (const auto& [name, index] : personas) {
    large.push_back(MeasurePages(context, world, index, options.leads, options.pages, random));
  }

  std::printf("members, assistants, assignments: %.2f s\n", members_seconds);
  std::printf("import of %d leads: %.2f s; of %ld more: %.2f s (%.0f leads/s)\n", kSmallLeadCount,
              small_import, options.leads - kSmallLeadCount, large_import,
              (options.leads - kSmallLeadCount) / large_import);
  std::printf("seeding in all: %.2f s\n\n", seeding);
  std::printf("| caller | visible rows/page | p50 @ %d | p99 @ %d | p50 @ %ld | p99 @ %ld | p99 ratio |\n",
              kSmallLeadCount, kSmallLeadCount, options.leads, options.leads);
  std::printf("|---|---|---|---|---|---|---|\n");
  for (std::size_t i = 0; i < personas.size(); ++i) {
    std::printf("| %s | %.1f | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2f× |\n", personas[i].first.c_str(),
                large[i].mean_rows, small[i].p50_ms, small[i].p99_ms, large[i].p50_ms, large[i].p99_ms,
                large[i].p99_ms / small[i].p99_ms);
  }
  return 0;
}

}  // namespace
}  // namespace roster

int main(int argc, char** argv) {
  try {
    return roster::Run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "roster_bench_leads: " << error.what() << "\n";
    return 1;
  }
}
