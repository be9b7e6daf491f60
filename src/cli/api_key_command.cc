// gongzhi api-key: the api keys of Open311 client applications, from the server's shell.
//
//   gongzhi api-key create --name NAME --scope DIVISION_CODE [--data-dir DIR | --database URL]
//       issues a key for a client working in the county, township or village DIVISION_CODE. The
//       key alone is printed on stdout (KEY=$(gongzhi api-key create ...)); what it is, on stderr.
//       Only its SHA-256 is stored: a lost key cannot be shown again, only revoked and replaced.
//   gongzhi api-key list [...]
//       every client: id, status, scope, the key's first characters, name, when it was issued
//   gongzhi api-key revoke ID [--reason TEXT] [...]
//       the key is refused from the next request on
//
// County administrators do the same through the API (POST /api/v1/open311/clients, inside their
// area). Whoever can run this can read the data folder and its keys anyway; every change is
// audited (actor 0, details "via":"cli"). src/modules/open311/README.md.
#include <cstdio>

#include "app/application.h"
#include "cli/command.h"
#include "modules/open311/client_service.h"

namespace gz::cli {
namespace {

std::string TimeText(int64_t unix_ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(unix_ms))); }

}  // namespace

Command AddApiKeyCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("api-key", "Issue, list and revoke the api keys of Open311 client applications");
  cmd->require_subcommand(1);

  struct Args {
    std::string name, scope, reason;
    int64_t id = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* create = cmd->add_subcommand("create", "Issue a key for a client application (printed once, on stdout)");
  create->add_option("--name", args->name, "the application's name, e.g. 蔡甸随手拍")->required();
  create->add_option("--scope", args->scope, "division code of the county, township or village it serves (e.g. 420114)")
      ->required();
  CLI::App* list = cmd->add_subcommand("list", "Show every client: id, status, scope, key hint, name");
  CLI::App* revoke = cmd->add_subcommand("revoke", "Revoke a client's key at once");
  revoke->add_option("id", args->id, "the client id, as `gongzhi api-key list` shows it")->required()->check(
      CLI::PositiveNumber);
  revoke->add_option("--reason", args->reason, "why (kept with the client, at most 200 characters)");
  auto create_flags = std::make_shared<SettingFlags>();
  create_flags->AddTo(create, {"config", "data_dir", "database", "log_level"});
  auto list_flags = std::make_shared<SettingFlags>();
  list_flags->AddTo(list, {"config", "data_dir", "database", "log_level"});
  auto revoke_flags = std::make_shared<SettingFlags>();
  revoke_flags->AddTo(revoke, {"config", "data_dir", "database", "log_level"});

  return {cmd, [=] {
            const SettingFlags& flags = create->parsed() ? *create_flags : list->parsed() ? *list_flags : *revoke_flags;
            int exit_code = 1;
            std::optional<OpenedStore> opened = OpenMigratedStore(flags, "api-key", /*log_config=*/false, &exit_code);
            if (!opened) return exit_code;
            open311::ClientService& clients = opened->app->open311_clients();
            if (create->parsed()) {
              Result<open311::IssuedClient> issued = clients.Create(nullptr, args->name, args->scope);
              if (!issued.ok()) return ReportFailure("cannot issue the key", issued.status());
              std::fprintf(stderr, "Issued client %lld over %s: %s. The key below is shown once; only its hash is kept.\n",
                           static_cast<long long>(issued->client.id), issued->client.scope.c_str(),
                           issued->client.name.c_str());
              std::printf("%s\n", issued->key.c_str());
              std::fflush(stdout);
              return 0;
            }
            if (list->parsed()) {
              Result<std::vector<open311::Client>> all = clients.List(std::nullopt);
              if (!all.ok()) return ReportFailure("cannot list the clients", all.status());
              std::printf("%-20s %-8s %-12s %-11s %-25s %s\n", "id", "status", "scope", "key", "issued", "name");
              for (const open311::Client& c : *all)
                std::printf("%-20lld %-8s %-12s %-11s %-25s %s\n", static_cast<long long>(c.id),
                            c.revoked() ? "revoked" : "active", c.scope.c_str(), (c.key_hint + "…").c_str(),
                            TimeText(c.created_at_ms).c_str(), c.name.c_str());
              return 0;
            }
            Result<open311::Client> revoked = clients.Revoke(nullptr, args->id, args->reason);
            if (!revoked.ok()) return ReportFailure("cannot revoke the key", revoked.status());
            std::printf("Revoked the key of client %lld (%s); it is refused from now on.\n",
                        static_cast<long long>(revoked->id), revoked->name.c_str());
            return 0;
          }};
}

}  // namespace gz::cli
