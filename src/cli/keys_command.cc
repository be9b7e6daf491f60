// gongzhi keys: rotation of the master keys that seal personal data (key file <data-dir>/keys/field.key).
//
//   gongzhi keys list      --data-dir DIR             ids, which one seals new data, which one indexes
//   gongzhi keys add       --data-dir DIR [--activate] a fresh key (inactive unless --activate)
//   gongzhi keys activate  ID --data-dir DIR           make key ID seal new data
//
// Old keys stay in the file, so data sealed under them still opens. With a server running on the
// same store, rotate in two steps: `add` (inactive), restart the server, then `activate` and
// restart again; no process then meets data sealed under a key it has not loaded
// (src/crypto/key_file.h, decision 0008). Keys are never printed.

#include <cstdio>

#include "cli/command.h"
#include "crypto/crypto.h"
#include "crypto/key_file.h"

namespace gz::cli {
namespace {

Result<std::filesystem::path> KeyFileOf(const SettingFlags& flags) {
  GZ_ASSIGN_OR_RETURN(app::Config config, ResolveConfig(flags, "keys", /*log_it=*/false));
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  return crypto::DefaultKeyFilePath(config.data_dir);
}

}  // namespace

Command AddKeysCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("keys", "Rotate the master keys that seal personal data (never prints them)");
  cmd->require_subcommand(1);
  // One set of flags per subcommand: CLI11 binds each option to its own storage.
  auto list_flags = std::make_shared<SettingFlags>();
  auto add_flags = std::make_shared<SettingFlags>();
  auto activate_flags = std::make_shared<SettingFlags>();

  CLI::App* list = cmd->add_subcommand("list", "Show the key ids, and which seals new data and which computes indexes");
  list_flags->AddTo(list, {"config", "data_dir", "log_level"});
  CLI::App* add = cmd->add_subcommand("add", "Add a fresh random key (inactive unless --activate)");
  auto activate_now = std::make_shared<bool>(false);
  add->add_flag("--activate", *activate_now, "make the new key seal new data at once (single-process setups only)");
  add_flags->AddTo(add, {"config", "data_dir", "log_level"});
  CLI::App* activate = cmd->add_subcommand("activate", "Make an existing key seal new data");
  auto id = std::make_shared<int>(0);
  activate->add_option("id", *id, "key id (1..255), as `gongzhi keys list` shows")->required()->check(CLI::Range(1, 255));
  activate_flags->AddTo(activate, {"config", "data_dir", "log_level"});

  return {cmd, [=] {
            const SettingFlags& flags = list->parsed() ? *list_flags : add->parsed() ? *add_flags : *activate_flags;
            Result<std::filesystem::path> path = KeyFileOf(flags);
            if (!path.ok()) return ReportFailure("cannot find the key file", path.status());
            if (list->parsed()) {
              Result<crypto::KeyRing> ring = crypto::LoadKeyFile(*path);
              if (!ring.ok()) return ReportFailure("cannot read the key file", ring.status());
              std::printf("key file %s\n", path->c_str());
              for (uint8_t key_id : ring->ids())
                std::printf("  key %u%s%s\n", key_id, key_id == ring->active_id() ? "  seals new data" : "",
                            key_id == ring->index_id() ? "  computes blind indexes" : "");
              return 0;
            }
            if (add->parsed()) {
              Result<uint8_t> added = crypto::AddKeyToKeyFile(*path, *activate_now);
              if (!added.ok()) return ReportFailure("cannot add a key", added.status());
              std::printf("added key %u%s\n", *added,
                          *activate_now ? " (seals new data from now on; restart running servers)"
                                        : " (inactive: restart running servers, then `gongzhi keys activate`)");
              return 0;
            }
            Status s = crypto::SetActiveKeyInKeyFile(*path, static_cast<uint8_t>(*id));
            if (!s.ok()) return ReportFailure("cannot activate the key", s);
            std::printf("key %d seals new data from now on (restart running servers)\n", *id);
            return 0;
          }};
}

}  // namespace gz::cli
