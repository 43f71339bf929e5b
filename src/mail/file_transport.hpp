#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "mail/transport.hpp"

namespace roster::mail {

// Development transport: each message becomes DIR/<message_key>.eml, exactly
// the bytes an SMTP server would receive. The file is written under a hidden
// temporary name, flushed to disk and renamed into place, so a reader never
// sees half a message; a retry with the same key replaces the file, so a
// crash between writing and marking sent never leaves two copies.
class FileTransport final : public Transport {
 public:
  // Creates `directory` (and its parents) when missing; fails (kValidation,
  // field "ROSTER_MAIL") when it cannot.
  static Result<std::unique_ptr<FileTransport>> Create(const std::filesystem::path& directory);

  Status Send(const std::string& from_address, const std::string& to_address,
              const std::string& message, const std::string& message_key) override;
  std::string Describe() const override;
  Status Probe() override;

  // Where Send puts the message with this key.
  std::filesystem::path PathFor(const std::string& message_key) const;

 private:
  explicit FileTransport(std::filesystem::path directory) : directory_(std::move(directory)) {}

  const std::filesystem::path directory_;
  std::atomic<unsigned> temporary_counter_{0};
};

}  // namespace roster::mail
