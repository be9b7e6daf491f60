// The dry run on the in-memory resident store: grouping, every reject reason, updates, Excel
// dates, and what the report may show.
#include "modules/residents/import/import_validator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/import/testing/register_files.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents::import {
namespace {

namespace reason = problems::reason;
using testing::Sheet;
using testing::SyntheticId;

constexpr std::string_view kRegion = "420102";
const std::vector<std::string> kHeader = {"户号", "姓名", "性别", "出生日期", "身份证号", "与户主关系", "手机号", "住址", "特殊标识"};
//                                         A       B       C       D           E           F             G         H       I

crypto::FieldCipher NewCipher() {
  EXPECT_TRUE(crypto::Initialize().ok());
  auto c = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

std::string Id(CivilDate born, int seq) { return SyntheticId(kRegion, born, seq); }

// A 17-digit body with its check character, valid or not otherwise.
std::string WithCheck(std::string body17) { return body17 + IdNumberCheckChar(body17); }

class ValidatorTest : public ::testing::Test {
 protected:
  Result<ValidatedImport> Run(const Sheet& rows, bool with_header = true) {
    Sheet sheet;
    if (with_header) sheet.push_back(kHeader);
    sheet.insert(sheet.end(), rows.begin(), rows.end());
    return ValidateFile(testing::CsvOf(sheet), Context(), ImportLimits{}, lookup_, {});
  }
  ValidationContext Context() const { return ValidationContext{village_, CivilDate{2026, 11, 28}, ""}; }

  static const RowReport& At(const ValidatedImport& v, int32_t row) {
    for (const RowReport& r : v.report.rows)
      if (r.row == row) return r;
    static const RowReport none;
    ADD_FAILURE() << "no row " << row;
    return none;
  }
  static bool Has(const RowReport& r, std::string_view code, std::string_view column = "*") {
    for (const Reason& reason : r.reasons)
      if (reason.code == code && (column == "*" || reason.column == column)) return true;
    return false;
  }
  static std::string Codes(const RowReport& r) {
    std::string out;
    for (const Reason& reason : r.reasons) out += reason.code + "@" + reason.column + "(" + reason.detail + ") ";
    return out;
  }

  // Registers a household directly (no import): `village`, head first.
  HouseholdId Register(std::string village, std::vector<NewResident> members) {
    NewHousehold h{std::move(village), {"9组9号"}, std::move(members)};
    Result<HouseholdId> id = registry_.CreateHousehold(h);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : HouseholdId{};
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 in China
  crypto::FieldCipher cipher_ = NewCipher();
  InMemoryResidentStore store_;
  ResidentRegistry registry_{store_, cipher_, clock_};
  RegistryLookup lookup_{registry_, store_, cipher_};
  std::string village_ = "420114001205";
};

TEST_F(ValidatorTest, ASampleRegisterWithATitleLineBecomesThreeNewHouseholds) {
  Result<ValidatedImport> v = ValidateFile(testing::CsvOf(testing::SampleRegister()), Context(), {}, lookup_, {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->report.header_row, 2);
  EXPECT_EQ(v->report.format, "csv");
  EXPECT_EQ(v->report.totals.rows, 7);
  EXPECT_EQ(v->report.totals.create, 7);
  EXPECT_EQ(v->report.totals.reject, 0);
  EXPECT_EQ(v->report.totals.households, 3);
  ASSERT_EQ(v->plan.households.size(), 3u);
  EXPECT_EQ(v->plan.households[0].household.members.size(), 3u);
  EXPECT_EQ(v->plan.households[0].household.personal.address, "1组12号");
  EXPECT_EQ(v->plan.households[1].household.members[0].personal.flags,
            (std::vector<std::string>{"elderly_alone", "low_income"}));
  // Household 003: the address of the head, the phone normalized, 长女 is a child.
  const NewHousehold& third = v->plan.households[2].household;
  EXPECT_EQ(third.personal.address, "3组7号");
  EXPECT_EQ(third.members[0].personal.phone, std::optional<std::string>("15400001005"));
  EXPECT_EQ(third.members[2].relation, Relation::kChild);
  EXPECT_EQ(v->plan.Writes(), 7);
  // The report shows masked values only.
  const RowReport& first = At(*v, 3);
  EXPECT_EQ(first.name, "王**");
  EXPECT_EQ(first.id_number.substr(0, 6), "420102");
  EXPECT_NE(first.id_number.find("********"), std::string::npos);
  EXPECT_EQ(first.household, "001");
  EXPECT_EQ(first.household_row, 3);
  EXPECT_EQ(At(*v, 9).household_row, 7);
}

TEST_F(ValidatorTest, EmptyHouseholdNumbersContinueTheHouseholdAboveUnlessAHeadStartsOne) {
  Sheet rows = {
      {"005", "赵一", "", "", Id({1960, 1, 1}, 999), "户主", "", "1组1号", ""},
      {"", "钱二", "", "", Id({1962, 1, 1}, 998), "配偶", "", "", ""},  // merged 户号 cell
      {"", "孙三", "", "", Id({1950, 1, 1}, 999), "户主", "", "2组2号", ""},  // no number, a head: new household
      {"", "李四", "", "", Id({1980, 1, 1}, 999), "子", "", "", ""},
      {"005", "周五", "", "", Id({1990, 1, 1}, 997), "子", "", "", ""},  // back in 005, further down
  };
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->plan.households.size(), 2u);
  EXPECT_EQ(v->plan.households[0].rows, (std::vector<int32_t>{2, 3, 6}));
  EXPECT_EQ(v->plan.households[1].rows, (std::vector<int32_t>{4, 5}));
  EXPECT_EQ(At(*v, 3).household, "005");
  EXPECT_EQ(At(*v, 5).household, "");
  EXPECT_EQ(At(*v, 5).household_row, 4);
}

TEST_F(ValidatorTest, WithoutAHouseholdColumnEachHeadStartsAHousehold) {
  Sheet sheet = {
      {"姓名", "公民身份号码", "与户主关系", "家庭住址"},
      {"赵一", Id({1960, 1, 1}, 999), "户主", "1组1号"},
      {"钱二", Id({1962, 1, 1}, 998), "配偶", ""},
      {"孙三", Id({1950, 1, 1}, 999), "户主", "2组2号"},
  };
  Result<ValidatedImport> v = Run(sheet, /*with_header=*/false);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->plan.households.size(), 2u);
  EXPECT_EQ(v->plan.households[0].rows, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(v->plan.households[1].rows, (std::vector<int32_t>{4}));
}

TEST_F(ValidatorTest, RowFieldReasonsNameTheirColumn) {
  Sheet rows = {
      {"001", "赵一", "", "", Id({1960, 1, 1}, 999), "户主", "", "1组1号", ""},
      {"001", "", "", "", Id({1962, 1, 1}, 998), "配偶", "", "", ""},                        // 3 missing-name
      {"001", "钱二", "", "", "", "子", "", "", ""},                                          // 4 missing-id-number
      {"001", "孙三", "", "", WithCheck("42010219900101999").substr(0, 17) + "0", "子", "", "", ""},  // 5 check-char (maybe)
      {"001", "李四", "", "", WithCheck("42010219900230999"), "子", "", "", ""},             // 6 impossible date in the number
      {"001", "周五", "", "1990-01-02", Id({1990, 1, 1}, 997), "子", "", "", ""},            // 7 birth-date-mismatch
      {"001", "吴六", "女", "", Id({1991, 1, 1}, 999), "子", "", "", ""},                    // 8 gender-mismatch (999 is male)
      {"001", "郑七", "", "", Id({1992, 1, 1}, 999), "邻居", "", "", ""},                     // 9 bad-relation
      {"001", "王八", "", "", Id({1993, 1, 1}, 999), "弟弟", "", "", ""},                     // 10 unsupported-relation
      {"001", "冯九", "", "", Id({1994, 1, 1}, 999), "子", "1380013800", "", ""},             // 11 bad-phone (10 digits)
      {"001", "陈十", "", "", Id({1995, 1, 1}, 999), "子", "", "", "五保户"},                 // 12 bad-flag
      {"001", "褚一", "", "1990-02-30", Id({1990, 2, 28}, 999), "子", "", "", ""},           // 13 impossible birth date cell
      {"001", "卫二", "未知", "", Id({1996, 1, 1}, 999), "子", "", "", ""},                   // 14 bad-gender
      {"001", "蒋三", "", "", Id({1997, 1, 1}, 999), "", "", "", ""},                         // 15 missing-relation
      {"001", std::string(60, 'x'), "", "", Id({1998, 1, 1}, 999), "子", "", "", ""},         // 16 bad-name (too long)
  };
  // Row 5 must really carry a wrong check character.
  std::string good = Id({1990, 1, 1}, 999);
  rows[3][4] = good.substr(0, 17) + (good[17] == '0' ? "1" : "0");
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(At(*v, 2).outcome, Outcome::kCreate) << Codes(At(*v, 2));
  EXPECT_TRUE(Has(At(*v, 3), reason::kMissingName, "B")) << Codes(At(*v, 3));
  EXPECT_TRUE(Has(At(*v, 4), reason::kMissingIdNumber, "E")) << Codes(At(*v, 4));
  EXPECT_TRUE(Has(At(*v, 5), reason::kBadIdNumber, "E")) << Codes(At(*v, 5));
  EXPECT_EQ(At(*v, 5).reasons[0].detail, "check-char");
  EXPECT_TRUE(Has(At(*v, 6), reason::kImpossibleBirthDate, "E")) << Codes(At(*v, 6));
  EXPECT_EQ(At(*v, 6).reasons[0].detail, "birth-date");
  EXPECT_TRUE(Has(At(*v, 7), reason::kBirthDateMismatch, "D")) << Codes(At(*v, 7));
  EXPECT_TRUE(Has(At(*v, 8), reason::kGenderMismatch, "C")) << Codes(At(*v, 8));
  EXPECT_TRUE(Has(At(*v, 9), reason::kBadRelation, "F")) << Codes(At(*v, 9));
  EXPECT_TRUE(Has(At(*v, 10), reason::kUnsupportedRelation, "F")) << Codes(At(*v, 10));
  EXPECT_TRUE(Has(At(*v, 11), reason::kBadPhone, "G")) << Codes(At(*v, 11));
  EXPECT_TRUE(Has(At(*v, 12), reason::kBadFlag, "I")) << Codes(At(*v, 12));
  EXPECT_TRUE(Has(At(*v, 13), reason::kImpossibleBirthDate, "D")) << Codes(At(*v, 13));
  EXPECT_EQ(At(*v, 13).reasons[0].detail, "not-a-calendar-day");
  EXPECT_TRUE(Has(At(*v, 14), reason::kBadGender, "C")) << Codes(At(*v, 14));
  EXPECT_TRUE(Has(At(*v, 15), reason::kMissingRelation, "F")) << Codes(At(*v, 15));
  EXPECT_TRUE(Has(At(*v, 16), reason::kBadName, "B")) << Codes(At(*v, 16));
  EXPECT_EQ(v->report.totals.create, 1);
  EXPECT_EQ(v->report.totals.reject, 14);
  // Rejected rows stay out of the household; the head and its valid rows are created.
  ASSERT_EQ(v->plan.households.size(), 1u);
  EXPECT_EQ(v->plan.households[0].rows, (std::vector<int32_t>{2}));
}

TEST_F(ValidatorTest, AnIdNumberTwiceInTheFileRejectsBothRowsCitingTheOther) {
  const std::string same = Id({1970, 3, 3}, 999);
  Sheet rows = {
      {"001", "赵一", "", "", same, "户主", "", "1组1号", ""},
      {"002", "赵一", "", "", same, "户主", "", "2组2号", ""},
  };
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_TRUE(Has(At(*v, 2), reason::kDuplicateInFile));
  EXPECT_EQ(At(*v, 2).reasons[0].other_row, 3);
  EXPECT_EQ(At(*v, 3).reasons[0].other_row, 2);
  EXPECT_TRUE(v->plan.households.empty());
}

TEST_F(ValidatorTest, HouseholdsNeedExactlyOneValidHeadAndAnAddress) {
  Sheet rows = {
      {"001", "赵一", "", "", Id({1960, 1, 1}, 999), "配偶", "", "1组1号", ""},  // no head in 001
      {"002", "钱二", "", "", Id({1961, 1, 1}, 999), "户主", "", "2组2号", ""},
      {"002", "孙三", "", "", Id({1962, 1, 1}, 999), "户主", "", "", ""},        // two heads in 002
      {"003", "李四", "", "", Id({1963, 1, 1}, 999), "户主", "123", "3组3号", ""},  // head rejected (phone)
      {"003", "周五", "", "", Id({1964, 1, 1}, 998), "配偶", "", "", ""},
      {"004", "吴六", "", "", Id({1965, 1, 1}, 999), "户主", "", "", ""},        // no address anywhere
  };
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(Has(At(*v, 2), reason::kHeadMissing, "F")) << Codes(At(*v, 2));
  EXPECT_TRUE(Has(At(*v, 3), reason::kSeveralHeads)) << Codes(At(*v, 3));
  EXPECT_TRUE(Has(At(*v, 4), reason::kSeveralHeads)) << Codes(At(*v, 4));
  EXPECT_TRUE(Has(At(*v, 5), reason::kBadPhone)) << Codes(At(*v, 5));
  EXPECT_TRUE(Has(At(*v, 6), reason::kHeadRejected)) << Codes(At(*v, 6));
  EXPECT_TRUE(Has(At(*v, 7), reason::kMissingAddress, "H")) << Codes(At(*v, 7));
  EXPECT_EQ(v->report.totals.create, 0);
  EXPECT_TRUE(v->plan.households.empty());
}

TEST_F(ValidatorTest, AHouseholdOfMoreThanTwentyIsRefused) {
  Sheet rows = {{"001", "户主甲", "", "", Id({1950, 1, 1}, 999), "户主", "", "1组1号", ""}};
  for (int i = 0; i < 20; ++i) rows.push_back({"001", "子" + std::to_string(i), "", "", Id({1980, 1, 1 + i}, 999), "子", "", "", ""});
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(Has(At(*v, 2), reason::kTooManyMembers));
  EXPECT_EQ(v->report.totals.reject, 21);
}

TEST_F(ValidatorTest, RegisteredPeopleAreUpdatesHereAndRejectedElsewhere) {
  const std::string head = Id({1960, 5, 5}, 999), spouse = Id({1962, 6, 6}, 998), elsewhere = Id({1970, 7, 7}, 999);
  HouseholdId home = Register(village_, {{{"赵大", head, std::string("15400002001")}, Relation::kHead},
                                         {{"钱二", spouse, std::nullopt}, Relation::kSpouse}});
  Register("420114001206", {{{"孙三", elsewhere, std::nullopt}, Relation::kHead}});
  Sheet rows = {
      {"001", "赵大", "", "", head, "户主", "15400002001", "", ""},          // nothing changes
      {"001", "钱二", "", "", spouse, "配偶", "15400002002", "", "低保"},    // phone and flags change
      {"001", "周新", "", "", Id({1990, 1, 1}, 999), "子", "", "", ""},      // a new member of that household
      {"002", "孙三", "", "", elsewhere, "户主", "", "2组2号", ""},          // registered in 1206
  };
  Result<ValidatedImport> v = Run(rows);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(At(*v, 2).outcome, Outcome::kUnchanged) << Codes(At(*v, 2));
  EXPECT_EQ(At(*v, 3).outcome, Outcome::kUpdate) << Codes(At(*v, 3));
  EXPECT_EQ(At(*v, 3).changes, (std::vector<std::string>{"phone", "flags"}));
  EXPECT_EQ(At(*v, 4).outcome, Outcome::kCreate) << Codes(At(*v, 4));
  EXPECT_TRUE(Has(At(*v, 5), reason::kRegisteredInAnotherVillage, "E")) << Codes(At(*v, 5));
  ASSERT_EQ(v->plan.members.size(), 1u);
  EXPECT_EQ(v->plan.members[0].household, home);
  ASSERT_EQ(v->plan.updates.size(), 1u);
  EXPECT_TRUE(v->plan.households.empty());
  EXPECT_EQ(v->report.totals.update, 1);
  EXPECT_EQ(v->report.totals.unchanged, 1);
}

TEST_F(ValidatorTest, ARegisteredPersonUnderAnotherNameIsRefused) {
  const std::string id = Id({1960, 5, 5}, 999);
  Register(village_, {{{"赵大", id, std::nullopt}, Relation::kHead}});
  Result<ValidatedImport> v = Run({{"001", "赵 大", "", "", id, "户主", "", "", ""},     // spaces do not count
                                   {"002", "赵小", "", "", id, "户主", "", "", ""}});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // Both rows carry the same number, so duplicate-in-file comes first; check the name rule alone.
  v = Run({{"001", "赵小", "", "", id, "户主", "", "", ""}});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Has(At(*v, 2), reason::kNameMismatch, "B")) << Codes(At(*v, 2));
  v = Run({{"001", "赵 大", "", "", id, "户主", "", "", ""}});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(At(*v, 2).outcome, Outcome::kUnchanged) << Codes(At(*v, 2));
}

TEST_F(ValidatorTest, HeadRulesHoldOnTheHouseholdAsTheImportWouldLeaveIt) {
  const std::string head = Id({1940, 1, 1}, 999), spouse = Id({1942, 1, 1}, 998), son = Id({1965, 1, 1}, 999);
  Register(village_, {{{"赵大", head, std::nullopt}, Relation::kHead},
                      {{"钱二", spouse, std::nullopt}, Relation::kSpouse},
                      {{"赵三", son, std::nullopt}, Relation::kChild}});
  // The son takes over as head while the old head becomes a parent: allowed, demotion first.
  Result<ValidatedImport> v = Run({{"001", "赵大", "", "", head, "父亲", "", "", ""},
                                   {"001", "赵三", "", "", son, "户主", "", "", ""}});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(At(*v, 2).outcome, Outcome::kUpdate) << Codes(At(*v, 2));
  EXPECT_EQ(At(*v, 3).outcome, Outcome::kUpdate) << Codes(At(*v, 3));
  ASSERT_EQ(v->plan.updates.size(), 2u);
  EXPECT_EQ(v->plan.updates[0].row, 2);  // the demotion first
  // Promoting the son without demoting the head would make two heads.
  v = Run({{"001", "赵三", "", "", son, "户主", "", "", ""}});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Has(At(*v, 2), reason::kSeveralHeads)) << Codes(At(*v, 2));
  // Demoting the head without a new one leaves none.
  v = Run({{"001", "赵大", "", "", head, "父亲", "", "", ""}});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Has(At(*v, 2), reason::kHeadMissing)) << Codes(At(*v, 2));
  // A new person as a second head of a registered household.
  v = Run({{"001", "赵大", "", "", head, "户主", "", "", ""},
           {"001", "孙新", "", "", Id({1990, 1, 1}, 999), "户主", "", "", ""}});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Has(At(*v, 3), reason::kSeveralHeads)) << Codes(At(*v, 3));
}

TEST_F(ValidatorTest, RegisteredPeopleOfTwoHouseholdsUnderOneNumberAreRefused) {
  const std::string a = Id({1950, 1, 1}, 999), b = Id({1951, 1, 1}, 999);
  Register(village_, {{{"赵大", a, std::nullopt}, Relation::kHead}});
  Register(village_, {{{"钱大", b, std::nullopt}, Relation::kHead}});
  Result<ValidatedImport> v = Run({{"001", "赵大", "", "", a, "户主", "", "", ""},
                                   {"001", "钱大", "", "", b, "配偶", "", "", ""}});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(Has(At(*v, 2), reason::kHouseholdSplit));
  EXPECT_TRUE(Has(At(*v, 3), reason::kHouseholdSplit));
}

TEST_F(ValidatorTest, ExcelSerialDatesAndNumbersThatLostDigitsInAWorkbook) {
  const CivilDate born{1965, 6, 6};
  Sheet sheet = {
      kHeader,
      {"001", "赵一", "男", "#" + std::to_string(testing::ExcelSerial(born)), Id(born, 999), "户主", "", "1组1号", ""},
      {"001", "钱二", "女", "#" + std::to_string(testing::ExcelSerial({1967, 8, 9})), Id({1967, 8, 8}, 998), "配偶", "", "", ""},
      {"001", "孙三", "", "", "#420102199001019990", "子", "", "", ""},
  };
  Result<ValidatedImport> v = ValidateFile(testing::XlsxOf(sheet, "成功村村民花名册"), Context(), {}, lookup_, {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->report.format, "xlsx");
  EXPECT_EQ(v->report.header_row, 2);
  EXPECT_EQ(At(*v, 3).outcome, Outcome::kCreate) << Codes(At(*v, 3));
  EXPECT_TRUE(Has(At(*v, 4), reason::kBirthDateMismatch, "D")) << Codes(At(*v, 4));
  ASSERT_TRUE(Has(At(*v, 5), reason::kUnreadableCell, "E")) << Codes(At(*v, 5));
  EXPECT_EQ(At(*v, 5).reasons[0].detail, "number-lost-precision");
}

TEST_F(ValidatorTest, FootersAreSkippedAndAFileWithoutPeopleIsRefused) {
  Result<ValidatedImport> v = Run({{"001", "赵一", "", "", Id({1960, 1, 1}, 999), "户主", "", "1组1号", ""},
                                   {"合计：1户1人"},
                                   {"", "", "", "", "", "", "", "", "制表人：村委会"}});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->report.totals.rows, 1);
  EXPECT_EQ(v->report.totals.skipped, 2);
  v = Run({{"合计：0户0人"}});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), problems::kNoDataRows);
}

TEST_F(ValidatorTest, MalformedAndOversizedFilesAreRefusedWithTheirPlace) {
  Result<ValidatedImport> v =
      ValidateFile("姓名,身份证号,与户主关系\r\n赵一,\"4201,户主\r\n", Context(), {}, lookup_, {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), "tabular/bad-csv");
  EXPECT_EQ(v.status().Arg("row"), "2");
  EXPECT_EQ(v.status().Arg("column"), "B");
  EXPECT_EQ(ValidateFile("", Context(), {}, lookup_, {}).status().slug(), problems::kEmptyFile);
  Sheet rows;
  for (int i = 0; i < 5; ++i) rows.push_back({"00" + std::to_string(i), "赵", "", "", Id({1960, 1, 1 + i}, 999), "户主", "", "1组", ""});
  Sheet sheet = {kHeader};
  sheet.insert(sheet.end(), rows.begin(), rows.end());
  ImportLimits limits;
  limits.max_rows = 4;
  v = ValidateFile(testing::CsvOf(sheet), Context(), limits, lookup_, {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), problems::kTooManyRows);
  EXPECT_EQ(v.status().Arg("limit"), "4");
}

TEST_F(ValidatorTest, TheReportRoundTripsAndItsDigestFollowsWhatTheClerkSees) {
  Result<ValidatedImport> v = ValidateFile(testing::CsvOf(testing::SampleRegister()), Context(), {}, lookup_, {});
  ASSERT_TRUE(v.ok());
  Result<ImportReport> back = DecodeReport(EncodeReport(v->report));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, v->report);
  const std::string digest = ReportDigest(v->report);
  ImportReport changed = v->report;
  changed.rows[1].outcome = Outcome::kUpdate;
  EXPECT_NE(ReportDigest(changed), digest);
  EXPECT_FALSE(DecodeReport("{\"v\":2}").ok());
  EXPECT_FALSE(DecodeReport("not json").ok());
}

// tests/fixtures/residents_import/register-gbk.csv (make_fixtures.py): a register as Excel on a
// Chinese Windows saves it -- GB18030, two title lines, hinted headers, merged 户号 cells, a yes/no
// 低保 column, year-month birth dates, a footer, and two common mistakes.
TEST_F(ValidatorTest, AGbkRegisterAsExcelSavesIt) {
  std::ifstream in(std::string(GZ_IMPORT_FIXTURES) + "/register-gbk.csv", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream bytes;
  bytes << in.rdbuf();
  Result<ValidatedImport> v = ValidateFile(bytes.str(), Context(), {}, lookup_, {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->report.header_row, 3);
  EXPECT_EQ(v->report.totals.rows, 6);
  EXPECT_EQ(v->report.totals.skipped, 2);
  EXPECT_EQ(v->report.totals.create, 4);
  EXPECT_EQ(v->report.totals.households, 2);
  EXPECT_TRUE(Has(At(*v, 8), reason::kBadIdNumber, "F")) << Codes(At(*v, 8));
  EXPECT_TRUE(Has(At(*v, 9), reason::kBadPhone, "H")) << Codes(At(*v, 9));
  ASSERT_EQ(v->plan.households.size(), 2u);
  const NewHousehold& first = v->plan.households[0].household;
  ASSERT_EQ(first.members.size(), 3u);
  EXPECT_EQ(first.personal.address, "7组12号");
  EXPECT_EQ(first.members[0].personal.name, "周德明");
  EXPECT_TRUE(first.members[0].personal.flags.empty());
  EXPECT_EQ(first.members[1].personal.flags, std::vector<std::string>{"low_income"});
  EXPECT_EQ(first.members[2].personal.phone, std::optional<std::string>("15481234568"));
  EXPECT_EQ(first.members[2].relation, Relation::kChild);
}

TEST_F(ValidatorTest, ProgressReachesTheTotal) {
  std::vector<std::pair<int64_t, int64_t>> seen;
  Result<ValidatedImport> v = ValidateFile(testing::CsvOf(testing::SampleRegister()), Context(), {}, lookup_,
                                           [&](int64_t p, int64_t t) { seen.emplace_back(p, t); });
  ASSERT_TRUE(v.ok());
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), (std::pair<int64_t, int64_t>{7, 7}));
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_LE(seen[i - 1].first, seen[i].first);
}

}  // namespace
}  // namespace gz::residents::import
