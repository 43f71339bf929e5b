// store::Query's two kinds of statement: prepared once per connection and
// reused, or of one call (text assembled per call) and gone after it; and
// writes sent with the COMMIT (ExecuteAtCommit).
#include "store/query.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <thread>

#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store_fixture.hpp"
#include "support/eventually.hpp"

namespace roster::testing {
namespace {

class QueryTest : public StoreTest {
 protected:
  // Statements the connection holds: PostgreSQL's named prepared
  // statements, or SQLite's prepared statements.
  long long Held(store::Tx& tx) {
    long long held = 0;
    if (is_postgres()) {
      tx.sql() << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(held);
      return held;
    }
    auto* db = static_cast<soci::sqlite3_session_backend*>(tx.sql().get_backend())->conn_;
    for (auto* s = sqlite_api::sqlite3_next_stmt(db, nullptr); s != nullptr;
         s = sqlite_api::sqlite3_next_stmt(db, s)) {
      ++held;
    }
    return held;
  }

  static long long CountOrganizations(store::Tx& tx) {
    long long organizations = -1;
    tx.sql() << "SELECT COUNT(*) FROM organizations", soci::into(organizations);
    return organizations;
  }

  static long long Answer(store::Tx& tx, long long value, store::Query::Reuse reuse) {
    store::Query query(tx, "SELECT $1 + " + std::to_string(value), reuse);
    query.Bind(std::int64_t{1});
    EXPECT_TRUE(query.Next());
    return query.Int64(0);
  }

  static long long BackendPid(store::Tx& tx) {
    store::Query query(tx, "SELECT pg_backend_pid()");
    EXPECT_TRUE(query.Next());
    return query.Int64(0);
  }

  // One number, asked on a connection of the server that is not the pool's.
  long long Ask(const std::string& sql) {
    if (!observer_) {
      auto opened = store::Database::Open(server_url_, 1);
      if (!opened.ok()) return -1;
      observer_ = std::move(opened).value();
    }
    Result<long long> answer =
        observer_->ReadOneStatement<long long>([&](store::Tx& tx) -> Result<long long> {
          store::Query query(tx, sql, store::Query::Reuse::kOnce);
          EXPECT_TRUE(query.Next());
          return query.Int64(0);
        });
    return answer.ok() ? *answer : -1;
  }

  // Whether `count` reaches 0 within 10 s (the server's own pace).
  bool WaitForNone(const std::string& count) {
    return test_support::Eventually([&] { return Ask(count) == 0; }, std::chrono::seconds(10),
                                    std::chrono::milliseconds(5));
  }

  std::unique_ptr<store::Database> observer_;
};

TEST_F(QueryTest, AStatementOfOneCallLeavesNothingOnTheConnection) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    long long before = Held(tx);
    EXPECT_EQ(Answer(tx, 41, store::Query::Reuse::kOnce), 42);
    EXPECT_EQ(Answer(tx, 41, store::Query::Reuse::kOnce), 42);
    EXPECT_EQ(Held(tx), before);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

TEST_F(QueryTest, APreparedStatementIsKeptAndReused) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    long long before = Held(tx);
    EXPECT_EQ(Answer(tx, 6, store::Query::Reuse::kPrepared), 7);
    long long after_first = Held(tx);
    EXPECT_EQ(after_first, before + 1);
    EXPECT_EQ(Answer(tx, 6, store::Query::Reuse::kPrepared), 7);
    EXPECT_EQ(Held(tx), after_first);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// A statement read to its end is not in use for SQLite, but its Query still
// holds it (and resets it when it goes): a second Query of the same text
// while the first lives gets a statement of its own, and its own bindings.
TEST_F(QueryTest, TwoLiveQueriesOfOneTextKeepTheirOwnParameters) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    const std::string text = "SELECT $1 + 100 WHERE $1 > 0";
    store::Query first(tx, text);
    first.Bind(std::int64_t{-1});
    EXPECT_FALSE(first.Next());  // read to its end, and kept
    {
      store::Query second(tx, text);
      second.Bind(std::int64_t{5});
      EXPECT_TRUE(second.Next());
      EXPECT_EQ(second.Int64(0), 105);
    }
    store::Query third(tx, text);  // the first still holds its statement
    third.Bind(std::int64_t{7});
    EXPECT_TRUE(third.Next());
    EXPECT_EQ(third.Int64(0), 107);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// The store's reads of settings, memberships, invitations, assistants,
// leads and rate events are the connection's prepared statements: one each
// the first time, none more the second (a statement of one call, parsed and
// planned every time, would leave nothing behind).
TEST_F(QueryTest, TheStoresReadsArePreparedOncePerConnection) {
  auto read_all = [](store::Tx& tx) {
    store::ReadSettings(tx, 1);
    store::CountMembers(tx, 1);
    store::CountActiveAdmins(tx, 1);
    store::HasActiveMembershipElsewhere(tx, 1, 1);
    store::OrganizationsOfUser(tx, 1);
    store::FindInvitationsOfUser(tx, 1);
    store::RecentRateEvents(tx, "login:nobody", 0, 5);
    store::AllAssistants(tx, 1);
    store::AllAssignments(tx, 1);
    store::ManagedAssistantsOfUser(tx, 1);
    store::LeadCountsByAssistant(tx, 1, 1);
    store::OwnsLeads(tx, 1, 1);
    store::MemberEmails(tx, 1);
  };
  constexpr long long kStatements = 13;
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    long long before = Held(tx);
    read_all(tx);
    long long after_first = Held(tx);
    EXPECT_EQ(after_first, before + kStatements);
    read_all(tx);
    EXPECT_EQ(Held(tx), after_first);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// On PostgreSQL the write goes with the COMMIT (the transaction does not see
// its row); on SQLite it runs at once. Either way it commits with the
// transaction, contended or not, time after time on the same connection
// (the pool lends the first free one).
TEST_F(QueryTest, AWriteAtCommitCommitsWithItsTransaction) {
  for (int i = 0; i < 8; ++i) {
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      if (i % 2 == 1) tx.MarkContended();  // COMMIT, then the flush barrier
      store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
      insert.Bind("Acme " + std::to_string(i)).ExecuteAtCommit();
      EXPECT_EQ(CountOrganizations(tx), is_postgres() ? i : i + 1);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 8);
}

// A write at commit that fails fails its transaction as a whole: what the
// transaction wrote before it is rolled back, and the connections go on.
TEST_F(QueryTest, AFailedWriteAtCommitRollsBackItsTransaction) {
  Execute("INSERT INTO users (id, email, name, created_at) VALUES (7, 'a@x.test', 'A', 0)");
  Status failed = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Lost', 1)";
    store::Query taken(tx, "INSERT INTO users (id, email, name, created_at) VALUES ($1, $2, 'B', 0)");
    taken.Bind(std::int64_t{7}).Bind("b@x.test").ExecuteAtCommit();
    return {};
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.problem().category, ProblemCode::kInternal) << failed.problem().internal;
  for (int i = 0; i < 8; ++i) {
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
      insert.Bind("Kept").ExecuteAtCommit();
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 8);  // none of 'Lost'
}

// A statement sent ahead runs before the transaction's next Query, or
// before its COMMIT when no Query follows.
TEST_F(QueryTest, AStatementSentAheadRunsBeforeTheNextOne) {
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.SendAhead("INSERT INTO organizations (name, created_at) VALUES ('Ahead', 1)");
    store::Query count(tx, "SELECT COUNT(*) FROM organizations WHERE name = $1");
    count.Bind("Ahead");
    EXPECT_TRUE(count.Next());
    EXPECT_EQ(count.Int64(0), 1);
    tx.SendAhead("INSERT INTO organizations (name, created_at) VALUES ('Last', 1)");
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 2);
}

// On PostgreSQL the BEGIN goes with the transaction's first statement,
// whether a store::Query or SOCI's: what either writes before the
// transaction fails is rolled back with it. A transaction that runs no
// statement sends nothing.
TEST_F(QueryTest, TheFirstStatementOfATransactionIsInsideIt) {
  for (bool query_first : {true, false}) {
    Status failed = database_->Write<void>([&](store::Tx& tx) -> Status {
      if (query_first) {
        store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
        insert.Bind("First").Execute();
      } else {
        tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('First', 1)";
      }
      tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Second', 1)";
      return Problem::Conflict("later_rule", "a rule checked after the writes");
    });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.problem().slug, "later_rule");
  }
  ASSERT_TRUE(database_->Write<void>([](store::Tx&) -> Status { return {}; }).ok());
  ASSERT_TRUE(database_->Read<void>([](store::Tx&) -> Status { return {}; }).ok());
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 0);
}

// A statement first prepared in the COMMIT's round trip that fails to
// prepare is not taken for prepared the next time on that connection.
TEST_F(QueryTest, AWriteAtCommitThatFailedToPrepareIsPreparedAgain) {
  auto insert = [](store::Tx& tx) -> Status {
    store::Query later(tx, "INSERT INTO later_table (id) VALUES ($1)");
    later.Bind(std::int64_t{1}).ExecuteAtCommit();
    return {};
  };
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(database_->Write<void>(insert).ok());
  Execute("CREATE TABLE later_table (id BIGINT)");
  for (int i = 0; i < 8; ++i) {
    Status written = database_->Write<void>(insert);
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
}

// On PostgreSQL a read's COMMIT is sent without waiting for its answer,
// which the connection's next user reads first: the connection goes on
// with the next transaction, read or write, and sees what was written.
TEST_F(QueryTest, TheConnectionGoesOnAfterARead) {
  for (int i = 0; i < 8; ++i) {
    Result<long long> count = database_->Read<long long>(CountOrganizations);
    ASSERT_TRUE(count.ok()) << count.problem().internal;
    EXPECT_EQ(*count, i);
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::Query(tx, "INSERT INTO organizations (name, created_at) VALUES ('Acme', 1)").Execute();
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
    Result<int> one = database_->ReadOneStatement<int>([](store::Tx& tx) -> Result<int> {
      store::Query query(tx, "SELECT 1");
      EXPECT_TRUE(query.Next());
      return static_cast<int>(query.Int64(0));
    });
    ASSERT_TRUE(one.ok()) << one.problem().internal;
  }
}

// SQLite only (registered so): a connection is leased to one thread at a
// time, so SQLite runs in multi-thread mode, without the mutex it would
// otherwise take around every call on a connection (a fifth of the members
// page's statement). Had anything in the process used SQLite before the
// first database was opened, the mode would be lost without a word.
TEST_F(QueryTest, OnSqliteConnectionsRunWithoutSqlitesOwnMutex) {
  Status ran = database_->Read<void>([](store::Tx& tx) -> Status {
    auto* db = static_cast<soci::sqlite3_session_backend*>(tx.sql().get_backend())->conn_;
    EXPECT_EQ(sqlite_api::sqlite3_db_mutex(db), nullptr);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// A statement sent with another (Query::With) gives its own rows, read
// after the other's, on both databases.
TEST_F(QueryTest, AStatementSentWithAnotherGivesItsOwnRows) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    store::Query first(tx, "SELECT $1 + 1");
    store::Query second(tx, "SELECT $1 * 10 UNION ALL SELECT $1 * 100", store::Query::Reuse::kOnce);
    first.Bind(std::int64_t{1}).With(second);
    second.Bind(std::int64_t{3});
    EXPECT_TRUE(first.Next());
    EXPECT_EQ(first.Int64(0), 2);
    EXPECT_FALSE(first.Next());
    EXPECT_TRUE(second.Next());
    EXPECT_EQ(second.Int64(0), 30);
    EXPECT_TRUE(second.Next());
    EXPECT_EQ(second.Int64(0), 300);
    EXPECT_FALSE(second.Next());
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// PostgreSQL only: it goes out in the other's round trip. Its answer is
// on hand even after the connection is gone; the pool then replaces it.
TEST_F(QueryTest, OnPostgresqlAStatementSentWithAnotherNeedsNoRoundTripOfItsOwn) {
  long long answer = 0;
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    std::string backend = std::to_string(BackendPid(tx));
    store::Query first(tx, "SELECT 1");
    store::Query second(tx, "SELECT 42");
    first.With(second);
    EXPECT_TRUE(first.Next());
    EXPECT_EQ(Ask("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = " +
                  backend),
              1);
    EXPECT_TRUE(WaitForNone("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + backend));
    EXPECT_TRUE(second.Next());
    answer = second.Int64(0);
    return {};
  });
  EXPECT_EQ(answer, 42);
  (void)ran;  // a read's COMMIT is not waited for (CommitReadOnly)
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
}

// PostgreSQL only: when the round trip that carried two statements fails,
// neither reads as empty afterwards (as if it had answered no rows): a read
// sends it again, and it fails with its transaction.
TEST_F(QueryTest, OnPostgresqlStatementsOfAFailedRoundTripDoNotReadAsEmpty) {
  for (bool failing_first : {true, false}) {
    SCOPED_TRACE(failing_first ? "the first fails" : "the second fails");
    Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
      store::Query first(tx, failing_first ? "SELECT 1 / 0" : "SELECT 1");
      store::Query second(tx, failing_first ? "SELECT 42" : "SELECT 1 / 0");
      first.With(second);
      EXPECT_ANY_THROW(first.Next());
      EXPECT_ANY_THROW(second.Next());
      EXPECT_ANY_THROW(first.Next());
      return {};
    });
    EXPECT_TRUE(ran.ok()) << ran.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
}

// PostgreSQL only (registered so): the unanswered COMMIT is sent when the
// read ends, so no connection waits in the pool inside a transaction (it
// would hold its snapshot, which keeps vacuum from cleaning up, and its
// locks, which a migration's ALTER would queue behind).
TEST_F(QueryTest, OnPostgresqlNoConnectionWaitsInsideARead) {
  std::string pids;
  for (int i = 0; i < 8; ++i) {
    Result<long long> pid = database_->Read<long long>(BackendPid);
    ASSERT_TRUE(pid.ok()) << pid.problem().internal;
    pids += (pids.empty() ? "" : ", ") + std::to_string(*pid);
  }
  EXPECT_TRUE(WaitForNone("SELECT COUNT(*) FROM pg_stat_activity WHERE pid IN (" + pids +
                          ") AND state <> 'idle'"));
}

// PostgreSQL only: a connection whose server went away after a read, the
// answer to its COMMIT maybe unread, is replaced: the next reads succeed.
TEST_F(QueryTest, OnPostgresqlAConnectionLostAfterAReadIsReplaced) {
  Result<long long> pid = database_->Read<long long>(BackendPid);
  ASSERT_TRUE(pid.ok()) << pid.problem().internal;
  std::string backend = std::to_string(*pid);
  ASSERT_EQ(Ask("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = " +
                backend),
            1);
  ASSERT_TRUE(WaitForNone("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + backend));
  for (int i = 0; i < 8; ++i) {
    Result<long long> count = database_->Read<long long>(CountOrganizations);
    ASSERT_TRUE(count.ok()) << count.problem().internal;
    EXPECT_EQ(*count, 0);
  }
}

// PostgreSQL only: a statement that works longer than a round trip may stay
// silent (2 s) is not taken for a frozen server: the server answers a new
// connection, so Roster waits on for the statement's answer.
TEST_F(QueryTest, OnPostgresqlAStatementLongerThanTheSilenceGoesOn) {
  Result<long long> answer = database_->Read<long long>([](store::Tx& tx) -> Result<long long> {
    store::Query slow(tx, "SELECT 7 FROM pg_sleep(2.5)");
    EXPECT_TRUE(slow.Next());
    return slow.Int64(0);
  });
  ASSERT_TRUE(answer.ok()) << answer.problem().internal;
  EXPECT_EQ(*answer, 7);
}

}  // namespace
}  // namespace roster::testing
