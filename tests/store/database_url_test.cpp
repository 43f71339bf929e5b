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

// docs/install.md: with PostgreSQL on the same machine, ROSTER_DB names
// no host and gives the socket's directory as `host`. PostgreSQL only.
TEST(DatabaseUrlTest, OnPostgresqlTheUnixSocketFormConnectsThroughTheSocket) {
  const char* server = std::getenv("ROSTER_TEST_PG_URL");
  const char* sockets = std::getenv("ROSTER_TEST_PG_SOCKET_DIR");
  ASSERT_TRUE(server != nullptr && sockets != nullptr) << "run under scripts/with-postgres.sh";
  // postgresql://roster@127.0.0.1:PORT/postgres -> its port.
  std::string tcp = server;
  std::string port = tcp.substr(tcp.rfind(':') + 1, tcp.rfind('/') - tcp.rfind(':') - 1);
  std::string url = "postgresql://roster@/postgres?host=" + std::string(sockets) + "&port=" + port;
  auto database = store::Database::Open(url, 1);
  ASSERT_TRUE(database.ok()) << url << ": " << database.problem().detail;
  Result<bool> local = (*database)->Read<bool>([](store::Tx& tx) -> Result<bool> {
    int socket = 0;
    tx.sql() << "SELECT CASE WHEN inet_server_addr() IS NULL THEN 1 ELSE 0 END", soci::into(socket);
    return socket == 1;
  });
  ASSERT_TRUE(local.ok()) << local.problem().internal;
  EXPECT_TRUE(*local) << "connected over TCP, not the Unix socket";
}

}  // namespace
}  // namespace roster::testing
