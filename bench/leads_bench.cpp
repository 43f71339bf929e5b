// How a page of leads scales: seeds two organizations that differ only in
// their number of leads (10,000 and, by default, 1,000,000), each with 10,000
// members and 200 assistants, through the import path (`roster leads
// import`'s use case), then measures one page of 50 leads as an admin, a
// manager and a user, calling the use case directly (server time, no HTTP).
// Pages on the two databases alternate, so that a busy machine slows both
// alike.
//
//   roster_bench_leads [--dir DIR] [--leads 1000000] [--pages 1000]
//   roster_bench_leads --small-db URL --large-db URL ...   (e.g. PostgreSQL)
//
// Prints a Markdown section for BENCHMARKS.md.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/context.hpp"
#include "app/lead_import.hpp"
#include "app/leads.hpp"
#include "auth/password_hasher.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include <soci/soci.h>

#include "store/cursor.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"
#include "measure.hpp"

namespace roster {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMembers = 10000;
constexpr int kAssistants = 200;
constexpr long kSmallLeadCount = 10000;
// The first leads go to the personas, so that their pages are as full at
// 10,000 leads as at 1,000,000 and the two compare the same page.
constexpr long kPersonaLeads = 300;

struct Options {
  std::string small_db, large_db;
  long leads = 1000000;
  int pages = 1000;
  bool orders = false;  // also the sorts and status filters (--orders 1)
};

// A list of leads as the console asks for it: a sort and a status filter.
struct Variant {
  std::string name;
  domain::LeadSort sort = domain::LeadSort::kNewest;
  std::vector<domain::LeadStatus> statuses;
};

// The organization's people, by index: 0 is the admin, 1 the manager of
// assistant 0 (and of nothing else), 2 a plain user; everyone but the admin
// is on one to three assistants.
struct World {
  Id organization_id = 0;
  std::vector<Id> users;
  std::vector<std::string> emails;
  std::vector<std::vector<int>> assistants_of;  // user index -> assistant indexes
};

// Members, assistants and assignments, written straight through the store
// (inviting 10,000 people would cost an argon2 hash each).
World Seed(store::Database& database, std::mt19937_64 random) {
  World world;
  world.assistants_of.resize(kMembers);
  auto seeded = database.Write<bool>([&](store::Tx& tx) -> Result<bool> {
    UnixSeconds now = SystemClock().Now();
    world.organization_id = store::InsertOrganization(tx, "Bench Org", now);
    std::vector<Id> assistants;
    for (int i = 0; i < kAssistants; ++i) {
      assistants.push_back(ROSTER_TRY(store::InsertAssistant(
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
        if (std::find(mine.begin(), mine.end(), a) == mine.end()) mine.push_back(a);
      }
      for (int a : mine) {
        store::AssignUser(tx, world.organization_id, assistants[a], user, i == 1 && a == 0, now);
      }
    }
    return true;
  });
  if (!seeded.ok()) throw std::runtime_error(seeded.problem().detail + " " + seeded.problem().internal);
  return world;
}

// Leads [first, first + count) as CSV: the first kPersonaLeads owned by the
// user persona, the next kPersonaLeads on the manager persona's assistant,
// the rest spread uniformly over owners and their assistants.
std::string Csv(const World& world, long count, long first, std::mt19937_64& random) {
  std::string csv = "name,email,company,assistant,owner_email\n";
  csv.reserve(static_cast<std::size_t>(count) * 90);
  std::uniform_int_distribution<int> any_owner(1, kMembers - 1);
  auto on_assistant_0 = [&](int owner) {
    const auto& mine = world.assistants_of[owner];
    return std::find(mine.begin(), mine.end(), 0) != mine.end();
  };
  for (long i = first; i < first + count; ++i) {
    int owner = i < kPersonaLeads ? 2 : any_owner(random);
    bool for_manager = i >= kPersonaLeads && i < 2 * kPersonaLeads;
    while (for_manager && !on_assistant_0(owner)) owner = any_owner(random);
    const auto& mine = world.assistants_of[owner];
    int a = for_manager ? 0 : mine[std::uniform_int_distribution<std::size_t>(0, mine.size() - 1)(random)];
    csv += "Lead " + std::to_string(i) + ",lead" + std::to_string(i) + "@prospect.test,Company " +
           std::to_string(i % 5000) + ",Assistant " + std::to_string(a) + "," + world.emails[owner] + "\n";
  }
  return csv;
}

struct ImportTime {
  double wall_seconds = 0, cpu_seconds = 0;
};

ImportTime Import(store::Database& database, const World& world, long count, long first,
                  std::mt19937_64& random) {
  std::string csv = Csv(world, count, first, random);
  auto start = Clock::now();
  double cpu_start = bench::ThreadCpuSeconds();
  auto imported = app::ImportLeads(database, SystemClock(), world.organization_id, csv);
  if (!imported.ok() || *imported != count) {
    throw std::runtime_error("import failed: " + (imported.ok() ? std::to_string(*imported)
                                                                : imported.problem().detail + " " +
                                                                      imported.problem().internal));
  }
  return {bench::Seconds(Clock::now() - start), bench::ThreadCpuSeconds() - cpu_start};
}

// One seeded organization and what is needed to ask for its leads.
struct Bench {
  std::unique_ptr<store::Database> database;
  std::unique_ptr<app::Context> context;
  World world;
  long lead_count = 0;
  double seed_seconds = 0;
  ImportTime import;
};

Bench Open(const std::string& url, long lead_count, PasswordHasher& hasher, const roster::Clock& clock) {
  Bench bench;
  auto database = store::Database::Open(url, 2);
  if (!database.ok()) throw std::runtime_error(database.problem().detail);
  bench.database = std::move(*database);
  if (auto migrated = store::Migrate(*bench.database); !migrated.ok()) {
    throw std::runtime_error(migrated.problem().detail);
  }
  bench.context = std::make_unique<app::Context>(app::Context{*bench.database, hasher, clock, app::Settings{}});
  auto start = Clock::now();
  std::mt19937_64 random(42);  // the same members, assignments and first leads in both
  bench.world = Seed(*bench.database, random);
  bench.import = Import(*bench.database, bench.world, lead_count, 0, random);
  // The import writes every lead as `new`; spread them over the pipeline
  // (new 50 %, contacted 25 %, qualified 15 %, won 5 %, lost 5 %), then let
  // the planner see the spread.
  auto spread = bench.database->Write<bool>([](store::Tx& tx) -> Result<bool> {
    tx.sql() << "UPDATE leads SET status = CASE WHEN id % 20 < 10 THEN 'new' WHEN id % 20 < 15 "
              "THEN 'contacted' WHEN id % 20 < 18 THEN 'qualified' WHEN id % 20 = 18 THEN 'won' "
              "ELSE 'lost' END";
    return true;
  });
  if (!spread.ok()) throw std::runtime_error(spread.problem().internal);
  (void)bench.database->Write<bool>([](store::Tx& tx) -> Result<bool> {
    tx.sql() << (tx.backend == store::Backend::kSqlite ? "ANALYZE" : "ANALYZE leads");
    return true;
  });
  bench.seed_seconds = bench::Seconds(Clock::now() - start);
  bench.lead_count = lead_count;
  return bench;
}

struct Samples {
  std::vector<double> wall_ms, cpu_ms;
  long rows = 0;
};

// A cursor somewhere in `variant`'s order, as a client would hold it.
std::optional<std::string> RandomCursor(const Variant& variant, long lead_count,
                                        std::mt19937_64& random) {
  long id = std::uniform_int_distribution<long>(1, lead_count + 1)(random);
  std::string name = "Lead " + std::to_string(std::uniform_int_distribution<long>(0, lead_count)(random));
  std::string status(domain::ToString(domain::AllLeadStatuses()[std::uniform_int_distribution<int>(0, 4)(random)]));
  std::string order(domain::ToString(variant.sort));
  switch (variant.sort) {
    case domain::LeadSort::kNewest: return std::to_string(id);
    case domain::LeadSort::kOldest: return store::EncodeKeyCursor("created\n", id);
    case domain::LeadSort::kName:
    case domain::LeadSort::kNameDescending: return store::EncodeKeyCursor(order + "\n" + name, id);
    case domain::LeadSort::kStatus:
    case domain::LeadSort::kStatusDescending: return store::EncodeKeyCursor(order + "\n" + status, id);
  }
  return std::nullopt;
}

// One page of 50 as `user_index`: from the top one time in ten, else from a
// random position.
void MeasurePage(Bench& bench, int user_index, const Variant& variant, std::mt19937_64& random,
                 bool from_top, Samples& samples) {
  app::Principal caller =
      app::Principal::Person(bench.world.users[user_index], 0, bench.world.emails[user_index], "");
  domain::LeadFilter filter;
  filter.limit = 50;
  filter.sort = variant.sort;
  filter.statuses = variant.statuses;
  if (!from_top) filter.cursor = RandomCursor(variant, bench.lead_count, random);
  auto start = Clock::now();
  double cpu_start = bench::ThreadCpuSeconds();
  auto page = app::ListLeads(*bench.context, caller, bench.world.organization_id, filter);
  samples.cpu_ms.push_back((bench::ThreadCpuSeconds() - cpu_start) * 1000);
  samples.wall_ms.push_back(bench::Seconds(Clock::now() - start) * 1000);
  if (!page.ok()) throw std::runtime_error("list failed: " + page.problem().internal);
  samples.rows += static_cast<long>(page->items.size());
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir") dir = value;
    else if (flag == "--small-db") options.small_db = value;
    else if (flag == "--large-db") options.large_db = value;
    else if (flag == "--leads") options.leads = std::stol(value);
    else if (flag == "--pages") options.pages = std::stoi(value);
    else if (flag == "--orders") options.orders = value == "1";
    else throw std::runtime_error("unknown flag " + flag);
  }
  for (auto [url, name] : {std::pair{&options.small_db, "roster-bench-small.db"},
                           std::pair{&options.large_db, "roster-bench-large.db"}}) {
    if (!url->empty()) continue;
    std::string path = (dir / name).string();
    bench::RemoveSqliteFiles(path);
    *url = "sqlite:" + path;
  }
  return options;
}

int Run(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  auto hasher = PasswordHasher::Create();
  if (!hasher.ok()) throw std::runtime_error(hasher.problem().detail);
  SystemClock clock;
  Bench small = Open(options.small_db, kSmallLeadCount, **hasher, clock);
  Bench large = Open(options.large_db, options.leads, **hasher, clock);

  const std::vector<std::pair<std::string, int>> personas = {{"admin", 0}, {"manager", 1}, {"user", 2}};
  using domain::LeadSort;
  using domain::LeadStatus;
  std::vector<Variant> variants = {{"newest first", LeadSort::kNewest, {}}};
  if (options.orders) {
    variants.push_back({"sort=created", LeadSort::kOldest, {}});
    variants.push_back({"sort=name", LeadSort::kName, {}});
    variants.push_back({"sort=-name", LeadSort::kNameDescending, {}});
    variants.push_back({"sort=status", LeadSort::kStatus, {}});
    variants.push_back({"sort=-status", LeadSort::kStatusDescending, {}});
    variants.push_back({"status=won", LeadSort::kNewest, {LeadStatus::kWon}});
    variants.push_back({"status=won,lost", LeadSort::kNewest, {LeadStatus::kWon, LeadStatus::kLost}});
    variants.push_back({"status=won&sort=name", LeadSort::kName, {LeadStatus::kWon}});
  }
  std::mt19937_64 random(7);
  std::printf("| list | caller | rows/page | p50 @ %ldk | p99 @ %ldk | p50 @ %ldk | p99 @ %ldk | p99 ratio | CPU p50 / p99 @ %ldk | CPU p50 / p99 @ %ldk |\n",
              kSmallLeadCount / 1000, kSmallLeadCount / 1000, options.leads / 1000, options.leads / 1000,
              kSmallLeadCount / 1000, options.leads / 1000);
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Variant& variant : variants) {
    for (const auto& [name, index] : personas) {
      Samples at_small, at_large;
      for (int i = 0; i < options.pages; ++i) {
        MeasurePage(small, index, variant, random, i % 10 == 0, at_small);
        MeasurePage(large, index, variant, random, i % 10 == 0, at_large);
      }
      double small_p99 = bench::Percentile(at_small.wall_ms, 0.99), large_p99 = bench::Percentile(at_large.wall_ms, 0.99);
      std::printf("| %s | %s | %.1f / %.1f | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2f× | %.3f / %.3f ms | %.3f / %.3f ms |\n",
                  variant.name.c_str(), name.c_str(), static_cast<double>(at_small.rows) / options.pages,
                  static_cast<double>(at_large.rows) / options.pages, bench::Percentile(at_small.wall_ms, 0.50),
                  small_p99, bench::Percentile(at_large.wall_ms, 0.50), large_p99, large_p99 / small_p99,
                  bench::Percentile(at_small.cpu_ms, 0.50), bench::Percentile(at_small.cpu_ms, 0.99),
                  bench::Percentile(at_large.cpu_ms, 0.50), bench::Percentile(at_large.cpu_ms, 0.99));
      std::fflush(stdout);
    }
  }
  std::string load;
  std::getline(std::ifstream("/proc/loadavg"), load);
  std::printf("\n- %s and %s; %u hardware threads; load average at the end: %s\n", options.small_db.c_str(),
              options.large_db.c_str(), std::thread::hardware_concurrency(), load.c_str());
  std::printf("- seeding %ldk leads: %.2f s in all (members and assignments, CSV generation, import); "
              "the import alone %.2f s (CPU %.2f s), %.0f leads/s\n",
              options.leads / 1000, large.seed_seconds, large.import.wall_seconds, large.import.cpu_seconds,
              options.leads / large.import.wall_seconds);
  return 0;
}

}  // namespace
}  // namespace roster

int main(int argc, char** argv) { return roster::bench::Main("roster_bench_leads", roster::Run, argc, argv); }
