#pragma once

// Helpers shared by the mail tests (not part of roster_mail).

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include "core/base64.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace roster::mail::testing_support {

// A clock the test moves by hand; safe to read from the sender's thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds now) : now_(now) {}
  UnixSeconds Now() const override { return now_.load(); }
  void Advance(UnixSeconds seconds) { now_ += seconds; }

 private:
  std::atomic<UnixSeconds> now_;
};

// A fresh directory under /tmp, removed at the end of the test.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "roster-mail-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A migrated, empty database: SQLite in a temporary directory, or, with
// ROSTER_TEST_BACKEND=postgres, a schema of its own in the database at
// ROSTER_TEST_PG_URL (dropped at the end), so tests never see each other's rows.
class TestDatabase {
 public:
  TestDatabase() {
    const char* backend = std::getenv("ROSTER_TEST_BACKEND");
    const char* shared = backend != nullptr && std::string_view(backend) == "postgres"
                             ? std::getenv("ROSTER_TEST_PG_URL")
                             : nullptr;
    std::string url = "sqlite:" + (directory_.path() / "roster.db").string();
    if (shared != nullptr && std::string_view(shared).rfind("postgres", 0) == 0) {
      server_url_ = shared;
      if (server_url_.find('?') == std::string::npos) server_url_ += "?application_name=roster_test";
      schema_ = "mail_test_" + std::to_string(::getpid()) + "_" +
                directory_.path().filename().string().substr(17);
      for (char& c : schema_) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
      RunOnServer("CREATE SCHEMA " + schema_);
      url = server_url_ + "&options=-csearch_path%3D" + schema_;
    }
    auto opened = store::Database::Open(url, 4);
    if (!opened.ok()) throw std::runtime_error("open: " + opened.problem().internal);
    database_ = std::move(opened).value();
    auto migrated = store::Migrate(*database_);
    if (!migrated.ok()) throw std::runtime_error("migrate: " + migrated.problem().internal);
  }
  ~TestDatabase() {
    database_.reset();
    if (!schema_.empty()) RunOnServer("DROP SCHEMA " + schema_ + " CASCADE");
  }
  store::Database& operator*() { return *database_; }
  store::Database* operator->() { return database_.get(); }

  // The id of the message queued last (ids only grow): store::outbox::Enqueue
  // answers none, since on PostgreSQL its row is written with the COMMIT.
  Id LastQueued() {
    long long id = 0;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT COALESCE(MAX(id), 0) FROM outbox_messages", soci::into(id);
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return id;
  }

 private:
  void RunOnServer(const std::string& statement) {
    auto server = store::Database::Open(server_url_, 1);
    if (!server.ok()) throw std::runtime_error("open: " + server.problem().internal);
    Status done = (*server)->Write<void>([&](store::Tx& tx) -> Status {
      tx.sql() << statement;
      return {};
    });
    if (!done.ok()) throw std::runtime_error(statement + ": " + done.problem().internal);
  }

  TemporaryDirectory directory_;
  std::string server_url_, schema_;
  std::unique_ptr<store::Database> database_;
};

// Decodes a header value made by FormatAddressHeader or
// FormatUnstructuredHeader: unfolds it and decodes RFC 2047 "B" words
// (dropping the whitespace between adjacent words, as RFC 2047 says).
inline std::string DecodeHeader(std::string value) {
  std::string unfolded;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 3, "\r\n ") == 0) {
      unfolded += ' ';
      i += 2;
    } else {
      unfolded += value[i];
    }
  }
  std::string out;
  std::string whitespace;  // after an encoded word: dropped if another follows
  bool previous_was_word = false;
  std::size_t i = 0;
  while (i < unfolded.size()) {
    if (unfolded.compare(i, 10, "=?UTF-8?B?") == 0) {
      std::size_t end = unfolded.find("?=", i + 10);
      std::string text = unfolded.substr(i + 10, end - i - 10);
      for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
      while (!text.empty() && text.back() == '=') text.pop_back();
      if (!previous_was_word) out += whitespace;
      whitespace.clear();
      out += DecodeBase64Url(text).value_or("<bad base64>");
      i = end + 2;
      previous_was_word = true;
    } else if (unfolded[i] == ' ') {
      whitespace += unfolded[i++];
    } else {
      out += whitespace;
      whitespace.clear();
      previous_was_word = false;
      out += unfolded[i++];
    }
  }
  out += whitespace;
  return out;
}

// The header section of a raw message (up to the first empty line), split
// into unfolded headers.
inline std::vector<std::string> Headers(const std::string& message) {
  std::string head = message.substr(0, message.find("\r\n\r\n"));
  std::vector<std::string> headers;
  std::size_t start = 0;
  while (start <= head.size()) {
    std::size_t end = head.find("\r\n", start);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(start, end - start);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
      headers.back() += "\r\n" + line;
    } else {
      headers.push_back(line);
    }
    start = end + 2;
  }
  return headers;
}

// The value of the first header called `name` ("Subject"), still folded.
inline std::string HeaderValue(const std::string& message, std::string_view name) {
  for (const std::string& header : Headers(message)) {
    if (header.size() > name.size() && header.compare(0, name.size(), name) == 0 &&
        header[name.size()] == ':') {
      return header.substr(name.size() + 2);
    }
  }
  return "";
}

}  // namespace roster::mail::testing_support
