#include "mail/transport.hpp"

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "mail/file_transport.hpp"
#include "support/mail_test_support.hpp"
#include "mail/smtp_transport.hpp"

namespace roster::mail {
namespace {

using testing_support::TemporaryDirectory;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> FileNames(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(MakeTransportTest, RefusesBadUrlsWithOneClearSentence) {
  for (const char* url :
       {"", "mail.example.com", "http://mail.example.com", "smtp://", "smtp://:25",
        "smtp://mail.example.com:0", "smtp://mail.example.com:65536", "smtp://mail.example.com:2x",
        "smtp://mail.example.com:", "smtp://user:p%zzss@mail.example.com",
        "smtp://user:secret@mail.example.com?tls=no", "smtp://mail.example.com#x",
        "smtp://mail_example.com", "smtp://:secret@mail.example.com", "smtp://[::1",
        "smtp://mail.example.com/not a host", "file:", "smtpx://user:secret@x"}) {
    auto transport = MakeTransport(url);
    ASSERT_FALSE(transport.ok()) << url;
    const Problem& problem = transport.problem();
    EXPECT_EQ(problem.category, ProblemCode::kValidation) << url;
    EXPECT_EQ(problem.errors.at(0).field, "ROSTER_MAIL");
    EXPECT_EQ(problem.detail.back(), '.') << problem.detail;
    EXPECT_EQ(problem.detail.find("secret"), std::string::npos) << problem.detail;
  }
}

// A '/' in the password ends the host part early: what follows is not an
// EHLO name but the rest of the password, and the answer says to encode it.
TEST(MakeTransportTest, APasswordWithASlashIsToldToBePercentEncoded) {
  auto transport = MakeTransport("smtp://user:se/cret@mail.example.com");
  ASSERT_FALSE(transport.ok());
  EXPECT_NE(transport.problem().detail.find("percent-encode"), std::string::npos)
      << transport.problem().detail;
  EXPECT_EQ(transport.problem().detail.find("cret"), std::string::npos);
}

TEST(SmtpUrlTest, ParsesHostPortAndPercentDecodedCredentials) {
  struct Case {
    std::string url;
    bool tls;
    std::string host;
    int port;
    std::string username, password, ehlo;
  } cases[] = {
      {"smtp://mail.example.com", false, "mail.example.com", 25, "", "", ""},
      {"smtp://127.0.0.1:2525", false, "127.0.0.1", 2525, "", "", ""},
      {"smtps://mail.example.com", true, "mail.example.com", 465, "", "", ""},
      {"smtp://ann%40example.com:p%40ss%3Aw%25rd@mail.example.com:587", false,
       "mail.example.com", 587, "ann@example.com", "p@ss:w%rd", ""},
      {"smtp://user:pa@ss@mail.example.com:587", false, "mail.example.com", 587, "user", "pa@ss", ""},
      {"smtp://apikey@mail.example.com", false, "mail.example.com", 25, "apikey", "", ""},
      {"smtp://[::1]:2525", false, "[::1]", 2525, "", "", ""},
      {"smtp://relay.example.com/roster.example.com", false, "relay.example.com", 25, "", "",
       "roster.example.com"},
      {"smtp://relay.example.com/", false, "relay.example.com", 25, "", "", ""},
  };
  for (const Case& c : cases) {
    Result<SmtpUrl> url = SmtpUrl::Parse(c.url);
    ASSERT_TRUE(url.ok()) << c.url << ": " << url.problem().detail;
    EXPECT_EQ(url->implicit_tls, c.tls) << c.url;
    EXPECT_EQ(url->host, c.host) << c.url;
    EXPECT_EQ(url->port, c.port) << c.url;
    EXPECT_EQ(url->username, c.username) << c.url;
    EXPECT_EQ(url->password, c.password) << c.url;
    EXPECT_EQ(url->ehlo_name, c.ehlo) << c.url;
  }
}

TEST(MakeTransportTest, DescribesItselfWithoutTheCredentials) {
  auto smtp = MakeTransport("smtp://user:secret@mail.example.com:587");
  ASSERT_TRUE(smtp.ok());
  EXPECT_EQ((*smtp)->Describe(), "smtp://mail.example.com:587");
  auto smtps = MakeTransport("smtps://user:secret@mail.example.com");
  ASSERT_TRUE(smtps.ok());
  EXPECT_EQ((*smtps)->Describe(), "smtps://mail.example.com:465");
}

TEST(FileTransportTest, CreatesTheDirectoryAndWritesOneEmlPerKey) {
  TemporaryDirectory temporary;
  std::filesystem::path directory = temporary.path() / "var" / "mail";
  auto transport = MakeTransport("file:" + directory.string());
  ASSERT_TRUE(transport.ok()) << transport.problem().detail;
  EXPECT_TRUE(std::filesystem::is_directory(directory));
  EXPECT_EQ((*transport)->Describe(), "file:" + directory.string());

  ASSERT_TRUE((*transport)->Send("a@example.com", "b@example.com", "first\r\n", "roster-1-1").ok());
  ASSERT_TRUE((*transport)->Send("a@example.com", "c@example.com", "second\r\n", "roster-1-2").ok());
  EXPECT_EQ(FileNames(directory), (std::vector<std::string>{"roster-1-1.eml", "roster-1-2.eml"}));
  EXPECT_EQ(ReadFile(directory / "roster-1-1.eml"), "first\r\n");
  EXPECT_EQ(std::filesystem::status(directory / "roster-1-1.eml").permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST(FileTransportTest, ARetryWithTheSameKeyReplacesInsteadOfDuplicating) {
  TemporaryDirectory temporary;
  auto transport = FileTransport::Create(temporary.path());
  ASSERT_TRUE(transport.ok());
  ASSERT_TRUE((*transport)->Send("a@example.com", "b@example.com", "try 1\r\n", "roster-7-9").ok());
  ASSERT_TRUE((*transport)->Send("a@example.com", "b@example.com", "try 2\r\n", "roster-7-9").ok());
  EXPECT_EQ(FileNames(temporary.path()), std::vector<std::string>{"roster-7-9.eml"});
  EXPECT_EQ(ReadFile(temporary.path() / "roster-7-9.eml"), "try 2\r\n");
}

TEST(FileTransportTest, KeysCannotEscapeTheDirectory) {
  TemporaryDirectory temporary;
  std::filesystem::create_directory(temporary.path() / "mail");
  auto transport = FileTransport::Create(temporary.path() / "mail");
  ASSERT_TRUE(transport.ok());
  for (const char* key : {"../escape", "/etc/passwd", "..", ".hidden", ""}) {
    ASSERT_TRUE((*transport)->Send("a@example.com", "b@example.com", "x", key).ok()) << key;
    EXPECT_EQ((*transport)->PathFor(key).parent_path(), temporary.path() / "mail") << key;
  }
  EXPECT_EQ(FileNames(temporary.path()), std::vector<std::string>{"mail"});
  for (const std::string& name : FileNames(temporary.path() / "mail")) {
    EXPECT_NE(name.front(), '.') << name;
  }
}

TEST(FileTransportTest, AReaderNeverSeesHalfAMessage) {
  TemporaryDirectory temporary;
  auto transport = FileTransport::Create(temporary.path());
  ASSERT_TRUE(transport.ok());
  const std::string big_a(2 << 20, 'a'), big_b(2 << 20, 'b');
  ASSERT_TRUE((*transport)->Send("a@example.com", "b@example.com", big_a, "key").ok());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 20; ++i) {
      EXPECT_TRUE(
          (*transport)->Send("a@example.com", "b@example.com", i % 2 ? big_a : big_b, "key").ok());
    }
    done = true;
  });
  int reads = 0;
  while (!done || reads == 0) {
    std::string seen = ReadFile(temporary.path() / "key.eml");
    ASSERT_TRUE(seen == big_a || seen == big_b) << "saw a partial file of " << seen.size();
    ++reads;
  }
  writer.join();
  EXPECT_EQ(FileNames(temporary.path()), std::vector<std::string>{"key.eml"});  // no temp left
}

TEST(FileTransportTest, ReportsAnUnusableDirectory) {
  TemporaryDirectory temporary;
  std::ofstream(temporary.path() / "file") << "x";
  auto transport = MakeTransport("file:" + (temporary.path() / "file" / "mail").string());
  ASSERT_FALSE(transport.ok());
  EXPECT_NE(transport.problem().detail.find("ROSTER_MAIL: cannot create the mail directory"),
            std::string::npos);
}

}  // namespace
}  // namespace roster::mail
