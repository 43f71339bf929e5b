// The Org users page at scale: one page of 50 members in an organization of
// 10,000, and removing a member who owns 100,000 leads (one transaction),
// calling the use cases directly (server time, no HTTP).
//
//   roster_bench_members [--db sqlite:/path/bench.db | postgresql://...] [--pages 1000] [--removals 5]
//                        [--sort-pages 50]
//
// Then every sort of the list (issue 16) over the same 10,000 members with
// 1,000,000 leads between them and half of them signed in: first page and a
// page in the middle (by cursor) for each order. --sort-pages 0 skips it.
//
// The database must be empty (a fresh SQLite path, or an empty PostgreSQL
// database). Prints a Markdown section for BENCHMARKS.md.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "app/context.hpp"
#include "app/members.hpp"
#include "auth/password_hasher.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"
#include "measure.hpp"

namespace roster {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kMembers = 10000;
constexpr int kLeads = 100000;

struct World {
  Id organization_id = 0;
  Id admin = 0;
  std::vector<Id> members;
  Id assistant = 0;
};

Id AddMember(store::Tx& tx, Id organization, int i, domain::Role role, UnixSeconds now) {
  std::string email = "member" + std::to_string(i) + "@bench.test";
  std::string name = "Member " + std::to_string(i);
  Id user = store::InsertUser(tx, email, name, now);
  store::InsertMembership(tx, organization, user, role, domain::MembershipState::kActive,
                          store::MemberSortKey(name, email), now);
  return user;
}

World Seed(store::Database& database) {
  World world;
  Status seeded = database.Write<void>([&](store::Tx& tx) -> Status {
    UnixSeconds now = SystemClock().Now();
    world.organization_id = store::InsertOrganization(tx, "Bench Org", now);
    world.admin = AddMember(tx, world.organization_id, 0, domain::Role::kAdmin, now);
    for (int i = 1; i < kMembers; ++i) {
      world.members.push_back(AddMember(tx, world.organization_id, i, domain::Role::kUser, now));
    }
    world.assistant = *store::InsertAssistant(tx, world.organization_id, "Bench Assistant", now);
    return {};
  });
  if (!seeded.ok()) throw std::runtime_error(seeded.problem().internal);
  return world;
}

// Gives `owner` kLeads leads on the assistant.
void SeedLeads(store::Database& database, const World& world, Id owner) {
  Status seeded = database.Write<void>([&](store::Tx& tx) -> Status {
    UnixSeconds now = SystemClock().Now();
    store::AssignUser(tx, world.organization_id, world.assistant, owner, false, now);
    store::LeadBulkInserter inserter(tx, world.organization_id, now);
    for (int i = 0; i < kLeads; ++i) {
      store::NewLead lead;
      lead.assistant_id = world.assistant;
      lead.owner_id = owner;
      lead.name = "Lead " + std::to_string(i);
      lead.email = "lead" + std::to_string(i) + "@prospect.test";
      inserter.Add(lead);
    }
    inserter.Finish();
    return {};
  });
  if (!seeded.ok()) throw std::runtime_error(seeded.problem().internal);
}

constexpr int kSortLeads = 1000000;

// 1,000,000 leads over every member (member k owns about 2k/N of the mean,
// so the counts differ), and a last sign-in for every other member.
// `members`: those still in the organization after the removals.
void SeedForSorting(store::Database& database, const World& world, const std::vector<Id>& members) {
  Status seeded = database.Write<void>([&](store::Tx& tx) -> Status {
    UnixSeconds now = SystemClock().Now();
    for (Id member : members) {
      store::AssignUser(tx, world.organization_id, world.assistant, member, false, now);
    }
    store::LeadBulkInserter inserter(tx, world.organization_id, now);
    std::size_t n = members.size();
    for (int i = 0; i < kSortLeads; ++i) {
      store::NewLead lead;
      lead.assistant_id = world.assistant;
      // i mod n, folded so that low indexes own more: counts from 0 to ~200.
      std::size_t k = static_cast<std::size_t>(i) % n;
      lead.owner_id = members[(k * k) % n];
      lead.name = "Sort lead " + std::to_string(i);
      lead.email = "sort" + std::to_string(i) + "@prospect.test";
      inserter.Add(lead);
    }
    inserter.Finish();
    for (std::size_t i = 0; i < n; i += 2) {
      UnixSeconds at = now - static_cast<UnixSeconds>(i * 37 % 86400);
      tx.sql() << "UPDATE users SET last_login_at = :at WHERE id = :id", soci::use(at),
          soci::use(members[i]);
    }
    return {};
  });
  if (!seeded.ok()) throw std::runtime_error(seeded.problem().internal);
}

void Analyze(store::Database& database) {
  Status analyzed = database.Write<void>([&database](store::Tx& tx) -> Status {
    if (database.backend() == store::Backend::kPostgres) {
      tx.sql() << "ANALYZE";
    } else {
      tx.sql() << "PRAGMA optimize";
    }
    return {};
  });
  if (!analyzed.ok()) throw std::runtime_error(analyzed.problem().internal);
}

int Run(int argc, char** argv) {
  std::string url = "sqlite:" + (std::filesystem::temp_directory_path() / "roster-bench-members.db").string();
  int pages = 1000, removals = 5, sort_pages = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db") url = argv[i + 1];
    if (flag == "--pages") pages = std::stoi(argv[i + 1]);
    if (flag == "--removals") removals = std::stoi(argv[i + 1]);
    if (flag == "--sort-pages") sort_pages = std::stoi(argv[i + 1]);
  }
  if (url.rfind("sqlite:", 0) == 0) {
    bench::RemoveSqliteFiles(url.substr(7));
  }
  auto database = store::Database::Open(url, 4);
  if (!database.ok()) throw std::runtime_error(database.problem().detail);
  if (auto migrated = store::Migrate(**database); !migrated.ok()) {
    throw std::runtime_error(migrated.problem().detail);
  }
  auto hasher = PasswordHasher::Create();
  SystemClock clock;
  app::Context context{**database, **hasher, clock, {}};

  auto start = Steady::now();
  World world = Seed(**database);
  double seed_ms = 1000 * bench::Seconds(Steady::now() - start);
  if ((*database)->backend() == store::Backend::kPostgres) {
    // What autovacuum does soon after a bulk load: statistics for the planner.
    Status analyzed = (*database)->Write<void>([](store::Tx& tx) -> Status {
      tx.sql() << "ANALYZE";
      return {};
    });
    if (!analyzed.ok()) throw std::runtime_error(analyzed.problem().internal);
  }
  app::Principal admin = app::Principal::Person(world.admin, 0, "member0@bench.test", "Member 0");

  // A page of 50: the first page, a page deep in the list, and a search.
  auto measure = [&](const std::string& label, auto make_filter) {
    std::vector<double> samples;
    for (int i = 0; i < pages; ++i) {
      store::MemberFilter filter = make_filter(i);
      auto begin = Steady::now();
      auto page = app::ListMembers(context, admin, world.organization_id, filter);
      samples.push_back(1000 * bench::Seconds(Steady::now() - begin));
      if (!page.ok() || page->items.empty()) throw std::runtime_error("empty page: " + label);
    }
    std::printf("| %s | %.3f | %.3f |\n", label.c_str(), bench::Percentile(samples, 0.5), bench::Percentile(samples, 0.99));
  };
  // A cursor in the middle of the list, taken from a real page.
  store::MemberFilter first;
  for (int i = 0; i < 100; ++i) {
    auto page = app::ListMembers(context, admin, world.organization_id, first);
    first.cursor = page->next_cursor;
  }
  std::optional<std::string> middle = first.cursor;

  std::printf("\n### Org users page (%s, %d members)\n\n", url.substr(0, url.find(':')).c_str(), kMembers);
  std::printf("Seeding %d members: %.0f ms. %d pages each.\n\n", kMembers, seed_ms, pages);
  std::printf("| page of 50 | p50 ms | p99 ms |\n|---|---|---|\n");
  measure("first page", [](int) { return store::MemberFilter{}; });
  measure("page 101 (by cursor)", [&](int) {
    store::MemberFilter filter;
    filter.cursor = middle;
    return filter;
  });
  measure("search q=member12", [](int) {
    store::MemberFilter filter;
    filter.query = "member12";
    return filter;
  });
  measure("status=active", [](int) {
    store::MemberFilter filter;
    filter.status = domain::MemberStatus::kActive;
    return filter;
  });

  // --removals 0 leaves them out (and their medians, which need a sample).
  if (removals > 0) {
    std::printf("\n### Removal with %d leads (%s)\n\n", kLeads, url.substr(0, url.find(':')).c_str());
    std::printf("| run | seed leads ms | removal wall ms | removal CPU ms | leads moved |\n|---|---|---|---|---|\n");
    std::vector<double> removal_times, removal_cpu;
    for (int run = 0; run < removals; ++run) {
      Id owner = world.members[2 * run];
      Id receiver = world.members[2 * run + 1];
      auto seed_start = Steady::now();
      SeedLeads(**database, world, owner);
      double seed_leads_ms = 1000 * bench::Seconds(Steady::now() - seed_start);
      auto begin = Steady::now();
      double cpu_begin = bench::ThreadCpuSeconds();
      auto removal = app::RemoveMember(context, admin, world.organization_id, owner, receiver);
      double cpu = 1000 * (bench::ThreadCpuSeconds() - cpu_begin);
      double elapsed = 1000 * bench::Seconds(Steady::now() - begin);
      if (!removal.ok()) throw std::runtime_error(removal.problem().internal);
      removal_times.push_back(elapsed);
      removal_cpu.push_back(cpu);
      std::printf("| %d | %.0f | %.0f | %.0f | %lld |\n", run + 1, seed_leads_ms, elapsed, cpu,
                  static_cast<long long>(removal->reassigned_lead_count));
    }
    std::printf("\nMedian removal: %.0f ms wall, %.0f ms CPU.\n", bench::Percentile(removal_times, 0.5),
                bench::Percentile(removal_cpu, 0.5));
  }
  if (sort_pages <= 0) return 0;

  auto sort_seed_start = Steady::now();
  std::vector<Id> remaining;
  for (std::size_t i = 0; i < world.members.size(); ++i) {
    bool removed = i % 2 == 0 && static_cast<int>(i) < 2 * removals;
    if (!removed) remaining.push_back(world.members[i]);
  }
  SeedForSorting(**database, world, remaining);
  Analyze(**database);
  std::printf("\n### Sorted pages (%s, %d members, %d leads)\n\n", url.substr(0, url.find(':')).c_str(),
              kMembers, kSortLeads);
  std::printf("Seeding the leads: %.0f ms. %d pages each.\n\n",
              1000 * bench::Seconds(Steady::now() - sort_seed_start), sort_pages);
  std::printf("| page of 50 | p50 ms | p99 ms |\n|---|---|---|\n");
  for (const char* text : {"name", "-name", "joined", "-joined", "last_sign_in", "-last_sign_in",
                           "leads", "-leads"}) {
    domain::MemberSort sort = *domain::ParseMemberSort(text);
    store::MemberFilter sorted;
    sorted.sort = sort;
    for (int i = 0; i < 100; ++i) {  // the cursor of page 101
      auto page = app::ListMembers(context, admin, world.organization_id, sorted);
      if (!page.ok()) throw std::runtime_error(page.problem().detail);
      sorted.cursor = page->next_cursor;
    }
    std::optional<std::string> deep = sorted.cursor;
    pages = sort_pages;
    measure(std::string("sort=") + text + ", first page", [sort](int) {
      store::MemberFilter filter;
      filter.sort = sort;
      return filter;
    });
    measure(std::string("sort=") + text + ", page 101", [sort, deep](int) {
      store::MemberFilter filter;
      filter.sort = sort;
      filter.cursor = deep;
      return filter;
    });
  }
  return 0;
}

}  // namespace
}  // namespace roster

int main(int argc, char** argv) { return roster::bench::Main("roster_bench_members", roster::Run, argc, argv); }
