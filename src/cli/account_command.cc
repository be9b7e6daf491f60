// gongzhi account: accounts administration from the server's shell, for what the API cannot do
// by design (nobody grants operator through the API, and a new deployment has nobody yet).
//
//   gongzhi account add --phone P --name N --role R --scope CODE
//       an active account holding R over CODE, with a one-time invitation code (72 h) to set its
//       password (POST /api/v1/invitations/accept); staff then sign in and enrol TOTP
//       (POST /api/v1/me/totp, /api/v1/me/totp/confirm) before anything else.
//   gongzhi account invite --phone P
//       a new invitation code for an existing account (a lost code, or a password reset by the
//       operator: accepting it sets a new password and ends every session).
// Whoever can run this can read the data folder and its keys anyway; every change is audited.
#include <cstdio>

#include "access/role.h"
#include "app/application.h"
#include "cli/command.h"
#include "modules/identity/problems.h"

namespace gz::cli {
namespace {

std::string TimeText(int64_t unix_ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(unix_ms))); }

void PrintInvitation(const identity::Invitation& inv, std::string_view phone) {
  std::printf("Invitation code: %s (valid until %s, once)\n", inv.code.c_str(), TimeText(inv.expires_at_ms).c_str());
  std::printf("Next: POST /api/v1/invitations/accept {\"code\":\"%s\",\"phone\":\"%.*s\",\"password\":\"...\"}\n",
              inv.code.c_str(), static_cast<int>(phone.size()), phone.data());
  std::printf("      then sign in; staff enrol an authenticator app first (POST /api/v1/me/totp, /api/v1/me/totp/confirm).\n");
}

}  // namespace

Command AddAccountCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("account", "Create accounts and invitation codes from the server's shell");
  cmd->require_subcommand(1);

  struct Args {
    std::string phone, name, role, scope;
  };
  auto args = std::make_shared<Args>();
  CLI::App* add = cmd->add_subcommand("add", "Create an active account with one role (e.g. the first operator)");
  add->add_option("--phone", args->phone, "mobile number (11 digits)")->required();
  add->add_option("--name", args->name, "display name")->required();
  add->add_option("--role", args->role,
                  "villager, helper, grid_worker, village_cadre, supervisor, township_official, county_admin, auditor, operator")
      ->required();
  add->add_option("--scope", args->scope, "division code of the role's area (e.g. 420114)")->required();
  CLI::App* invite = cmd->add_subcommand("invite", "Issue a new invitation code for an existing account");
  invite->add_option("--phone", args->phone, "the account's mobile number")->required();
  // Each subcommand takes the store settings itself: `gongzhi account add --data-dir D ...`.
  auto add_flags = std::make_shared<SettingFlags>();
  add_flags->AddTo(add, {"config", "data_dir", "database", "log_level"});
  auto invite_flags = std::make_shared<SettingFlags>();
  invite_flags->AddTo(invite, {"config", "data_dir", "database", "log_level"});

  return {cmd, [add_flags, invite_flags, args, add, invite] {
            std::optional<access::Role> role;
            if (add->parsed()) {
              role = access::ParseRole(args->role);
              if (!role) {
                std::fprintf(stderr, "gongzhi: unknown role '%s'\n", args->role.c_str());
                return 2;
              }
            }
            int exit_code = 1;
            const SettingFlags& flags = add->parsed() ? *add_flags : *invite_flags;
            std::optional<OpenedStore> opened = OpenMigratedStore(flags, "account", /*log_config=*/false, &exit_code);
            if (!opened) return exit_code;
            identity::AccountService& accounts = opened->app->accounts();
            if (add->parsed()) {
              auto created = accounts.CreateWithRole(args->phone, args->name, *role, args->scope);
              if (!created.ok()) return ReportFailure("cannot create the account", created.status());
              const identity::AccountRow& a = created->view.account.account;
              std::printf("Created account %lld: %s over %s, phone %s.\n", static_cast<long long>(a.id),
                          args->role.c_str(), a.home_division.c_str(), created->view.phone_masked.c_str());
              PrintInvitation(created->invitation, args->phone);
              return 0;
            }
            if (invite->parsed()) {
              auto found = accounts.FindByPhone(args->phone);
              if (!found.ok()) return ReportFailure("cannot read the accounts", found.status());
              if (!found->has_value())
                return ReportFailure("cannot invite", NotFound(std::string(identity::problems::kAccountNotFound)));
              auto inv = accounts.Reinvite((*found)->account.id);
              if (!inv.ok()) return ReportFailure("cannot invite", inv.status());
              PrintInvitation(*inv, args->phone);
              return 0;
            }
            return 2;
          }};
}

}  // namespace gz::cli
