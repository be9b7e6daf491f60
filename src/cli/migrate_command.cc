// gongzhi migrate: apply every pending schema migration, or say why not.
#include <cstdio>

#include "app/application.h"
#include "cli/command.h"

namespace gz::cli {

Command AddMigrateCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("migrate", "Apply pending schema migrations to the store");
  auto flags = std::make_shared<SettingFlags>();
  flags->AddTo(cmd, {"config", "data_dir", "database", "log_level"});
  return {cmd, [flags] {
            int exit_code = 1;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "migrate", /*log_config=*/false, &exit_code);
            if (!opened) return exit_code;
            std::printf("%d migration(s) applied; the store is up to date (%zu known).\n", opened->migrations_applied,
                        opened->app->migrations().size());
            return 0;
          }};
}

}  // namespace gz::cli
