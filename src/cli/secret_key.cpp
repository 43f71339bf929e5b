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

namespace roster::cli {
namespace {

Problem KeyFileProblem(const std::filesystem::path& path, const std::string& what) {
  return Problem::Validation("ROSTER_SECRET_KEY", "cannot " + what + " the secret key file " +
                                                      path.string() + ": " + std::strerror(errno));
}

// Creates the file only if it does not exist (O_EXCL), readable by its
// owner alone from the first byte.
Result<SecretBox> CreateKeyFile(const std::filesystem::path& path) {
  SecretBox box = SecretBox::Generate();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyFileProblem(path, "create");
  std::string text = box.KeyHex() + "\n";
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return KeyFileProblem(path, "write");
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

Result<std::optional<SecretBox>> LoadSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& database) {
  if (!setting.empty()) return std::optional<SecretBox>(ROSTER_TRY(SecretBox::FromText(setting)));
  if (database.backend != store::Backend::kSqlite) {
    spdlog::warn("event=secret_key_missing detail=\"ROSTER_SECRET_KEY is not set: two-factor "
                 "set-up and codes answer 503 until every process has the same key\"");
    return std::optional<SecretBox>();
  }
  std::filesystem::path path =
      std::filesystem::absolute(database.sqlite_path).parent_path() / "secret.key";
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    return std::optional<SecretBox>(ROSTER_TRY(ReadKeyFile(path)));
  }
  return std::optional<SecretBox>(ROSTER_TRY(CreateKeyFile(path)));
}

}  // namespace roster::cli
