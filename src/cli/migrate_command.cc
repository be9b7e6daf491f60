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
            auto config = ResolveConfig(*flags, "migrate", /*log_it=*/false);
            if (!config.ok()) return ReportFailure("configuration", config.status());
            auto application = app::Application::Open(*config);
            if (!application.ok()) return ReportFailure("cannot open the store", application.status());
            int applied = 0;
            if (Status s = (*application)->Migrate(&applied); !s.ok()) return ReportFailure("cannot migrate", s);
            std::printf("%d migration(s) applied; the store is up to date (%zu known).\n", applied,
                        (*application)->migrations().size());
            return 0;
          }};
}

}  // namespace gz::cli
