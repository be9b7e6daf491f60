// Tests of ImportDivisions on tests/fixtures/divisions/mini-dist (rows cut from the real package,
// see make_mini_dist.sh), into the in-memory store: counts, scopes, idempotence, bad rows.
#include "modules/divisions/importer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "modules/divisions/csv_reader.h"
#include "modules/divisions/problems.h"
#include "modules/divisions/testing/in_memory_division_store.h"

namespace gz::divisions {
namespace {

namespace fs = std::filesystem;

fs::path FixtureDir() {
  const char* root = std::getenv("GZ_SOURCE_DIR");
  EXPECT_NE(root, nullptr) << "GZ_SOURCE_DIR is set by ctest (cmake/gz.cmake)";
  return fs::path(root ? root : ".") / "tests/fixtures/divisions";
}

DivisionCode Code(std::string_view text) { return *DivisionCode::Parse(text); }

LevelCounts Inserted(const ImportReport& r) {
  LevelCounts c{};
  for (int i = 0; i < kLevelCount; ++i) c[i] = r.levels[i].inserted;
  return c;
}
LevelCounts Merged(const ImportReport& r) {
  LevelCounts c{};
  for (int i = 0; i < kLevelCount; ++i) c[i] = r.levels[i].merged;
  return c;
}

// A copy of mini-dist in a fresh temporary folder, for tests that change the files.
class TempDist {
 public:
  TempDist() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gz_divisions_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(FixtureDir() / "mini-dist"))
      fs::copy_file(entry.path(), dir_ / entry.path().filename());
  }
  ~TempDist() { fs::remove_all(dir_); }
  const fs::path& dir() const { return dir_; }
  void Append(std::string_view file, std::string_view lines) {
    std::ofstream out(dir_ / file, std::ios::app | std::ios::binary);
    out << lines;
  }
  std::string Read(std::string_view file) const {
    std::ifstream in(dir_ / file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(std::string_view file, std::string_view text) {
    std::ofstream out(dir_ / file, std::ios::trunc | std::ios::binary);
    out << text;
  }

 private:
  fs::path dir_;
};

ImportOptions AllOf(const fs::path& dir) {
  ImportOptions o;
  o.source_dir = dir;
  return o;
}

TEST(ImporterTest, ImportsEverythingAndMergesPlaceholders) {
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, AllOf(FixtureDir() / "mini-dist"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 3 provinces, 3 cities; counties 420114 and 350527 (东莞's area 441900 is its city);
  // 17 + 2 townships (金门's 350527000 is the county); 417 + 44 villages (350527000000 likewise).
  EXPECT_EQ(Inserted(*r), (LevelCounts{3, 3, 2, 19, 461}));
  EXPECT_EQ(Merged(*r), (LevelCounts{0, 0, 1, 1, 1}));
  EXPECT_EQ(r->bad(), 0) << (r->bad_rows.empty() ? "" : r->bad_rows[0].reason);
  EXPECT_EQ(r->rows_scanned, 3 + 3 + 3 + 20 + 462);
  EXPECT_EQ(r->divisions(), 488);
  EXPECT_EQ(*store.CountByLevel(std::nullopt), (LevelCounts{3, 3, 2, 19, 461}));

  // 东莞's towns hang directly under the city.
  Result<DivisionPage> dongguan = store.Children(Code("4419"), Page{});
  ASSERT_TRUE(dongguan.ok());
  ASSERT_EQ(dongguan->total, 2);
  EXPECT_EQ(dongguan->items[0].level(), Level::kTownship);
  EXPECT_EQ(store.Get(Code("4419"))->name, "东莞市");
}

TEST(ImporterTest, ReimportChangesNothing) {
  InMemoryDivisionStore store;
  ASSERT_TRUE(ImportDivisions(store, AllOf(FixtureDir() / "mini-dist")).ok());
  Result<ImportReport> again = ImportDivisions(store, AllOf(FixtureDir() / "mini-dist"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->inserted(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), 488);
  EXPECT_EQ(again->levels[LevelIndex(Level::kVillage)].unchanged, 461);
}

TEST(ImporterTest, RenamedDivisionIsUpdated) {
  TempDist dist;
  InMemoryDivisionStore store;
  ASSERT_TRUE(ImportDivisions(store, AllOf(dist.dir())).ok());
  // Rename the first township of 蔡甸 in the source (a derived copy of the real row).
  std::string streets = dist.Read("streets.csv");
  size_t at = streets.find("420114001,\"");
  ASSERT_NE(at, std::string::npos);
  streets.insert(at + 11, "新");
  dist.Write("streets.csv", streets);

  Result<ImportReport> r = ImportDivisions(store, AllOf(dist.dir()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->updated(), 1);
  EXPECT_EQ(r->levels[LevelIndex(Level::kTownship)].updated, 1);
  EXPECT_EQ(r->inserted(), 0);
  EXPECT_EQ(r->unchanged(), 487);
  EXPECT_TRUE(store.Get(Code("420114001"))->name.starts_with("新"));
}

// The county import must give exactly the shared extract of 蔡甸区, which was made separately.
TEST(ImporterTest, CountyScopeMatchesTheCaidianExtract) {
  InMemoryDivisionStore store;
  ImportOptions o = AllOf(FixtureDir() / "mini-dist");
  o.scope = Code("420114");
  Result<ImportReport> r = ImportDivisions(store, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Inserted(*r), (LevelCounts{1, 1, 1, 17, 417}));
  EXPECT_EQ(r->levels[LevelIndex(Level::kVillage)].read, 417);  // only the rows in scope
  EXPECT_EQ(r->rows_scanned, 491);                               // every row was looked at

  std::ifstream in(FixtureDir() / "county-420114-caidian.csv");
  ASSERT_TRUE(in);
  CsvReader reader(in);
  std::vector<std::string> f;
  ASSERT_EQ(reader.Next(&f), CsvReader::Outcome::kRecord);  // code,name,level,parent_code
  int rows = 0;
  while (reader.Next(&f) == CsvReader::Outcome::kRecord) {
    ++rows;
    Result<Division> d = store.Get(Code(f[0]));
    ASSERT_TRUE(d.ok()) << f[0];
    EXPECT_EQ(d->code.native(), f[0]);
    EXPECT_EQ(d->name, f[1]);
    EXPECT_EQ(LevelName(d->level()), f[2]);
    if (f[3].empty()) {
      EXPECT_FALSE(d->parent_code().has_value());
    } else {
      EXPECT_EQ(d->parent_code()->native(), f[3]);
    }
  }
  EXPECT_EQ(rows, 437);
  EXPECT_EQ(r->divisions(), rows);
}

TEST(ImporterTest, ProvinceScopeKeepsOnlyThatProvince) {
  InMemoryDivisionStore store;
  ImportOptions o = AllOf(FixtureDir() / "mini-dist");
  o.scope = Code("44");
  Result<ImportReport> r = ImportDivisions(store, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Inserted(*r), (LevelCounts{1, 1, 0, 2, 44}));
  EXPECT_EQ(Merged(*r), (LevelCounts{0, 0, 1, 0, 0}));
  EXPECT_FALSE(store.Get(Code("42")).ok());
}

TEST(ImporterTest, UnknownScopeIsNotFoundBeforeReadingVillages) {
  InMemoryDivisionStore store;
  ImportOptions o = AllOf(FixtureDir() / "mini-dist");
  o.scope = Code("420115");
  std::vector<std::string> files;
  Result<ImportReport> r = ImportDivisions(store, o, [&](const ImportProgress& p) {
    if (p.file_done) files.emplace_back(p.file);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().slug(), problems::kUnknownCode);
  EXPECT_EQ(r.status().Arg("code"), "420115000000");
  EXPECT_EQ(files, (std::vector<std::string>{"provinces.csv", "cities.csv", "areas.csv"}));
  EXPECT_EQ(store.upsert_calls(), 0);  // nothing written
}

TEST(ImporterTest, BadRowsAreReportedAndTheRestIsImported) {
  TempDist dist;
  // Each line below is a real 蔡甸 village row with one thing broken.
  dist.Append("villages.csv",
              "42011400100X,\"正街居委会\",420114001,42,4201,420114\n"   // 464: not-digits
              "4201140010011,\"正街居委会\",420114001,42,4201,420114\n"  // 465: bad-length
              "420114001,\"正街居委会\",420114001,42,4201,420114\n"      // 466: wrong-length
              "420114001901,\"正街居委会\",420114002,42,4201,420114\n"   // 467: parent-mismatch
              "420114001902,\"正街居委会\",420114001,42,4201,420115\n"   // 468: parent-mismatch
              "420114099001,\"正街居委会\",420114099,42,4201,420114\n"   // 469: orphan
              "420114001001,\"正街居委会\",420114001,42,4201,420114\n"   // 470: duplicate
              "420114001903,\"正街\"居委会\",420114001,42,4201,420114\n" // 471: text-after-quote
              "420114001904,\"正街居委会\",420114001\n"                  // 472: too-few-columns
              "420114001905,\"\",420114001,42,4201,420114\n"             // 473: empty-name
              "420114001906,\"正街,居委会\",420114001,42,4201,420114\n"); // 474: fine, comma in name
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, AllOf(dist.dir()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::pair<int64_t, std::string>> got;
  for (const BadRow& b : r->bad_rows) {
    EXPECT_EQ(b.file, "villages.csv");
    got.emplace_back(b.line, b.reason);
  }
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, std::string>>{
                     {464, "not-digits"},
                     {465, "bad-length"},
                     {466, "wrong-length"},
                     {467, "parent-mismatch"},
                     {468, "parent-mismatch"},
                     {469, "orphan"},
                     {470, "duplicate"},
                     {471, "text-after-quote"},
                     {472, "too-few-columns"},
                     {473, "empty-name"},
                 }));
  const LevelReport& villages = r->levels[LevelIndex(Level::kVillage)];
  EXPECT_EQ(villages.bad, 10);
  // Every row read is accounted for: 462 + 11 appended = new + merged (金门) + bad.
  EXPECT_EQ(villages.read, 473);
  EXPECT_EQ(villages.read, villages.inserted + villages.merged + villages.bad);
  EXPECT_EQ(r->levels[LevelIndex(Level::kVillage)].inserted, 462);  // 461 + the comma one
  EXPECT_EQ(r->bad_rows[0].code, "42011400100X");
}

TEST(ImporterTest, BadParentRowOrphansItsChildren) {
  TempDist dist;
  std::string streets = dist.Read("streets.csv");
  // Break the parent column of 蔡甸街道 (420114001): it and its villages are rejected.
  const std::string row = "420114001,\"蔡甸街道\",420114,";
  size_t at = streets.find(row);
  ASSERT_NE(at, std::string::npos);
  streets.replace(at, row.size(), "420114001,\"蔡甸街道\",420115,");
  dist.Write("streets.csv", streets);
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, AllOf(dist.dir()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->levels[LevelIndex(Level::kTownship)].bad, 1);
  int64_t orphans = r->levels[LevelIndex(Level::kVillage)].bad;
  EXPECT_GT(orphans, 0);
  EXPECT_EQ(r->levels[LevelIndex(Level::kVillage)].inserted + orphans, 461);
  EXPECT_FALSE(store.Get(Code("420114001001")).ok());
}

TEST(ImporterTest, ReportedBadRowsAreCappedButAllCounted) {
  TempDist dist;
  std::string lines;
  for (int i = 0; i < 30; ++i) lines += "x,\"正街居委会\",420114001,42,4201,420114\n";
  dist.Append("villages.csv", lines);
  ImportOptions o = AllOf(dist.dir());
  o.max_reported_bad_rows = 5;
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bad(), 30);
  EXPECT_EQ(r->bad_rows.size(), 5u);
}

TEST(ImporterTest, SmallBatchesGiveTheSameResult) {
  InMemoryDivisionStore store;
  ImportOptions o = AllOf(FixtureDir() / "mini-dist");
  o.batch_size = 7;
  Result<ImportReport> r = ImportDivisions(store, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Inserted(*r), (LevelCounts{3, 3, 2, 19, 461}));
  EXPECT_EQ(store.upsert_calls(), (488 + 6) / 7);
}

TEST(ImporterTest, ProgressCoversEveryFileToTheEnd) {
  InMemoryDivisionStore store;
  std::map<std::string, ImportProgress> last;
  std::vector<int> indexes;
  Result<ImportReport> r = ImportDivisions(store, AllOf(FixtureDir() / "mini-dist"), [&](const ImportProgress& p) {
    last[std::string(p.file)] = p;
    if (indexes.empty() || indexes.back() != p.file_index) indexes.push_back(p.file_index);
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(indexes, (std::vector<int>{1, 2, 3, 4, 5}));
  const ImportProgress& v = last["villages.csv"];
  EXPECT_TRUE(v.file_done);
  EXPECT_EQ(v.rows_read, 462);
  EXPECT_EQ(v.bytes_read, v.bytes_total);
  EXPECT_EQ(v.bytes_total, static_cast<int64_t>(fs::file_size(FixtureDir() / "mini-dist/villages.csv")));
  EXPECT_EQ(v.kept_total, 488);
}

TEST(ImporterTest, MissingFileStopsTheImport) {
  TempDist dist;
  fs::remove(dist.dir() / "streets.csv");
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, AllOf(dist.dir()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().slug(), problems::kBadSource);
  EXPECT_EQ(r.status().Arg("file"), "streets.csv");
  EXPECT_EQ(r.status().Arg("reason"), "missing-file");
}

TEST(ImporterTest, MissingParentColumnStopsTheImport) {
  TempDist dist;
  dist.Write("areas.csv", "code,name,provinceCode\n420114,\"蔡甸区\",42\n");
  InMemoryDivisionStore store;
  Result<ImportReport> r = ImportDivisions(store, AllOf(dist.dir()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().Arg("reason"), "missing-column");
  EXPECT_EQ(r.status().Arg("column"), "cityCode");
}

TEST(ImporterTest, StoreErrorStopsTheImport) {
  InMemoryDivisionStore store;
  store.FailNextUpsertForTest(Unavailable("storage/unavailable"));
  Result<ImportReport> r = ImportDivisions(store, AllOf(FixtureDir() / "mini-dist"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST(ScopeFlagTest, AcceptsTheFlagsLevelOnly) {
  EXPECT_EQ(ParseScopeCode("420114", Level::kCounty)->canonical(), "420114000000");
  EXPECT_EQ(ParseScopeCode("420114000000", Level::kCounty)->native(), "420114");
  EXPECT_EQ(ParseScopeCode("420000", Level::kProvince)->native(), "42");

  Result<DivisionCode> wrong = ParseScopeCode("42", Level::kCounty);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().slug(), problems::kWrongLevel);
  EXPECT_EQ(wrong.status().Arg("expected"), "county");
  EXPECT_EQ(wrong.status().Arg("actual"), "province");
  EXPECT_EQ(ParseScopeCode("441900", Level::kCounty).status().Arg("actual"), "city");
  EXPECT_EQ(ParseScopeCode("42a", Level::kCounty).status().slug(), problems::kBadCode);
}

}  // namespace
}  // namespace gz::divisions
