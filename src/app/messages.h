// Every problem text of every module, in one catalog, for the HTTP layer and for the CLI.
// Layer: app (it knows every module).
#pragma once

#include <string>

#include "core/status.h"
#include "http/problem.h"

namespace gz::app {

// The catalog with the problems of every module registered.
const http::ProblemCatalog& Problems();

// "title: detail" of a failed Status for a person at a terminal; falls back to the slug and
// its arguments when the slug has no text.
std::string DescribeForPerson(const Status& status, bool chinese);

}  // namespace gz::app
