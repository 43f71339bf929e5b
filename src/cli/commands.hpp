#pragma once

#include <memory>
#include <string>

#include "cli/settings.hpp"
#include "core/problem.hpp"
#include "core/result.hpp"
#include "mail/transport.hpp"

// The subcommands of `roster`; each returns the process exit code and
// reports a failure as one line on stderr.
namespace roster::cli {

// Prints "roster: LINE" on stderr; returns 1, a failed command's exit code.
int Fail(const std::string& line);
// A problem's detail; where that only says that something went wrong (a
// 500's or 503's), the reason behind it, which the operator at this
// terminal needs: "database: permission denied for ...".
std::string Reason(const Problem& problem);
// Fail(Reason(problem)).
int Fail(const Problem& problem);

// Every setting read as `roster serve` reads it, nothing opened or made:
// every command checks them first (README: one line naming the bad one).
Status CheckSettings(const Settings& settings);

// The mail transport of ROSTER_MAIL and ROSTER_MAIL_CA.
Result<std::unique_ptr<mail::Transport>> MakeMailTransport(const Settings& settings);

int RunServe(const Settings& settings);
int RunMigrate(const Settings& settings);
int RunCreateOrganization(const Settings& settings, const std::string& name,
                          const std::string& admin_email, const std::string& admin_name);
// `roster org add-admin --org ID --email E`: app::AddOrganizationAdmin, for
// an organization none of whose admins can sign in.
int RunAddAdmin(const Settings& settings, const std::string& organization,
                const std::string& email, const std::string& name);
// `roster user reset-two-factor --email E`: app::ResetAccountMfa, for a
// person no admin may reset who lost his phone and recovery codes.
int RunResetTwoFactor(const Settings& settings, const std::string& email);
// `roster leads import`: every line of the CSV file or none (see app/lead_import.hpp).
int RunImportLeads(const Settings& settings, const std::string& organization,
                   const std::string& csv_path);

// `roster backup --to FILE` / `roster restore --from FILE`: the embedded
// SQLite database (store/backup.hpp).
int RunBackup(const Settings& settings, const std::string& to_path);
int RunRestore(const Settings& settings, const std::string& from_path);

// `roster doctor`: checks the settings (as serve reads them), the database
// and its schema version, the mail transport (without sending) and the web
// console; prints one line per check, `ok` or `problem` with the fix, and
// returns 1 when any check found a problem.
int RunDoctor(const Settings& settings);

}  // namespace roster::cli
