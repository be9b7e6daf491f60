#include "modules/residents/id_number.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "modules/residents/problems.h"

namespace gz::residents {
namespace {

const CivilDate kToday{2026, 11, 28};

std::string FixturePath(const char* name) {
  return std::string(GZ_RESIDENTS_FIXTURES) + "/" + name;
}

struct Vector {
  std::string number;
  bool valid;
  std::string reason;
};

std::vector<Vector> LoadVectors() {
  std::ifstream in(FixturePath("id-vectors.csv"));
  std::vector<Vector> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t a = line.find(',');
    const size_t b = line.find(',', a + 1);
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1) == "true", line.substr(b + 1)});
  }
  return out;
}

// The reason each invalid vector must be rejected with (the CSV explains each in prose).
const std::map<std::string, std::string> kExpectedReason = {
    {"420114200001019990", "check-char"},      {"42011720020301999x", "lowercase-x"},
    {"42011420000101999", "length"},           {"4201142000010199921", "length"},
    {"42011420A001019992", "non-digit"},       {"420114200002309991", "birth-date"},
    {"42011420001301999X", "birth-date"},      {"420114200102299989", "birth-date"},
    {"420114209901019999", "birth-in-future"}, {"000000200001019990", "region"},
};

TEST(IdNumberVectorsTest, EveryRowOfTheFixtureBehavesAsDocumented) {
  const std::vector<Vector> vectors = LoadVectors();
  ASSERT_EQ(vectors.size(), 20u) << "fixture missing or changed: " << FixturePath("id-vectors.csv");
  int valid = 0, invalid = 0;
  for (const Vector& v : vectors) {
    Result<IdNumberInfo> parsed = ParseIdNumber(v.number, kToday);
    if (v.valid) {
      ++valid;
      ASSERT_TRUE(parsed.ok()) << v.number << " (" << v.reason << "): " << parsed.status().ToString();
      EXPECT_EQ(parsed->region_code, v.number.substr(0, 6));
      EXPECT_EQ(FormatDate(parsed->birth_date), v.number.substr(6, 4) + "-" + v.number.substr(10, 2) + "-" + v.number.substr(12, 2));
      EXPECT_EQ(parsed->sequence, std::stoi(v.number.substr(14, 3)));
      EXPECT_EQ(parsed->gender, parsed->sequence % 2 ? Gender::kMale : Gender::kFemale);
      EXPECT_TRUE(HasSyntheticSequence(v.number)) << v.number;
    } else {
      ++invalid;
      ASSERT_FALSE(parsed.ok()) << v.number << " (" << v.reason << ")";
      EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
      EXPECT_EQ(parsed.status().slug(), problems::kBadIdNumber);
      ASSERT_TRUE(kExpectedReason.count(v.number)) << "no expected reason for " << v.number;
      EXPECT_EQ(parsed.status().Arg("reason"), kExpectedReason.at(v.number)) << v.number << " (" << v.reason << ")";
      // The number itself never appears in the status (it may be logged).
      EXPECT_EQ(parsed.status().ToString().find(v.number.substr(0, 14)), std::string::npos);
    }
  }
  EXPECT_EQ(valid, 10);
  EXPECT_EQ(invalid, 10);
}

TEST(IdNumberTest, DocumentedXRule) {
  // Strict parser: uppercase only. Normalizer: folds what people type.
  EXPECT_TRUE(ParseIdNumber("42011720020301999X", kToday).ok());
  EXPECT_EQ(ParseIdNumber("42011720020301999x", kToday).status().Arg("reason"), "lowercase-x");
  EXPECT_EQ(NormalizeIdNumber("42011720020301999x"), "42011720020301999X");
  EXPECT_TRUE(ParseIdNumber(NormalizeIdNumber(" 420117 20020301 999x "), kToday).ok());
  // Full-width digits and Ｘ from Chinese input methods.
  EXPECT_EQ(NormalizeIdNumber("４２０１１７２００２０３０１９９９Ｘ"), "42011720020301999X");
  EXPECT_EQ(NormalizeIdNumber("42011720020301999ｘ"), "42011720020301999X");
}

TEST(IdNumberTest, BirthDateBoundaries) {
  auto make = [](std::string body17) { return body17 + IdNumberCheckChar(body17); };
  EXPECT_TRUE(ParseIdNumber(make("42011420261128999"), kToday).ok());  // born today
  EXPECT_EQ(ParseIdNumber(make("42011420261129999"), kToday).status().Arg("reason"), "birth-in-future");
  EXPECT_TRUE(ParseIdNumber(make("42011419000101999"), kToday).ok());
  EXPECT_EQ(ParseIdNumber(make("42011418991231999"), kToday).status().Arg("reason"), "birth-before-1900");
  EXPECT_TRUE(ParseIdNumber(make("42011419600229999"), kToday).ok());   // 1960 leap
  EXPECT_EQ(ParseIdNumber(make("42011419000229999"), kToday).status().Arg("reason"), "birth-date");  // 1900 not leap
  EXPECT_TRUE(ParseIdNumber(make("42011420000229999"), kToday).ok());   // 2000 leap (400 rule)
  EXPECT_EQ(ParseIdNumber(make("42011420000431999"), kToday).status().Arg("reason"), "birth-date");
  EXPECT_EQ(ParseIdNumber(make("42011420000100999"), kToday).status().Arg("reason"), "birth-date");
  EXPECT_EQ(ParseIdNumber(make("42011420000001999"), kToday).status().Arg("reason"), "birth-date");
}

TEST(IdNumberTest, RegionPlausibility) {
  auto make = [](std::string body17) { return body17 + IdNumberCheckChar(body17); };
  EXPECT_TRUE(ParseIdNumber(make("65010119800101999"), kToday).ok());   // Xinjiang
  EXPECT_TRUE(ParseIdNumber(make("81000019800101999"), kToday).ok());   // HK residence permit
  EXPECT_EQ(ParseIdNumber(make("81010119800101999"), kToday).status().Arg("reason"), "region");
  EXPECT_EQ(ParseIdNumber(make("42000019800101999"), kToday).status().Arg("reason"), "region");
  for (const char* p : {"00", "10", "16", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66", "71", "80", "84", "91", "99"}) {
    EXPECT_EQ(ParseIdNumber(make(std::string(p) + "011419800101999"), kToday).status().Arg("reason"), "region") << p;
  }
}

TEST(IdNumberTest, MakeIdNumberBuildsValidNumbersAndRefusesImpossibleOnes) {
  auto made = MakeIdNumber("420114", {2000, 1, 1}, 999);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made, "420114200001019992");  // first row of id-vectors.csv
  EXPECT_EQ(*MakeIdNumber("420117", {2002, 3, 1}, 999), "42011720020301999X");
  EXPECT_FALSE(MakeIdNumber("420114", {2001, 2, 29}, 999).ok());
  EXPECT_FALSE(MakeIdNumber("000000", {2000, 1, 1}, 999).ok());
  EXPECT_FALSE(MakeIdNumber("42011", {2000, 1, 1}, 999).ok());
  EXPECT_FALSE(MakeIdNumber("420114", {2000, 1, 1}, 1000).ok());
  EXPECT_FALSE(HasSyntheticSequence("420114200001019951"));
}

// ---- T-ID: 10^5 random bodies against an independent oracle --------------------------------

// ISO 7064 MOD 11-2 by its recursive definition (Horner form), not by the weight table used in
// id_number.cc: P = ((P + d) * 2) mod 11 over the 17 digits; check value = (12 - P) mod 11.
char OracleCheckChar(const std::string& body) {
  int p = 0;
  for (char c : body) p = ((p + (c - '0')) * 2) % 11;
  const int v = (12 - p) % 11;
  return v == 10 ? 'X' : static_cast<char>('0' + v);
}

// Calendar validity by the standard library's C++20 calendar, independent of civil_date.cc.
bool OracleDateOk(int y, int m, int d) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  return ymd.ok() && y >= 1900 && ymd <= year_month_day{year{2026}, month{11}, day{28}};
}

bool OracleRegionOk(const std::string& r) {
  static const std::set<std::string> kProvinces = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33",
                                                   "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50",
                                                   "51", "52", "53", "54", "61", "62", "63", "64", "65"};
  if (r == "810000" || r == "820000" || r == "830000") return true;
  return kProvinces.count(r.substr(0, 2)) && r.substr(2) != "0000";
}

TEST(IdNumberPropertyTest, HundredThousandRandomBodiesAgreeWithTheOracle) {
  std::mt19937_64 rng(20261128);
  auto digit = [&] { return static_cast<char>('0' + rng() % 10); };
  const std::string regions[] = {"420114", "320281", "110101", "650101", "810000", "420000", "000000", "990101"};
  int accepted = 0, rejected_check = 0, checked = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string body;
    if (i % 2 == 0) {  // plausible shape: known region, date near the valid range
      body = regions[rng() % std::size(regions)];
      char date[9];
      std::snprintf(date, sizeof date, "%04d%02d%02d", 1890 + static_cast<int>(rng() % 140),
                    1 + static_cast<int>(rng() % 13), static_cast<int>(rng() % 32));
      body += date;
      for (int k = 0; k < 3; ++k) body += digit();
    } else {  // anything
      for (int k = 0; k < 17; ++k) body += digit();
    }
    const char good = OracleCheckChar(body);
    const int y = std::stoi(body.substr(6, 4)), m = std::stoi(body.substr(10, 2)), d = std::stoi(body.substr(12, 2));
    const bool rest_ok = OracleRegionOk(body.substr(0, 6)) && m >= 1 && m <= 12 && d >= 1 && OracleDateOk(y, m, d);

    Result<IdNumberInfo> with_good = ParseIdNumber(body + good, kToday);
    ASSERT_EQ(with_good.ok(), rest_ok) << body << good << " " << with_good.status().ToString();
    if (with_good.ok()) {
      ++accepted;
      ASSERT_EQ(with_good->gender, (body[16] - '0') % 2 ? Gender::kMale : Gender::kFemale);
    } else {
      ASSERT_NE(with_good.status().Arg("reason"), "check-char") << body << good;
    }
    // Every other check character is refused, as "check-char" (checked before region and date).
    for (char wrong : std::string("0123456789X")) {
      if (wrong == good) continue;
      ++checked;
      Result<IdNumberInfo> bad = ParseIdNumber(body + wrong, kToday);
      ASSERT_FALSE(bad.ok()) << body << wrong;
      ASSERT_EQ(bad.status().Arg("reason"), "check-char") << body << wrong;
      ++rejected_check;
    }
  }
  EXPECT_GT(accepted, 5000);  // the generator really exercises the accepting path
  EXPECT_EQ(rejected_check, checked);
}

}  // namespace
}  // namespace gz::residents
