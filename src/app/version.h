// Build identity, filled in by CMake at configure time (version.cc.in).
#pragma once

#include <string_view>

namespace gz::app {

std::string_view Version();     // "0.1.0"
std::string_view GitRevision(); // short commit id, or "unknown" outside a git checkout
std::string_view BuildType();   // "RelWithDebInfo", "Release", ...

}  // namespace gz::app
