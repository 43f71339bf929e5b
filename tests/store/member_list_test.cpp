// The Org users list, walked page by page through its cursor, answers
// exactly what the rules say: every member of the organization once (and
// nobody else's), in (name, e-mail, user id) order, each filter and the
// search applied, the derived fields (invitation expiry, lead count) right,
// at every page size.
#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <tuple>
#include <utility>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

struct Expected {
  Id user_id;
  std::string sort_key;
  std::string email;
  std::string name;
  domain::Role role;
  domain::MemberStatus status;
  std::optional<UnixSeconds> invite_expires_at;
  std::int64_t lead_count;
  // The assistants he is on, as an admin sees them, by lower-cased name.
  std::vector<domain::MemberAssistant> assistants = {};
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class MemberListTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    now_ = clock_.Now();
    Status seeded = database_->Write<void>([&](store::Tx& tx) -> Status {
      org_ = store::InsertOrganization(tx, "Acme", now_);
      Id other = store::InsertOrganization(tx, "Other", now_);
      Id assistant = *store::InsertAssistant(tx, org_, "North", now_);
      // Created after North, listed before it: by name, not by id.
      alpha_ = *store::InsertAssistant(tx, org_, "alpha", now_);
      mid_ = *store::InsertAssistant(tx, org_, "Mid", now_);
      // Names that collide once lower-cased, share prefixes, and sort
      // differently by byte than by letter; the e-mail breaks ties.
      const char* names[] = {"Ann", "ann", "Anna", "Bob", "bob", "Zed", "Ann Lee", "Émile", "carl"};
      for (int i = 0; i < 60; ++i) {
        std::string name =
            std::string(names[i % 9]) + (i % 4 == 0 ? "" : " " + std::to_string(i % 7));
        std::string email = "user" + std::to_string(i) + (i % 5 == 0 ? "@ann.test" : "@acme.test");
        Id user = store::InsertUser(tx, email, name, now_);
        domain::Role role = i % 6 == 0 ? domain::Role::kAdmin : domain::Role::kUser;
        bool active = i % 3 == 0;
        std::string key = store::MemberSortKey(name, email);
        store::InsertMembership(
            tx, org_, user, role,
            active ? domain::MembershipState::kActive : domain::MembershipState::kInvited, key,
            now_);
        Expected member{user,         key, email, name, role, domain::MemberStatus::kActive,
                        std::nullopt, 0};
        if (!active) {
          UnixSeconds expires = i % 2 == 0 ? now_ - 60 : now_ + 3600;
          store::InsertInvitation(tx, org_, user, "hash", expires, std::nullopt, now_);
          member.invite_expires_at = expires;
          member.status = expires <= now_ ? domain::MemberStatus::kInviteExpired
                                          : domain::MemberStatus::kInvited;
        }
        if (i % 7 == 0) {
          store::AssignUser(tx, org_, assistant, user, false, now_);
          member.assistants.push_back({assistant, "North", false});
          for (int lead = 0; lead < i % 5 + 1; ++lead) {
            store::NewLead new_lead;
            new_lead.assistant_id = assistant;
            new_lead.owner_id = user;
            new_lead.name = "Lead";
            new_lead.email = "lead@prospect.test";
            store::InsertLead(tx, org_, new_lead, now_);
          }
          member.lead_count = i % 5 + 1;
        }
        // Assigned in the reverse of the order they are listed in.
        if (i % 3 == 1) {
          store::AssignUser(tx, org_, mid_, user, i % 9 == 1, now_);
          member.assistants.insert(member.assistants.begin(), {mid_, "Mid", i % 9 == 1});
        }
        if (i % 4 == 1) {
          store::AssignUser(tx, org_, alpha_, user, false, now_);
          member.assistants.insert(member.assistants.begin(), {alpha_, "alpha", false});
        }
        // A member of another organization only: never listed here.
        if (i % 10 == 0) {
          Id stranger =
              store::InsertUser(tx, "stranger" + std::to_string(i) + "@ann.test", name, now_);
          store::InsertMembership(tx, other, stranger, role, domain::MembershipState::kActive,
                                  store::MemberSortKey(name, "stranger"), now_);
        }
        expected_.push_back(member);
        users_.push_back(user);
      }
      return {};
    });
    ASSERT_TRUE(seeded.ok()) << seeded.problem().internal;
    std::sort(expected_.begin(), expected_.end(), [](const Expected& a, const Expected& b) {
      return std::tie(a.sort_key, a.user_id) < std::tie(b.sort_key, b.user_id);
    });
  }

  // Every page of the list, followed through next_cursor.
  std::vector<domain::Member> Walk(store::MemberFilter filter,
                                   const store::Viewer* viewer = nullptr) {
    filter.now = now_;
    std::vector<domain::Member> all;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = database_->Read<store::Page<domain::Member>>(
          [&](store::Tx& tx) { return store::ListMembers(tx, org_, filter, viewer); });
      EXPECT_TRUE(page.ok()) << page.problem().internal;
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->items.size()), filter.limit);
      all.insert(all.end(), page->items.begin(), page->items.end());
      if (!page->next_cursor) break;
      EXPECT_EQ(static_cast<int>(page->items.size()), filter.limit)
          << "a short page before the end";
      filter.cursor = page->next_cursor;
    }
    return all;
  }

  // With `viewer`, each member carries the assistants he sees: `sees`
  // keeps those of an admin's list that he may see.
  void ExpectList(const store::MemberFilter& filter,
                  const std::function<bool(const Expected&)>& keep, const std::string& what,
                  const store::Viewer* viewer = nullptr,
                  const std::function<bool(Id, const domain::MemberAssistant&)>& sees = {}) {
    std::vector<Expected> want;
    std::copy_if(expected_.begin(), expected_.end(), std::back_inserter(want), keep);
    ASSERT_FALSE(want.empty()) << what << ": the seed should match something";
    for (int limit : {1, 2, 7, 50, 200}) {
      store::MemberFilter paged = filter;
      paged.limit = limit;
      std::vector<domain::Member> got = Walk(paged, viewer);
      ASSERT_EQ(got.size(), want.size()) << what << ", limit " << limit;
      for (std::size_t i = 0; i < got.size(); ++i) {
        SCOPED_TRACE(what + ", limit " + std::to_string(limit) + ", row " + std::to_string(i));
        EXPECT_EQ(got[i].user_id, want[i].user_id);
        EXPECT_EQ(got[i].organization_id, org_);
        EXPECT_EQ(got[i].email, want[i].email);
        EXPECT_EQ(got[i].name, want[i].name);
        EXPECT_EQ(got[i].role, want[i].role);
        EXPECT_EQ(got[i].StatusAt(now_), want[i].status);
        EXPECT_EQ(got[i].invite_expires_at, want[i].invite_expires_at);
        EXPECT_EQ(got[i].lead_count, want[i].lead_count);
        if (!viewer) {
          EXPECT_FALSE(got[i].assistants.has_value());
          continue;
        }
        std::string wanted;
        for (const auto& assistant : want[i].assistants) {
          if (!sees(want[i].user_id, assistant)) continue;
          wanted += std::to_string(assistant.id) + assistant.name +
                    (assistant.manager ? "* " : " ");
        }
        auto text = [](const domain::Member& member) {
          std::string text;
          for (const auto& assistant : member.assistants.value()) {
            text += std::to_string(assistant.id) + assistant.name +
                    (assistant.manager ? "* " : " ");
          }
          return text;
        };
        ASSERT_TRUE(got[i].assistants.has_value());
        EXPECT_EQ(text(got[i]), wanted);
        if (limit != 7) continue;
        // The member alone, as GET /members/{id} reads him.
        auto one = database_->Read<std::optional<domain::Member>>([&](store::Tx& tx) {
          return store::FindMember(tx, org_, got[i].user_id, viewer);
        });
        ASSERT_TRUE(one.ok() && one->has_value());
        ASSERT_TRUE((*one)->assistants.has_value());
        EXPECT_EQ(text(**one), wanted) << "alone";
      }
    }
  }

  Id org_ = 0;
  Id alpha_ = 0;
  Id mid_ = 0;
  UnixSeconds now_ = 0;
  std::vector<Expected> expected_;  // in the list's order
  std::vector<Id> users_;           // in the seed's order
};

TEST_F(MemberListTest, EveryPageSizeWalksTheWholeListInOrder) {
  ExpectList(
      {}, [](const Expected&) { return true; }, "no filter");
}

TEST_F(MemberListTest, FiltersAndSearchKeepExactlyTheMatchingMembers) {
  using domain::MemberStatus;
  using domain::Role;
  for (Role role : {Role::kAdmin, Role::kUser}) {
    store::MemberFilter filter;
    filter.role = role;
    ExpectList(
        filter, [&](const Expected& m) { return m.role == role; }, "role");
  }
  for (MemberStatus status :
       {MemberStatus::kActive, MemberStatus::kInvited, MemberStatus::kInviteExpired}) {
    store::MemberFilter filter;
    filter.status = status;
    ExpectList(
        filter, [&](const Expected& m) { return m.status == status; }, "status");
    filter.role = Role::kUser;
    ExpectList(
        filter, [&](const Expected& m) { return m.status == status && m.role == Role::kUser; },
        "status and role");
  }
  for (std::string query : {"ann", "ANN", "ann.test", "user1", " 3"}) {
    store::MemberFilter filter;
    filter.query = query;
    std::string lowered = Lower(query);
    auto matches = [&](const Expected& m) {
      return Lower(m.name).find(lowered) != std::string::npos ||
             m.email.find(lowered) != std::string::npos;
    };
    ExpectList(filter, matches, "q=" + query);
    filter.status = MemberStatus::kInvited;
    ExpectList(
        filter, [&](const Expected& m) { return matches(m) && m.status == MemberStatus::kInvited; },
        "q=" + query + " and status");
  }
}

// A page counts members, not their assignments: on PostgreSQL a member's
// assistants are rows of the page's statement (one per assistant).
TEST_F(MemberListTest, EachMemberCarriesTheAssistantsHisViewerSees) {
  auto all = [](const Expected&) { return true; };
  store::Viewer admin{users_[0], true};
  ExpectList({}, all, "an admin", &admin, [](Id, const domain::MemberAssistant&) { return true; });
  // Seed member 1 manages Mid: he sees its every user, and his own.
  store::Viewer manager{users_[1], false};
  ExpectList({}, all, "a manager", &manager, [&](Id user, const domain::MemberAssistant& a) {
    return a.id == mid_ || user == manager.user_id;
  });
  store::MemberFilter invited;
  invited.status = domain::MemberStatus::kInvited;
  ExpectList(
      invited, [](const Expected& m) { return m.status == domain::MemberStatus::kInvited; },
      "a manager, invited members", &manager,
      [&](Id user, const domain::MemberAssistant& a) {
        return a.id == mid_ || user == manager.user_id;
      });
  store::Viewer user{users_[5], false};  // on alpha only, managing nothing
  ExpectList({}, all, "a user", &user, [&](Id member, const domain::MemberAssistant&) {
    return member == user.user_id;
  });
}

TEST_F(MemberListTest, AMalformedCursorIsRefused) {
  store::MemberFilter filter;
  filter.cursor = "not a cursor";
  auto page = database_->Read<store::Page<domain::Member>>(
      [&](store::Tx& tx) { return store::ListMembers(tx, org_, filter); });
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.problem().category, ProblemCode::kValidation);
}

// PostgreSQL without statistics (a fresh schema) believes an organization
// has a handful of members; the page must still be a range of the order's
// index, never a read of every member and a sort. And the planner settings
// the page is read under are put back for the rest of the transaction.
TEST_F(MemberListTest, APostgresqlPageIsARangeOfItsIndexWithoutStatistics) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  for (domain::MemberSortField field :
       {domain::MemberSortField::kName, domain::MemberSortField::kJoined}) {
    store::MemberFilter filter;
    filter.sort.key = field;
    filter.limit = 7;
    filter.now = now_;
    Status listed = database_->Read<void>([&](store::Tx& tx) -> Status {
      // Rows read from memberships' indexes and from its table: the
      // connection's counters not yet reported, which a transaction only adds to.
      auto read = [&tx] {
        long long entries = 0, rows = 0;
        tx.sql() << "SELECT COALESCE(SUM(pg_stat_get_xact_tuples_returned(indexrelid)), 0), "
                  "pg_stat_get_xact_tuples_returned('memberships'::regclass) "
                  "FROM pg_index WHERE indrelid = 'memberships'::regclass",
            soci::into(entries), soci::into(rows);
        return std::pair(entries, rows);
      };
      // A store::Query: the restore goes with the transaction's next one.
      auto settings = [&tx] {
        store::Query read(tx,
                          "SELECT current_setting('enable_sort'), current_setting('plan_cache_mode')");
        EXPECT_TRUE(read.Next());
        return std::pair(read.Text(0), read.Text(1));
      };
      auto settings_before = settings();
      auto before = read();
      auto page = store::ListMembers(tx, org_, filter);
      auto after = read();
      EXPECT_TRUE(page.ok());
      if (page.ok()) {
        EXPECT_EQ(page->items.size(), 7u);
      }
      EXPECT_LE(after.first - before.first, filter.limit + 1)
          << "index entries of memberships read for a page of " << filter.limit;
      EXPECT_EQ(after.second - before.second, 0) << "memberships read in full";
      EXPECT_EQ(settings(), settings_before) << "the planner settings put back";
      return {};
    });
    ASSERT_TRUE(listed.ok()) << listed.problem().internal;
  }
}

// SQLite reads a page as one walk of the order's index, each member's
// account, invitation and counts probed on the way: no statement of the page
// sorts or scans a table.
TEST_F(MemberListTest, ASqlitePageIsAWalkOfItsIndexWithoutASort) {
  ASSERT_FALSE(is_postgres()) << "registered for SQLite only";
  struct Counts {
    int statements = 0, sorts = 0, full_scan_steps = 0;
  };
  for (domain::MemberSortField field :
       {domain::MemberSortField::kName, domain::MemberSortField::kJoined}) {
    for (bool descending : {false, true}) {
      store::MemberFilter filter;
      filter.sort.key = field;
      filter.sort.descending = descending;
      filter.limit = 7;
      filter.now = now_;
      Status listed = database_->Read<void>([&](store::Tx& tx) -> Status {
        sqlite_api::sqlite3* handle =
            static_cast<soci::sqlite3_session_backend*>(tx.sql().get_backend())->conn_;
        Counts counts;
        auto profile = [](unsigned, void* context, void* statement, void*) -> int {
          auto* stmt = static_cast<sqlite_api::sqlite3_stmt*>(statement);
          auto* counted = static_cast<Counts*>(context);
          ++counted->statements;
          counted->sorts += sqlite_api::sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_SORT, 1);
          counted->full_scan_steps +=
              sqlite_api::sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
          return 0;
        };
        sqlite_api::sqlite3_trace_v2(handle, SQLITE_TRACE_PROFILE, profile, &counts);
        auto page = store::ListMembers(tx, org_, filter);
        sqlite_api::sqlite3_trace_v2(handle, 0, nullptr, nullptr);
        EXPECT_TRUE(page.ok());
        if (page.ok()) {
          EXPECT_EQ(page->items.size(), 7u);
        }
        EXPECT_GE(counts.statements, 1);
        EXPECT_EQ(counts.sorts, 0) << "sorted by " << static_cast<int>(field);
        EXPECT_EQ(counts.full_scan_steps, 0) << "scanned by " << static_cast<int>(field);
        return {};
      });
      ASSERT_TRUE(listed.ok()) << listed.problem().internal;
    }
  }
}

}  // namespace
}  // namespace roster::testing
