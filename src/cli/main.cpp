// The composition root: flags and environment -> objects -> run.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/settings.hpp"
#include "store/migrations.hpp"

#ifndef ROSTER_VERSION
#define ROSTER_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  // Logs are stderr's; stdout carries only what a command prints for its user
  // ("listening on ...", the one-time password of `org create`).
  spdlog::set_default_logger(spdlog::stderr_logger_mt("roster"));
  // A reader that went away (a closed pipe) is not a reason to die.
  std::signal(SIGPIPE, SIG_IGN);
  using roster::cli::Settings;
  Settings settings;
  roster::cli::ApplyEnvironment(settings);

  CLI::App app{"Roster: the team-management core of an AI sales-assistant product."};
  app.set_version_flag("--version", std::string("roster ") + ROSTER_VERSION + " (schema version " +
                                        std::to_string(roster::store::LatestSchemaVersion()) + ")");
  app.require_subcommand(1);
  app.fallthrough();  // settings may follow the subcommand: roster serve --listen ...
  for (const auto& binding : roster::cli::SettingBindings()) {
    app.add_option(binding.flag, settings.*binding.field,
                   std::string(binding.help) + " [env " + binding.env + "]")
        ->capture_default_str();
  }

  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP server and the e-mail sender.");
  CLI::App* migrate = app.add_subcommand("migrate", "Apply the database schema migrations.");
  CLI::App* org = app.add_subcommand("org", "Manage organizations.");
  org->require_subcommand(1);
  CLI::App* org_create = org->add_subcommand(
      "create", "Create an organization and invite its first admin by e-mail.");
  std::string name, admin_email, admin_name;
  org_create->add_option("--name", name, "the organization's name")->required();
  org_create->add_option("--admin-email", admin_email, "the first admin's e-mail")->required();
  org_create->add_option("--admin-name", admin_name, "the first admin's name");

  CLI::App* org_add_admin = org->add_subcommand(
      "add-admin",
      "Make someone an admin of an organization none of whose admins can sign in: invites him "
      "(a new one-time password if invited already), reactivates or promotes him.");
  std::string add_org, add_email, add_name;
  org_add_admin->add_option("--org", add_org, "the organization's ID")->required();
  org_add_admin->add_option("--email", add_email, "the admin's e-mail")->required();
  org_add_admin->add_option("--name", add_name, "his name, for a new account");

  CLI::App* user = app.add_subcommand("user", "Manage accounts.");
  user->require_subcommand(1);
  CLI::App* user_reset_mfa = user->add_subcommand(
      "reset-two-factor",
      "Turn off the two-factor sign-in of an account that lost its phone and recovery codes and "
      "that no admin may reset (it belongs to organizations with different admins); it is "
      "audited in each of its organizations and the person is told by e-mail.");
  std::string reset_email;
  user_reset_mfa->add_option("--email", reset_email, "the account's e-mail")->required();

  CLI::App* leads = app.add_subcommand("leads", "Manage leads.");
  leads->require_subcommand(1);
  CLI::App* leads_import = leads->add_subcommand(
      "import", "Import leads from CSV (name,email,company,assistant,owner_email): all or nothing.");
  std::string import_org, import_csv;
  leads_import->add_option("--org", import_org, "the organization's ID")->required();
  leads_import->add_option("--csv", import_csv, "the CSV file, with a header line")->required();

  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the SQLite database consistently, also while roster serve runs.");
  std::string backup_to;
  backup->add_option("--to", backup_to, "the file to write")->required();
  CLI::App* restore = app.add_subcommand(
      "restore", "Put a backup back in place of the SQLite database (roster serve stopped).");
  std::string restore_from;
  restore->add_option("--from", restore_from, "the backup file")->required();

  CLI::App* doctor = app.add_subcommand(
      "doctor", "Check the settings, the database, the mail transport and the console; exit 1 on a problem.");

  // A command's own --help shows its own options; the settings are the
  // program's, shown once by `roster --help`.
  for (CLI::App* command :
       {serve, migrate, org_create, org_add_admin, user_reset_mfa, leads_import, backup, restore,
        doctor}) {
    command->footer(
        "Settings: every option of `roster --help` (--db, --mail, --listen, ...), before or after "
        "the command, or its ROSTER_ environment variable.");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here too: their text, exit 0.
    if (error.get_exit_code() == 0) return app.exit(error);
    // A command line it cannot read: one line, as for a bad setting, and
    // exit 2 (a usage error; a bad setting's is 1).
    std::cerr << "roster: " << error.what() << " (roster --help lists the commands and settings)\n";
    return 2;
  }
  // The doctor reports a bad log setting among its findings.
  if (roster::Status logging = roster::cli::ConfigureLogging(settings); !logging.ok() && !doctor->parsed()) {
    std::cerr << "roster: " << logging.problem().detail << "\n";
    return 1;
  }
  if (doctor->parsed()) return roster::cli::RunDoctor(settings);
  if (roster::Status valid = roster::cli::CheckSettings(settings); !valid.ok()) {
    return roster::cli::Fail(valid.problem());
  }
  if (serve->parsed()) return roster::cli::RunServe(settings);
  if (migrate->parsed()) return roster::cli::RunMigrate(settings);
  if (org_create->parsed()) {
    return roster::cli::RunCreateOrganization(settings, name, admin_email, admin_name);
  }
  if (org_add_admin->parsed()) {
    return roster::cli::RunAddAdmin(settings, add_org, add_email, add_name);
  }
  if (user_reset_mfa->parsed()) return roster::cli::RunResetTwoFactor(settings, reset_email);
  if (leads_import->parsed()) return roster::cli::RunImportLeads(settings, import_org, import_csv);
  if (backup->parsed()) return roster::cli::RunBackup(settings, backup_to);
  if (restore->parsed()) return roster::cli::RunRestore(settings, restore_from);
  std::cerr << app.help();
  return 2;
}
