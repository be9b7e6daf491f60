// Fixture data for divisions tests. Layer: divisions test support.
#include "modules/divisions/testing/division_fixtures.h"

#include <cstdlib>
#include <fstream>

#include "modules/divisions/csv_reader.h"

namespace gz::divisions {

std::filesystem::path DivisionFixtureDir() {
  const char* root = std::getenv("GZ_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "tests/fixtures/divisions";
}

std::vector<Division> MiniDistDivisions() {
  std::vector<Division> out;
  const std::pair<const char*, Level> files[] = {{"provinces.csv", Level::kProvince},
                                                 {"cities.csv", Level::kCity},
                                                 {"areas.csv", Level::kCounty},
                                                 {"streets.csv", Level::kTownship},
                                                 {"villages.csv", Level::kVillage}};
  for (const auto& [file, level] : files) {
    std::ifstream in(DivisionFixtureDir() / "mini-dist" / file);
    CsvReader reader(in);
    std::vector<std::string> f;
    reader.Next(&f);  // header
    while (reader.Next(&f) == CsvReader::Outcome::kRecord) {
      Result<DivisionCode> code = DivisionCode::Parse(f.at(0));
      if (!code.ok() || code->level() != level) continue;  // placeholders pad to their parent
      out.push_back(MakeDivision(*code, f.at(1)));
    }
  }
  return out;
}

}  // namespace gz::divisions
