// gongzhi version: what this binary is.

#include <cstdio>

#include "app/version.h"
#include "cli/command.h"

namespace gz::cli {

Command AddVersionCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("version", "Print the version and the commit it was built from");
  return {cmd, [] {
            std::printf("gongzhi %.*s (commit %.*s, %.*s build)\n", static_cast<int>(app::Version().size()),
                        app::Version().data(), static_cast<int>(app::GitRevision().size()), app::GitRevision().data(),
                        static_cast<int>(app::BuildType().size()), app::BuildType().data());
            return 0;
          }};
}

}  // namespace gz::cli
