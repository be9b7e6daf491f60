// gongzhi: the one binary. `gongzhi --help` lists the commands; `gongzhi <command> --help`
// explains each. Exit codes: 0 success, 1 failure (one clear line on stderr), 2 bad usage.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <vector>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App root{
      "gongzhi (共治): the open platform a county runs for all of its villages.\n"
      "Appeals answered on time, village affairs in public, decisions made together."};
  root.require_subcommand(1);
  root.fallthrough(false);
  std::vector<gz::cli::Command> commands = {
      gz::cli::AddServeCommand(root),
      gz::cli::AddMigrateCommand(root),
      gz::cli::AddMigrateStoreCommand(root),
      gz::cli::AddImportDivisionsCommand(root),
      gz::cli::AddSeedDemoCommand(root),
      gz::cli::AddVersionCommand(root),
      gz::cli::AddAccountCommand(root),
      gz::cli::AddKeysCommand(root),
      gz::cli::AddApiKeyCommand(root),
      gz::cli::AddTlogCommand(root),
      gz::cli::AddVerifyCommand(root),
      gz::cli::AddWitnessCommand(root),
      gz::cli::AddPbTallyCommand(root),
  };
  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    root.exit(e);
    std::fprintf(stderr, "Run 'gongzhi --help' for the commands, 'gongzhi <command> --help' for their options.\n");
    return 2;
  }
  for (auto& c : commands)
    if (c.app->parsed()) return c.run();
  return 2;
}
