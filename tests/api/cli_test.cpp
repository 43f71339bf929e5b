// The command line as an operator meets it: clear one-line failures,
// refusing an unmigrated schema, graceful shutdown, durability after kill -9.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class CliTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env() const {
    return {{"ROSTER_DB", "sqlite:" + (dir_.path() / "roster.db").string()},
            {"ROSTER_MAIL", "file:" + (dir_.path() / "mail").string()},
            {"ROSTER_LOG_LEVEL", "warn"}};
  }
  // Expects exit code 1 and exactly one line on stderr containing `needle`.
  void ExpectOneLineFailure(const std::vector<std::string>& args,
                            std::map<std::string, std::string> env, const std::string& needle) {
    CommandResult result = RunRoster(args, env);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("terminate called"), std::string::npos);
  }
  TempDir dir_;
};

TEST_F(CliTest, VersionAndHelp) {
  CommandResult version = RunRoster({"--version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_search(version.out, std::regex(R"(roster \d+\.\d+\.\d+)"))) << version.out;
  CommandResult help = RunRoster({"--help"}, {});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word :
       {"serve", "migrate", "org", "ROSTER_DB", "ROSTER_LISTEN", "ROSTER_INVITE_TTL"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  // A command line it cannot read: one line on stderr and exit 2.
  for (const std::vector<std::string>& unreadable :
       {std::vector<std::string>{}, {"fly"}, {"serve", "--lissten", "x"}, {"backup"}}) {
    CommandResult refused = RunRoster(unreadable, {});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_EQ(refused.err.rfind("roster: ", 0), 0u) << refused.err;
    EXPECT_EQ(CountLines(refused.err), 1) << refused.err;
  }
  // A command's help points at the settings it reads.
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"serve"}, {"migrate"}, {"org", "create"}, {"org", "add-admin"},
        {"user", "reset-two-factor"}, {"leads", "import"}, {"backup"}, {"restore"}, {"doctor"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    CommandResult own = RunRoster(args, {});
    EXPECT_EQ(own.exit_code, 0) << command.back();
    EXPECT_NE(own.out.find("every option of `roster --help`"), std::string::npos)
        << command.back() << ": " << own.out;
  }
}

TEST_F(CliTest, BadSettingsEndWithOneClearLine) {
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  ExpectOneLineFailure({"serve"}, {{"ROSTER_DB", "mysql://x"}}, "ROSTER_DB");
  std::ofstream(dir_.path() / "a-file") << "x";
  ExpectOneLineFailure({"migrate"}, {{"ROSTER_DB", "sqlite:" + (dir_.path() / "a-file" / "sub" / "roster.db").string()}},
                       "cannot create the directory");
  ExpectOneLineFailure({"migrate"}, {{"ROSTER_DB", "postgresql://nobody@127.0.0.1:1/none"}},
                       "cannot open the database");
  auto with = [&](std::string name, std::string value) {
    auto copy = env;
    copy[name] = value;
    return copy;
  };
  ExpectOneLineFailure({"serve"}, with("ROSTER_LISTEN", "nonsense"), "ROSTER_LISTEN");
  ExpectOneLineFailure({"serve"}, with("ROSTER_LISTEN", "127.0.0.1:99999"), "ROSTER_LISTEN");
  ExpectOneLineFailure({"serve"}, with("ROSTER_PUBLIC_URL", "ftp://x y"), "ROSTER_PUBLIC_URL");
  ExpectOneLineFailure({"serve"}, with("ROSTER_INVITE_TTL", "-5"), "ROSTER_INVITE_TTL");
  ExpectOneLineFailure({"serve"}, with("ROSTER_SESSION_IDLE", "soon"), "ROSTER_SESSION_IDLE");
  ExpectOneLineFailure({"serve"}, with("ROSTER_MAIL", "carrier-pigeon://x"), "ROSTER_MAIL");
  ExpectOneLineFailure({"serve"}, with("ROSTER_LOG_FORMAT", "yaml"), "ROSTER_LOG_FORMAT must be text or json");
  ExpectOneLineFailure({"migrate"}, with("ROSTER_LOG_FORMAT", "JSON"), "ROSTER_LOG_FORMAT");
  ExpectOneLineFailure({"serve"}, with("ROSTER_LOG_LEVEL", "verbose"), "ROSTER_LOG_LEVEL");
  ExpectOneLineFailure({"org", "create", "--name", "X", "--admin-email", "not-an-email"}, env,
                       "admin-email");
}

// README: every command ends with one line naming a bad setting before it
// touches anything, not only serve.
TEST_F(CliTest, EveryCommandChecksEverySettingFirst) {
  auto env = Env();
  std::ofstream(dir_.path() / "leads.csv") << "name,email,company,assistant,owner_email\n";
  const std::vector<std::vector<std::string>> commands = {
      {"migrate"},
      {"backup", "--to", (dir_.path() / "copy.db").string()},
      {"restore", "--from", (dir_.path() / "copy.db").string()},
      {"org", "create", "--name", "X", "--admin-email", "a@b.test"},
      {"leads", "import", "--org", "1", "--csv", (dir_.path() / "leads.csv").string()}};
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"ROSTER_LISTEN", "nonsense"},
           {"ROSTER_SECRET_KEY", "abc"},
           {"ROSTER_TRUSTED_PROXIES", "10.0.0.0/33"},
           {"ROSTER_MAIL", "bogus:x"},
           {"ROSTER_WEBHOOK_WORKERS", "0"}}) {
    auto bad = env;
    bad[name] = value;
    for (const auto& command : commands) {
      SCOPED_TRACE(name + " " + command.front());
      ExpectOneLineFailure(command, bad, name);
      EXPECT_FALSE(std::filesystem::exists(dir_.path() / "roster.db"));
      EXPECT_FALSE(std::filesystem::exists(dir_.path() / "mail"));
    }
  }
}

// The documented first start: `roster migrate` in a directory without var/.
TEST_F(CliTest, MigrateMakesTheDirectoryOfANewDatabase) {
  auto env = Env();
  env["ROSTER_DB"] = "sqlite:" + (dir_.path() / "new" / "var" / "roster.db").string();
  CommandResult migrated = RunRoster({"migrate"}, env);
  EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "new" / "var" / "roster.db"));
}

// The sign-in address org create prints is the e-mail's. Without
// ROSTER_PUBLIC_URL it names the listen address, which no browser opens
// when that is every address of the machine: said, not e-mailed silently.
TEST_F(CliTest, OrgCreateNamesALinkAPersonCanOpen) {
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  env["ROSTER_LISTEN"] = "0.0.0.0:8080";
  CommandResult created =
      RunRoster({"org", "create", "--name", "Acme", "--admin-email", "ada@acme.test"}, env);
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.err.find("warning: ROSTER_PUBLIC_URL is not set"), std::string::npos)
      << created.err;
  env["ROSTER_WEB_ROOT"] = dir_.path().string();
  CommandResult doctor = RunRoster({"doctor"}, env);
  EXPECT_EQ(doctor.exit_code, 1);
  EXPECT_NE(doctor.out.find("problem  settings: ROSTER_PUBLIC_URL is not set"), std::string::npos)
      << doctor.out;

  env["ROSTER_PUBLIC_URL"] = "https://roster.acme.test/";
  CommandResult fine =
      RunRoster({"org", "create", "--name", "Globex", "--admin-email", "gil@globex.test"}, env);
  ASSERT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_EQ(fine.err.find("warning"), std::string::npos) << fine.err;
  EXPECT_NE(fine.out.find("sign in at: https://roster.acme.test/login\n"), std::string::npos)
      << fine.out;
}

TEST_F(CliTest, PortInUseIsOneLine) {
  int blocker = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(blocker, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(blocker, 1), 0);
  socklen_t length = sizeof address;
  getsockname(blocker, reinterpret_cast<sockaddr*>(&address), &length);
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  env["ROSTER_LISTEN"] = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  ExpectOneLineFailure({"serve"}, env, "in use");
  close(blocker);
}

TEST_F(CliTest, ServeRefusesAnUnmigratedDatabase) {
  ExpectOneLineFailure({"serve"}, Env(), "roster migrate");
  ExpectOneLineFailure({"org", "create", "--name", "X", "--admin-email", "a@b.test"}, Env(),
                       "roster migrate");
}

TEST_F(CliTest, ServeRefusesANewerSchema) {
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  std::string db = (dir_.path() / "roster.db").string();
  ASSERT_EQ(std::system(("sqlite3 " + db +
                         " \"INSERT INTO schema_migrations VALUES (999, 'V999__future.sql', 0)\"")
                            .c_str()),
            0);
  ExpectOneLineFailure({"serve"}, env, "upgrade roster");
  ExpectOneLineFailure({"migrate"}, env, "upgrade roster");
}

// A damaged page answers SELECT 1, and fails only the requests that read
// it: the doctor reads every page (PRAGMA quick_check) and says so.
TEST_F(CliTest, DoctorFindsADamagedDatabaseFile) {
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  EXPECT_NE(RunRoster({"doctor"}, env).out.find(" answers"), std::string::npos);
  {
    // Garbage over the second page's header (the page after the schema's).
    std::fstream file(dir_.path() / "roster.db", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096);
    file << std::string(64, '\xFF');
  }
  CommandResult doctor = RunRoster({"doctor"}, env);
  EXPECT_EQ(doctor.exit_code, 1);
  EXPECT_TRUE(std::regex_search(doctor.out, std::regex("problem +database: .* is damaged: ")))
      << doctor.out;
  EXPECT_NE(doctor.out.find("restore the newest backup"), std::string::npos) << doctor.out;
}

TEST_F(CliTest, MigrateIsIdempotent) {
  auto env = Env();
  CommandResult first = RunRoster({"migrate"}, env);
  CommandResult second = RunRoster({"migrate"}, env);
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(first.out, second.out);
}

TEST_F(CliTest, OrgCreatePrintsTheOneTimePasswordOnlyForFileTransport) {
  auto env = Env();
  ASSERT_EQ(RunRoster({"migrate"}, env).exit_code, 0);
  CommandResult created =
      RunRoster({"org", "create", "--name", "Acme", "--admin-email", "Ada@Acme.test"}, env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(created.out, match, std::regex(R"(one-time password: (\S+))")));
  // The invitation e-mail was delivered by the command itself.
  bool found = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail")) {
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    found = found ||
            text.str().find("One-time password: " + std::string(match[1])) != std::string::npos;
  }
  EXPECT_TRUE(found);
}

// A server with a real org, for the process-level tests below.
class ServeTest : public ApiTest {
 protected:
  // Signs in (with a one-time password, a wrong password and a real one),
  // invites, and makes and uses an API key, with the log in `format`; the
  // log holds the requests but none of the secrets they carried. Returns it.
  std::string LogOfASessionWithSecrets(const std::string& format);
};

TEST_F(ServeTest, SigtermFinishesInFlightRequestsAndExitsZero) {
  StartServer();
  // A login costs an argon2id hash: in flight long enough to be interrupted.
  std::vector<std::future<HttpResponse>> logins;
  for (int i = 0; i < 4; ++i) {
    logins.push_back(std::async(std::launch::async,
                                [&] { return NewClient()->Login(kAdminEmail, kAdminPassword); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the requests reach the server
  EXPECT_EQ(server_->Stop(), 0);
  server_.reset();
  for (auto& login : logins) {
    try {
      HttpResponse response = login.get();
      // Answered, not cut off: signed in, or refused at once because every
      // hashing slot was taken (SPEC 6).
      EXPECT_TRUE(response.status == 200 || response.Code() == "busy") << response.body;
    } catch (const std::exception&) {
      // A request that arrived after the listener closed is refused, not half-done.
    }
  }
}

// SIGHUP (a closed terminal, a habit of "reload") stops the server as
// SIGTERM does, draining, instead of killing it mid-request unlogged.
TEST_F(ServeTest, SighupStopsAsSigtermDoes) {
  env()["ROSTER_LOG_LEVEL"] = "info";
  StartServer();
  ASSERT_EQ(NewClient()->Get("/healthz").status, 200);
  EXPECT_EQ(server_->Stop(SIGHUP), 0);
  server_.reset();
  std::ifstream log(dir_.path() / "server.log");
  std::stringstream text;
  text << log.rdbuf();
  const std::string logged = text.str();
  EXPECT_NE(logged.find("event=signal_received signal=" + std::to_string(SIGHUP)),
            std::string::npos)
      << logged;
  EXPECT_NE(logged.find("event=server_stopped"), std::string::npos) << logged;
}

TEST_F(ServeTest, AcknowledgedWritesSurviveKill9) {
  env()["ROSTER_MAIL_LEASE"] = "2";  // a message in hand at the kill is retried after its lease
  StartServer();
  std::vector<std::string> invited;
  for (int i = 0; i < 10; ++i)
    invited.push_back(Invite("p" + std::to_string(i) + "@acme.test", "P " + std::to_string(i)));
  server_->Kill();
  server_.reset();
  StartServer();
  for (const std::string& id : invited) {
    EXPECT_EQ(admin_->Get(OrgPath("/members/" + id)).status, 200) << id;
  }
  // Every invitation e-mail is delivered after the restart, none lost.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(WaitForMessagesTo("p" + std::to_string(i) + "@acme.test", 1).size(), 1u);
  }
}

TEST_F(ServeTest, OperationalEndpoints) {
  StartServer();
  auto client = NewClient();
  EXPECT_EQ(client->Get("/healthz").status, 200);
  EXPECT_EQ(client->Get("/readyz").status, 200);
  HttpResponse metrics = client->Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("roster_http_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("roster_outbox_pending"), std::string::npos);
  HttpResponse openapi = client->Get("/api/v1/openapi.json");
  EXPECT_EQ(openapi.status, 200);
  EXPECT_EQ(openapi.json["openapi"], "3.1.0");
}

// A PostgreSQL that answers and takes no writes (a standby, a point-in-time
// recovery left paused at its target), end to end: /readyz takes the
// server out of the load balancer, a write (a sign-in records a session) is
// 503 with Retry-After rather than a 500, and the doctor says what to do.
// PostgreSQL only (tests/api/CMakeLists.txt): SQLite has no such state.
class ReadOnlyDatabaseTest : public ApiTest {};

TEST_F(ReadOnlyDatabaseTest, ReadinessWritesAndTheDoctorSayTheDatabaseTakesNoWrites) {
  ASSERT_TRUE(database_->is_postgres()) << "registered for PostgreSQL only";
  StartServer();
  StopServer();
  // Every session of these processes opens read-only, as on a standby.
  env()["PGOPTIONS"] = "-c default_transaction_read_only=on";
  server_ = std::make_unique<RosterServer>(env(), dir_.path() / "server.log");
  auto client = NewClient();
  EXPECT_EQ(client->Get("/healthz").status, 200);
  EXPECT_EQ(client->Get("/readyz").status, 503);
  HttpResponse login = client->Login(kAdminEmail, kAdminPassword);
  EXPECT_EQ(login.status, 503) << login.body;
  EXPECT_EQ(login.json.value("code", ""), "unavailable") << login.body;
  EXPECT_TRUE(login.headers.contains("retry-after")) << login.body;

  CommandResult doctor = RunRoster({"doctor"}, env());
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(std::regex_search(doctor.out, std::regex("problem +database: .*read-only")))
      << doctor.out;
  EXPECT_NE(doctor.out.find("promote it"), std::string::npos) << doctor.out;
}

TEST_F(ServeTest, TextLogNeverHoldsSecrets) {
  std::string logged = LogOfASessionWithSecrets("text");
  EXPECT_NE(logged.find("event=http_request"), std::string::npos) << logged;
  // The text format as it always was: time, level, then the event's fields.
  std::istringstream lines(logged);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [a-z]+ )")))
        << line;
    EXPECT_EQ(line.find("request_id"), std::string::npos) << line;
  }
}

TEST_F(ServeTest, JsonLogIsOneObjectPerLineWithRequestIdsAndNoSecrets) {
  std::string logged = LogOfASessionWithSecrets("json");
  std::istringstream lines(logged);
  std::map<std::string, std::vector<std::string>> events_by_request;
  int requests = 0;
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(object.is_object()) << line;
    EXPECT_TRUE(std::regex_match(object.value("time", ""),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_TRUE(object.contains("level") && object.contains("event")) << line;
    if (object["event"] == "http_request") {
      ++requests;
      EXPECT_TRUE(object.contains("route") && object.contains("status")) << line;
      EXPECT_TRUE(object.contains("request_id")) << line;
      if (object["status"] == "400" && object["method"] == "POST") {
        EXPECT_EQ(object["route"], "/api/v1/auth/login") << line;  // a bad body is its route's
      }
    }
    if (object.contains("request_id")) {
      events_by_request[object["request_id"]].push_back(object["event"]);
    }
  }
  EXPECT_GE(requests, 6);
  // The failed sign-in's security event and its access line share an id.
  bool correlated = false;
  for (const auto& [id, events] : events_by_request) {
    bool failed = std::find(events.begin(), events.end(), "login_failed") != events.end();
    bool answered = std::find(events.begin(), events.end(), "http_request") != events.end();
    correlated = correlated || (failed && answered);
  }
  EXPECT_TRUE(correlated) << logged;
}

std::string ServeTest::LogOfASessionWithSecrets(const std::string& format) {
  env()["ROSTER_LOG_LEVEL"] = "debug";
  env()["ROSTER_LOG_FORMAT"] = format;
  StartServer();
  Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  auto bob = NewClient();
  EXPECT_EQ(bob->Login("bob@acme.test", otp).status, 200);
  std::string cookie = bob->session_cookie();
  EXPECT_EQ(bob->Post("/api/v1/auth/password",
                      {{"current_password", otp}, {"new_password", kMemberPassword}})
                .status,
            204);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, "a wrong password typed here").status, 401);
  HttpResponse key = admin_->Post(OrgPath("/api-keys"), {{"name", "CRM"}, {"scope", "admin"}});
  EXPECT_EQ(key.status, 201) << key.body;
  std::string api_key = key.json.value("key", "missing key");
  auto as_key = NewClient();
  as_key->set_csrf_header(false);
  EXPECT_EQ(as_key->Send("GET", OrgPath("/members"), "", {{"Authorization", "Bearer " + api_key}})
                .status,
            200);
  // Refused before their handlers: a body that is not JSON on a known
  // route, a path that is not percent-encoding.
  EXPECT_EQ(NewClient()->Send("POST", "/api/v1/auth/login", "{\"email\":",
                              {{"Content-Type", "application/json"}}).status,
            400);
  EXPECT_EQ(NewClient()->Get("/api/v1/x%zz").status, 400);
  StopServer();
  std::ifstream log(dir_.path() / "server.log");
  std::stringstream text;
  text << log.rdbuf();
  std::string logged = text.str();
  EXPECT_NE(logged.find("/api/v1/auth/login"), std::string::npos);  // the log has the requests
  for (const std::string& secret :
       {otp, cookie, bob->session_cookie(), std::string(kMemberPassword), std::string(kAdminPassword),
        std::string("a wrong password typed here"), api_key,
        admin_->session_cookie()}) {
    EXPECT_EQ(logged.find(secret), std::string::npos) << "the " << format << " log holds a secret";
  }
  return logged;
}

TEST_F(ServeTest, RequestBodyLimitsAndMediaTypes) {
  StartServer();
  auto client = NewClient();
  HttpResponse too_big =
      client->Send("POST", "/api/v1/auth/login", std::string(1024 * 1024 + 1, 'x'),
                   {{"Content-Type", "application/json"}});
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(too_big.Header("content-type"), "application/problem+json");
  HttpResponse not_json = client->Send("POST", "/api/v1/auth/login", "email=a",
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
  HttpResponse malformed = client->Send("POST", "/api/v1/auth/login",
                                        "{\"email\":", {{"Content-Type", "application/json"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_FALSE(malformed.Code().empty());
  HttpResponse method = client->Send("PUT", "/api/v1/me", "", {});
  EXPECT_EQ(method.status, 405);
  EXPECT_FALSE(method.Header("allow").empty());
  HttpResponse unknown = client->Get("/api/v1/nothing-here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Code(), "not_found");
  for (const HttpResponse* response : {&too_big, &not_json, &malformed, &method, &unknown}) {
    EXPECT_NE(response->Header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(response->Header("x-content-type-options"), "nosniff");
    EXPECT_FALSE(response->Header("referrer-policy").empty());
  }
}

}  // namespace
}  // namespace roster::testing
