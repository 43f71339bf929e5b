#include "cli/secret_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/two_factor.hpp"

namespace roster::cli {
namespace {

Problem KeyFileProblem(const std::filesystem::path& path, const std::string& what) {
  return Problem::Validation("ROSTER_SECRET_KEY", "cannot " + what + " the secret key file " +
                                                      path.string() + ": " + std::strerror(errno));
}

// Writes the key to a new file (O_EXCL: never over one), readable by its
// owner alone from the first byte.
Result<SecretBox> WriteKeyFile(const std::filesystem::path& path, const SecretBox& box) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyFileProblem(path, "create");
  std::string text = box.KeyHex() + "\n";
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return KeyFileProblem(path, "write");
  return box;
}

Result<SecretBox> CreateKeyFile(const std::filesystem::path& path) {
  SecretBox box = ROSTER_TRY(WriteKeyFile(path, SecretBox::Generate()));
  spdlog::info("event=secret_key_created file={}", path.string());
  return box;
}

Result<SecretBox> ReadKeyFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) return KeyFileProblem(path, "read");
  std::stringstream text;
  text << file.rdbuf();
  auto box = SecretBox::FromText(text.str());
  if (!box.ok()) {
    return Problem::Validation("ROSTER_SECRET_KEY",
                               "the secret key file " + path.string() + " does not hold a key");
  }
  return box;
}

}  // namespace

std::filesystem::path SqliteKeyPath(const store::DatabaseUrl& url) {
  return (std::filesystem::absolute(url.sqlite_path).parent_path() / "secret.key")
      .lexically_normal();
}

Result<std::optional<SecretBox>> FindSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& url) {
  if (!setting.empty()) return std::optional<SecretBox>(ROSTER_TRY(SecretBox::FromText(setting)));
  if (url.backend != store::Backend::kSqlite) return std::optional<SecretBox>();
  std::filesystem::path path = SqliteKeyPath(url);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::optional<SecretBox>();
  return std::optional<SecretBox>(ROSTER_TRY(ReadKeyFile(path)));
}

Result<std::optional<SecretBox>> LoadSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& url,
                                               store::Database& database) {
  std::optional<SecretBox> key = ROSTER_TRY(FindSecretKey(setting, url));
  if (key) return key;
  if (url.backend != store::Backend::kSqlite) {
    spdlog::warn("event=secret_key_missing detail=\"ROSTER_SECRET_KEY is not set: two-factor "
                 "set-up and codes answer 503 until every process has the same key\"");
    return key;
  }
  std::filesystem::path path = SqliteKeyPath(url);
  if (Status opens = CheckSecretKeyOpens(database, std::nullopt); !opens.ok()) {
    if (opens.problem().slug != "secret_key_missing") return opens.problem();
    return Problem::Validation(
        "ROSTER_SECRET_KEY",
        "there is no " + path.string() + ", but the database holds two-factor secrets sealed "
        "with one (restored without it?): put that secret.key back beside the database, "
        "or set ROSTER_SECRET_KEY (docs/backups.md)");
  }
  return std::optional<SecretBox>(ROSTER_TRY(CreateKeyFile(path)));
}

Status CheckSecretKeyOpens(store::Database& database, const std::optional<SecretBox>& key) {
  auto sealed = database.Read<std::vector<std::string>>(
      [](store::Tx& tx) -> Result<std::vector<std::string>> {
        return store::ConfirmedTotpSecrets(tx);
      });
  if (!sealed.ok()) return sealed.problem();
  if (sealed->empty()) return {};
  if (!key) {
    return Problem::Invalid("secret_key_missing",
                            "the database holds two-factor secrets, and there is no key to "
                            "open them");
  }
  std::size_t closed = 0;
  for (const std::string& secret : *sealed) closed += key->Open(secret).ok() ? 0 : 1;
  if (closed == sealed->size()) {
    return Problem::Invalid("secret_key_mismatch",
                            "the database's two-factor secrets do not open with this key: they "
                            "were sealed with another one (a restore without its secret.key?)");
  }
  if (closed > 0) {
    return Problem::Invalid(
        "secret_key_mismatch",
        std::to_string(closed) + " of the database's " + std::to_string(sealed->size()) +
            " two-factor secrets do not open with this key: a process with another "
            "ROSTER_SECRET_KEY set them up (those members sign in with a recovery code until "
            "their two-factor sign-in is reset)");
  }
  return {};
}

Status CopyKeyFile(const std::filesystem::path& from, const std::filesystem::path& to) {
  SecretBox key = ROSTER_TRY(ReadKeyFile(from));
  std::filesystem::path partial = to;
  partial += ".partial";
  std::filesystem::remove(partial);
  Result<SecretBox> written = WriteKeyFile(partial, key);
  if (!written.ok()) return written.problem();
  std::error_code error;
  std::filesystem::rename(partial, to, error);
  if (error) {
    std::filesystem::remove(partial, error);
    return Problem::Invalid("cannot_write", "cannot write " + to.string());
  }
  return {};
}

bool IsKeyFile(const std::filesystem::path& path) { return ReadKeyFile(path).ok(); }

bool HoldSameKey(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto text = [](const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream read;
    read << file.rdbuf();
    return read.str();
  };
  return IsKeyFile(a) && IsKeyFile(b) && text(a) == text(b);
}

}  // namespace roster::cli
