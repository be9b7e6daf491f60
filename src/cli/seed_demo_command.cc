// gongzhi seed-demo: synthetic households and residents for every village of a county that has
// none yet (the county's divisions must be imported first). Idempotent.
#include <cstdio>

#include "app/application.h"
#include "cli/command.h"

namespace gz::cli {

Command AddSeedDemoCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "seed-demo", "Seed synthetic demo data (households and residents) into a county's villages");
  auto flags = std::make_shared<SettingFlags>();
  flags->AddTo(cmd, {"config", "data_dir", "database", "demo_county", "log_level"});
  return {cmd, [flags] {
            int exit_code = 1;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "seed-demo", /*log_config=*/false, &exit_code);
            if (!opened) return exit_code;
            const app::Config* config = &opened->config;
            app::Application& app = *opened->app;
            auto report = app.SeedDemo(config->demo_county);
            if (!report.ok()) return ReportFailure("cannot seed the demo data", report.status());
            if (report->residents_seeded)
              std::printf("Seeded county %s: %lld households, %lld residents (synthetic).\n", config->demo_county.c_str(),
                          static_cast<long long>(report->households), static_cast<long long>(report->residents));
            else
              std::printf("County %s already has its demo data (%lld households, %lld residents).\n",
                          config->demo_county.c_str(), static_cast<long long>(report->households),
                          static_cast<long long>(report->residents));
            return 0;
          }};
}

}  // namespace gz::cli
