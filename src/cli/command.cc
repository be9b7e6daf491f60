#include "cli/command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "app/messages.h"
#include "core/log.h"

namespace gz::cli {

void SettingFlags::AddTo(CLI::App* command, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    const app::SettingSpec* spec = app::FindSetting(key);
    if (!spec) std::abort();  // a programming error in a command's key list
    auto entry = std::make_unique<Entry>();
    std::string help(spec->help);
    help += " [env " + std::string(spec->env);
    if (!spec->default_value.empty()) help += ", default " + std::string(spec->default_value);
    help += "]";
    if (spec->is_switch) {
      entry->is_switch = true;
      entry->option = command->add_flag(std::string(spec->flag), entry->switch_value, help);
    } else {
      entry->option = command->add_option(std::string(spec->flag), entry->value, help);
    }
    entries_[std::string(key)] = std::move(entry);
  }
}

std::map<std::string, std::string> SettingFlags::Given() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, e] : entries_) {
    if (e->option->count() == 0) continue;
    out[key] = e->is_switch ? (e->switch_value ? "true" : "false") : e->value;
  }
  return out;
}

Result<app::Config> ResolveConfig(const SettingFlags& flags, std::string_view command, bool log_it) {
  GZ_ASSIGN_OR_RETURN(app::ConfigValues values, app::LoadConfig(flags.Given(), &app::GetEnv));
  GZ_ASSIGN_OR_RETURN(app::Config config, app::ToConfig(values));
  // Log what will really be used, not the empty default the store URL is derived from.
  if (!values.IsSet("database")) values.Set("database", config.database_url, app::Source::kDefault);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.log_level, &level);
  log::SetMinLevel(level);
  if (log_it) app::LogEffectiveConfig(values, command);
  return config;
}

std::optional<OpenedStore> OpenMigratedStore(const SettingFlags& flags, std::string_view command, bool log_config,
                                             int* exit_code) {
  auto config = ResolveConfig(flags, command, log_config);
  if (!config.ok()) {
    *exit_code = ReportFailure("configuration", config.status());
    return std::nullopt;
  }
  auto application = app::Application::Open(*config);
  if (!application.ok()) {
    *exit_code = ReportFailure("cannot open the store", application.status());
    return std::nullopt;
  }
  OpenedStore opened{*config, std::move(*application), 0};
  if (Status s = opened.app->Migrate(&opened.migrations_applied); !s.ok()) {
    *exit_code = ReportFailure("cannot migrate the store", s);
    return std::nullopt;
  }
  return opened;
}

int ReportFailure(std::string_view what, const Status& status) {
  const char* lang = std::getenv("LANG");
  bool chinese = lang && std::string_view(lang).starts_with("zh");
  std::string text = app::DescribeForPerson(status, chinese);
  std::fprintf(stderr, "gongzhi: %.*s: %s\n", static_cast<int>(what.size()), what.data(), text.c_str());
  return 1;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace gz::cli
