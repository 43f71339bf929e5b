#include "mail/transport.hpp"

#include <fstream>

#include "mail/file_transport.hpp"
#include "mail/smtp_transport.hpp"

namespace roster::mail {
namespace {

Problem MailFailure(std::string_view slug, std::string detail) {
  Problem problem;
  problem.category = ProblemCode::kUnavailable;
  problem.slug = std::string(slug);
  problem.internal = detail;
  problem.detail = std::move(detail);
  return problem;
}

}  // namespace

bool IsPermanentFailure(const Problem& problem) { return problem.slug == kPermanentFailure; }

bool IsSetupRefused(const Problem& problem) { return problem.slug == kSetupRefused; }

Problem PermanentFailure(std::string detail) {
  return MailFailure(kPermanentFailure, std::move(detail));
}

Problem SetupRefused(std::string detail) { return MailFailure(kSetupRefused, std::move(detail)); }

Problem TransientFailure(std::string detail) {
  return MailFailure(kTransientFailure, std::move(detail));
}

namespace {

// file:///var/mail is the URL spelling of file:/var/mail.
std::string FileDirectory(const std::string& url) {
  std::string directory = url.substr(5);
  if (directory.rfind("///", 0) == 0) directory = directory.substr(2);
  return directory;
}

}  // namespace

Status CheckTransportUrl(const std::string& url, const TransportOptions& options) {
  if (url.rfind("file:", 0) == 0) {
    if (FileDirectory(url).empty()) {
      return Problem::Validation("ROSTER_MAIL", "ROSTER_MAIL=file: needs a directory.");
    }
    return {};
  }
  if (url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0) {
    ROSTER_TRY_STATUS(SmtpUrl::Parse(url));
    if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
      return Problem::Validation(
          "ROSTER_MAIL_CA",
          "ROSTER_MAIL_CA names a file that cannot be read: " + options.ca_file + ".");
    }
    return {};
  }
  // Only the scheme is quoted back: the rest may hold a password.
  std::size_t colon = url.find(':');
  std::string got = "no scheme";
  if (colon != std::string::npos) got = std::string("\"").append(url, 0, colon + 1).append("\"");
  return Problem::Validation("ROSTER_MAIL",
                             "ROSTER_MAIL must start with file:, smtp:// or smtps:// (got " + got +
                                 ").");
}

Result<std::unique_ptr<Transport>> MakeTransport(const std::string& url,
                                                 const TransportOptions& options) {
  ROSTER_TRY_STATUS(CheckTransportUrl(url, options));
  if (url.rfind("file:", 0) == 0) {
    auto transport = ROSTER_TRY(FileTransport::Create(FileDirectory(url)));
    return std::unique_ptr<Transport>(std::move(transport));
  }
  return std::unique_ptr<Transport>(
      std::make_unique<SmtpTransport>(ROSTER_TRY(SmtpUrl::Parse(url)), options));
}

}  // namespace roster::mail
