#include "mail/file_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace roster::mail {
namespace {

// Letters, digits, '-', '_' and '.' (not leading) survive; anything else
// becomes '_', so a key can never name a path outside the directory.
std::string FileStem(const std::string& key) {
  std::string stem;
  for (char c : key.substr(0, 200)) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || (c == '.' && !stem.empty());
    stem += keep ? c : '_';
  }
  return stem.empty() ? "message" : stem;
}

std::string Errno(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// Writes all of `data` to `path` (mode 0600: the message may hold a
// one-time password) and flushes it to disk.
Status WriteDurably(const std::filesystem::path& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return TransientFailure(Errno("cannot create", path));
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string error = Errno("cannot write", path);
      ::close(fd);
      ::unlink(path.c_str());
      return TransientFailure(error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string error = Errno("cannot flush", path);
    ::unlink(path.c_str());
    return TransientFailure(error);
  }
  return {};
}

// Makes the rename itself durable.
void SyncDirectory(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the file is in place; only its durability is weaker
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<std::unique_ptr<FileTransport>> FileTransport::Create(
    const std::filesystem::path& directory) {
  if (directory.empty()) {
    return Problem::Validation("ROSTER_MAIL", "ROSTER_MAIL=file: needs a directory.");
  }
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory)) {
    return Problem::Validation(
        "ROSTER_MAIL", "ROSTER_MAIL: cannot create the mail directory " + directory.string() +
                           ": " + (error ? error.message() : "not a directory") + ".");
  }
  return std::unique_ptr<FileTransport>(new FileTransport(directory));
}

std::filesystem::path FileTransport::PathFor(const std::string& message_key) const {
  return directory_ / (FileStem(message_key) + ".eml");
}

Status FileTransport::Send(const std::string& from_address, const std::string& to_address,
                           const std::string& message, const std::string& message_key) {
  // The directory may have been removed while we ran; recreating it is cheap.
  std::error_code ignored;
  std::filesystem::create_directories(directory_, ignored);
  std::filesystem::path target = PathFor(message_key);
  // Hidden and not ending in .eml, so a reader globbing *.eml skips it.
  std::string temporary_name = ".";
  temporary_name += FileStem(message_key) + "." + std::to_string(::getpid()) + "." +
                    std::to_string(temporary_counter_++) + ".tmp";
  std::filesystem::path temporary = directory_ / temporary_name;
  ROSTER_TRY_STATUS(WriteDurably(temporary, message));
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    std::string error = Errno("cannot rename into", target);
    ::unlink(temporary.c_str());
    return TransientFailure(error);
  }
  SyncDirectory(directory_);
  return {};
}

std::string FileTransport::Describe() const { return "file:" + directory_.string(); }

Status FileTransport::Probe() {
  std::error_code ignored;
  std::filesystem::create_directories(directory_, ignored);
  std::filesystem::path probe =
      directory_ / (".probe." + std::to_string(::getpid()) + "." +
                    std::to_string(temporary_counter_++) + ".tmp");
  ROSTER_TRY_STATUS(WriteDurably(probe, ""));
  ::unlink(probe.c_str());
  return {};
}

}  // namespace roster::mail
