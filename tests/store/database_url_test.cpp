// ROSTER_DB as people write it: a malformed postgresql:// URL is refused
// with a sentence naming the setting, before any connection is tried; the
// forms the docs give connect.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <string>

#include "store/database.hpp"

namespace roster::testing {
namespace {

TEST(DatabaseUrlTest, MalformedPercentEscapesAreRefusedBeforeConnecting) {
  for (const char* url : {"postgresql://roster:%zz@127.0.0.1:1/roster",
                          "postgresql://ro%2@127.0.0.1:1/roster",
                          "postgresql://roster:pass%00word@127.0.0.1:1/roster",
                          "postgresql://roster@127.0.0.1:1/ros%ter"}) {
    auto database = store::Database::Open(url, 1);
    ASSERT_FALSE(database.ok()) << url;
    EXPECT_EQ(database.problem().slug, "validation") << url;
    EXPECT_NE(database.problem().detail.find("ROSTER_DB"), std::string::npos) << database.problem().detail;
  }
}

// A password with an unencoded '/' or '?' ends the host part early: the
// rest would reach libpq as a host name, and part of the password would be
// printed in its error. Refused with the rule instead, the password unsaid.
TEST(DatabaseUrlTest, AnUnencodedSlashOrQuestionMarkInThePasswordIsRefusedUnsaid) {
  for (const char* url : {"postgresql://r2:p@ss/w:rd@127.0.0.1:1/roster",
                          "postgresql://r2:pa?ss@127.0.0.1:1/roster"}) {
    auto parsed = store::DatabaseUrl::Parse(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_NE(parsed.problem().detail.find("percent-encode"), std::string::npos)
        << parsed.problem().detail;
    EXPECT_EQ(parsed.problem().detail.find("w:rd"), std::string::npos) << parsed.problem().detail;
    EXPECT_EQ(parsed.problem().detail.find("pa?ss"), std::string::npos) << parsed.problem().detail;
  }
  auto encoded = store::DatabaseUrl::Parse("postgresql://r2:p%40ss%2Fw%3Ard@127.0.0.1:1/roster");
  ASSERT_TRUE(encoded.ok()) << encoded.problem().detail;
  EXPECT_NE(encoded->connection_string.find("password='p@ss/w:rd' "), std::string::npos)
      << encoded->connection_string;
}

// Found by fuzz/url_settings_fuzz.cpp: "?=x" made a keyword with no name,
// a connection string libpq cannot read, instead of the sentence above.
TEST(DatabaseUrlTest, QueryParametersNeedANameBeforeTheEqualsSign) {
  for (const char* url : {"postgresql://roster@127.0.0.1:1/roster?=require",
                          "postgresql://roster@127.0.0.1:1/roster?sslmode=require&=x"}) {
    auto parsed = store::DatabaseUrl::Parse(url);
    ASSERT_FALSE(parsed.ok()) << url << " -> " << parsed.value().connection_string;
    EXPECT_NE(parsed.problem().detail.find("ROSTER_DB"), std::string::npos) << parsed.problem().detail;
  }
  auto parsed = store::DatabaseUrl::Parse("postgresql://roster@127.0.0.1:1/roster?sslmode=require");
  ASSERT_TRUE(parsed.ok()) << parsed.problem().detail;
  EXPECT_NE(parsed->connection_string.find("sslmode='require' "), std::string::npos);
}

// The test cluster's port: ROSTER_TEST_PG_URL is
// postgresql://roster@127.0.0.1:PORT/postgres. Empty without it.
std::string TestClusterPort() {
  const char* server = std::getenv("ROSTER_TEST_PG_URL");
  if (server == nullptr) return "";
  std::string url = server;
  return url.substr(url.rfind(':') + 1, url.rfind('/') - url.rfind(':') - 1);
}

// Opens `url` and expects `condition` (SQL) to hold on its connection.
void ExpectHolds(const std::string& url, const std::string& condition,
                 const std::string& otherwise) {
  auto database = store::Database::Open(url, 1);
  ASSERT_TRUE(database.ok()) << url << ": " << database.problem().internal;
  Result<bool> held = (*database)->Read<bool>([&](store::Tx& tx) -> Result<bool> {
    int holds = 0;
    tx.sql() << "SELECT CASE WHEN " + condition + " THEN 1 ELSE 0 END", soci::into(holds);
    return holds == 1;
  });
  ASSERT_TRUE(held.ok()) << held.problem().internal;
  EXPECT_TRUE(*held) << otherwise;
}

// docs/install.md: with PostgreSQL on the same machine, ROSTER_DB names
// no host and gives the socket's directory as `host`. PostgreSQL only.
TEST(DatabaseUrlTest, OnPostgresqlTheUnixSocketFormConnectsThroughTheSocket) {
  const char* sockets = std::getenv("ROSTER_TEST_PG_SOCKET_DIR");
  std::string port = TestClusterPort();
  ASSERT_TRUE(sockets != nullptr && !port.empty()) << "run under scripts/with-postgres.sh";
  ExpectHolds("postgresql://roster@/postgres?host=" + std::string(sockets) + "&port=" + port,
              "inet_server_addr() IS NULL", "connected over TCP, not the Unix socket");
}

// docs/deploy.md: libpq keywords in ROSTER_DB's query, TLS among them. With
// sslmode=verify-full the connection is encrypted and the server's
// certificate must chain to sslrootcert and name the host: "localhost"
// passes, 127.0.0.1 (which the certificate does not name) is refused.
// PostgreSQL only.
TEST(DatabaseUrlTest, OnPostgresqlSslmodeVerifyFullEncryptsAndChecksTheServersName) {
  const char* ca = std::getenv("ROSTER_TEST_PG_CA");
  std::string port = TestClusterPort();
  ASSERT_TRUE(ca != nullptr && !port.empty()) << "run under scripts/with-postgres.sh";
  std::string query = "/postgres?sslmode=verify-full&sslrootcert=" + std::string(ca);
  ExpectHolds("postgresql://roster@localhost:" + port + query,
              "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())", "connected in clear");

  auto misnamed = store::Database::Open("postgresql://roster@127.0.0.1:" + port + query, 1);
  ASSERT_FALSE(misnamed.ok());
  // The operator reads libpq's reason, not only that no connection was made.
  EXPECT_NE(misnamed.problem().internal.find("does not match host name \"127.0.0.1\""),
            std::string::npos)
      << misnamed.problem().internal;
}

}  // namespace
}  // namespace roster::testing
