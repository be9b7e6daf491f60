// Shared plumbing of the gongzhi subcommands (one file per subcommand in this folder).
// Layer: cli. Each subcommand declares which settings (app/config.h) it accepts; their values
// from flags, environment and config file are merged by app::LoadConfig in one place.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/application.h"
#include "app/config.h"
#include "core/status.h"

namespace gz::cli {

// Flag values given on the command line, by setting key.
class SettingFlags {
 public:
  // Adds one CLI option per setting key (its flag, help, env name and default in the help text).
  void AddTo(CLI::App* command, std::initializer_list<std::string_view> keys);
  // The flags that were given, by key; call after parsing.
  std::map<std::string, std::string> Given() const;

 private:
  struct Entry {
    CLI::Option* option = nullptr;
    std::string value;
    bool switch_value = false;
    bool is_switch = false;
  };
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// Merges flags, environment and config file into a validated Config; sets the log level.
Result<app::Config> ResolveConfig(const SettingFlags& flags, std::string_view command, bool log_it);

// What every command that touches the store starts with: the resolved configuration and an
// opened, fully migrated Application.
struct OpenedStore {
  app::Config config;
  std::unique_ptr<app::Application> app;
  int migrations_applied = 0;
};
// Resolves the configuration (logging it when `log_config`), opens the store and applies pending
// migrations. On failure prints one line for the person at the terminal, stores the exit code in
// *exit_code and returns nullopt.
std::optional<OpenedStore> OpenMigratedStore(const SettingFlags& flags, std::string_view command, bool log_config,
                                             int* exit_code);

// Prints a failed Status for a person at a terminal, in Chinese or English following LANG.
// Returns the exit code to use (1).
int ReportFailure(std::string_view what, const Status& status);

// Whether stderr is a terminal (progress bars are drawn only then).
bool StderrIsTerminal();

// Each subcommand registers itself; Run is called when it was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
Command AddServeCommand(CLI::App& root);
Command AddMigrateCommand(CLI::App& root);
Command AddMigrateStoreCommand(CLI::App& root);
Command AddImportDivisionsCommand(CLI::App& root);
Command AddSeedDemoCommand(CLI::App& root);
Command AddVersionCommand(CLI::App& root);
Command AddAccountCommand(CLI::App& root);
Command AddKeysCommand(CLI::App& root);
Command AddApiKeyCommand(CLI::App& root);
Command AddTlogCommand(CLI::App& root);
Command AddVerifyCommand(CLI::App& root);
Command AddWitnessCommand(CLI::App& root);
Command AddPbTallyCommand(CLI::App& root);

}  // namespace gz::cli
