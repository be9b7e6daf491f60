// Value types of appeals: division codes and units, text limits, locations, and the sealing of
// the personal fields (bound to their row, column and visibility).
#include "modules/appeals/appeal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {
namespace {

TEST(Units, LevelsAndDivisionsMustAgree) {
  EXPECT_TRUE(MakeUnit(UnitLevel::kVillage, "420114001205").ok());
  EXPECT_TRUE(MakeUnit(UnitLevel::kTownship, "420114001000").ok());
  EXPECT_TRUE(MakeUnit(UnitLevel::kCounty, "420114000000", "water").ok());
  EXPECT_EQ(MakeUnit(UnitLevel::kVillage, "420114001000").status().Arg("reason"), "division");
  EXPECT_EQ(MakeUnit(UnitLevel::kTownship, "420114001205").status().Arg("reason"), "division");
  EXPECT_EQ(MakeUnit(UnitLevel::kCounty, "420114001000").status().Arg("reason"), "division");
  EXPECT_FALSE(MakeUnit(UnitLevel::kCounty, "420114").ok());
  EXPECT_FALSE(MakeUnit(UnitLevel::kVillage, "42011400120x").ok());
  EXPECT_EQ(MakeUnit(UnitLevel::kCounty, "420114000000", "Water").status().Arg("reason"), "department");
  EXPECT_EQ(MakeUnit(UnitLevel::kCounty, "420114000000", std::string(33, 'a')).status().Arg("reason"), "department");
}

TEST(Units, KeysRoundTrip) {
  for (const char* key : {"village:420114001205", "township:420114001000", "county:420114000000:water"}) {
    Result<HandlingUnit> u = ParseUnitKey(key);
    ASSERT_TRUE(u.ok()) << key;
    EXPECT_EQ(u->Key(), key);
  }
  EXPECT_FALSE(ParseUnitKey("village").ok());
  EXPECT_FALSE(ParseUnitKey("city:420100000000").ok());
  EXPECT_FALSE(ParseUnitKey("county:420114000000:").ok());
}

TEST(Units, NextLevelAndService) {
  const HandlingUnit v = VillageUnitOf("420114001205");
  EXPECT_EQ(NextLevelUnit(v)->Key(), "township:420114001000");
  EXPECT_EQ(NextLevelUnit(*NextLevelUnit(v))->Key(), "county:420114000000");
  EXPECT_FALSE(NextLevelUnit(CountyUnitOf("420114001205")));
  EXPECT_TRUE(UnitServes(v, "420114001205"));
  EXPECT_FALSE(UnitServes(v, "420114001206"));  // a sibling village's committee does not
  EXPECT_TRUE(UnitServes(TownshipUnitOf("420114001205"), "420114001206"));
  EXPECT_FALSE(UnitServes(TownshipUnitOf("420114002201"), "420114001205"));  // another township
  EXPECT_TRUE(UnitServes(HandlingUnit{UnitLevel::kCounty, "420114000000", "water"}, "420114002201"));
  EXPECT_FALSE(UnitServes(HandlingUnit{UnitLevel::kCounty, "420115000000", ""}, "420114001205"));
  EXPECT_TRUE(IsVillageCode("420114001205"));
  EXPECT_FALSE(IsVillageCode("420114001000"));
  EXPECT_FALSE(IsVillageCode("420114000205"));
}

TEST(Text, LimitsCountCharactersNotBytes) {
  EXPECT_TRUE(ValidateAppealText("路灯坏了").ok());
  EXPECT_EQ(ValidateAppealText("灯").Arg("reason"), "too-short");
  EXPECT_EQ(ValidateAppealText("  灯 \n").Arg("reason"), "too-short");
  EXPECT_EQ(ValidateAppealText("\xE3\x80\x80灯\xE3\x80\x80").Arg("reason"), "too-short");  // ideographic spaces
  std::string max;
  for (size_t i = 0; i < kMaxTextChars; ++i) max += "路";  // 6000 bytes, 2000 characters
  EXPECT_TRUE(ValidateAppealText(max).ok());
  EXPECT_EQ(ValidateAppealText(max + "路").Arg("reason"), "too-long");
  Status bad = ValidateAppealText(max + "路");
  EXPECT_EQ(bad.slug(), problems::kBadText);
  EXPECT_EQ(bad.Arg("max"), "2000");
}

TEST(Text, RefusesWhatIsNotCleanText) {
  EXPECT_EQ(ValidateAppealText("ab\xFF").Arg("reason"), "encoding");
  EXPECT_EQ(ValidateAppealText("ab\xE8\xB7").Arg("reason"), "encoding");         // truncated
  EXPECT_EQ(ValidateAppealText("ab\xC0\xAF").Arg("reason"), "encoding");         // overlong '/'
  EXPECT_EQ(ValidateAppealText("ab\xED\xA0\x80").Arg("reason"), "encoding");     // a surrogate
  EXPECT_EQ(ValidateAppealText(std::string("ab\0cd", 5)).Arg("reason"), "encoding");
  EXPECT_EQ(ValidateAppealText("ab\x1b[31mcd").Arg("reason"), "encoding");       // ANSI escape (T-LOG-2)
  EXPECT_EQ(ValidateAppealText("ab\xE2\x80\xAE" "cd").Arg("reason"), "encoding"); // right-to-left override
  EXPECT_TRUE(ValidateAppealText("第一行\n第二行\t完").ok());
}

TEST(Text, NotesRequiredOrNot) {
  EXPECT_TRUE(ValidateNote("", false).ok());
  EXPECT_EQ(ValidateNote("", true).Arg("reason"), "too-short");
  EXPECT_EQ(ValidateNote("好", true).Arg("reason"), "too-short");
  EXPECT_TRUE(ValidateNote("已修", true).ok());
  EXPECT_EQ(ValidateNote(std::string(kMaxNoteChars + 1, 'a'), false).Arg("reason"), "too-long");
}

TEST(Locations, Bounds) {
  EXPECT_TRUE(ValidateLocation({30.58, 114.03, "村口"}).ok());
  EXPECT_EQ(ValidateLocation({91, 114, ""}).Arg("reason"), "latitude");
  EXPECT_EQ(ValidateLocation({30, -181, ""}).Arg("reason"), "longitude");
  EXPECT_EQ(ValidateLocation({std::nan(""), 114, ""}).Arg("reason"), "latitude");
  EXPECT_EQ(ValidateLocation({30, 114, std::string(201, 'a')}).Arg("reason"), "description");
  EXPECT_EQ(ValidateLocation({30, 114, "a\x01"}).Arg("reason"), "description");
  Location l{30.5812345, 114.0312345, "村口 | 第二个"};
  Result<Location> back = DecodeLocation(EncodeLocation(l));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, l);
}

TEST(Categories, CatalogueIsComplete) {
  std::set<std::string_view> codes;
  for (const Category& c : Categories()) {
    EXPECT_TRUE(codes.insert(c.code).second) << c.code;
    EXPECT_FALSE(c.name_zh.empty());
    EXPECT_FALSE(c.name_en.empty());
    EXPECT_FALSE(c.icon.empty());
    EXPECT_LE(c.code.size(), 32u);
  }
  EXPECT_EQ(Categories().back().code, "other");
  EXPECT_EQ(FindCategory("water_supply")->deadline_class, DeadlineClass::kUtilities);
  EXPECT_EQ(FindCategory("safety_hazard")->deadline_class, DeadlineClass::kEmergency);
  EXPECT_EQ(FindCategory("land")->deadline_class, DeadlineClass::kComplex);
  EXPECT_EQ(FindCategory("nope"), nullptr);
}

TEST(Problems, EveryTextInBothLanguages) {
  std::set<std::string_view> slugs;
  for (const ProblemText& p : problems::kTexts) {
    EXPECT_TRUE(slugs.insert(p.slug).second) << p.slug;
    EXPECT_EQ(p.slug.substr(0, 8), "appeals/") << p.slug;
    EXPECT_FALSE(p.title_zh.empty() || p.detail_zh.empty() || p.title_en.empty() || p.detail_en.empty()) << p.slug;
  }
}

class SealingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto c = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(c.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*c));
    appeal_.id = 1001;
    appeal_.village = "420114001205";
    appeal_.submitter_account = 101;
    appeal_.submitted_at_ms = 5000;
  }
  std::unique_ptr<crypto::FieldCipher> cipher_;
  Appeal appeal_;
};

TEST_F(SealingTest, ContentRoundTripsAndIsBoundToItsAppeal) {
  AppealContent content{"张三 13800001234 家门口的井没水了", Location{30.1, 114.2, "井边"}};
  SealContent(*cipher_, appeal_, content);
  EXPECT_EQ(appeal_.text_sealed.find("13800001234"), std::string::npos);
  Result<AppealContent> opened = OpenContent(*cipher_, appeal_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, content);

  for (auto edit : std::vector<std::function<void(Appeal&)>>{
           [](Appeal& a) { a.id = 1002; },                 // copied to another appeal
           [](Appeal& a) { a.village = "420114001206"; },  // moved to another village
           [](Appeal& a) { a.submitter_account = 102; },   // given to another submitter
           [](Appeal& a) { a.submitted_at_ms = 4000; },    // backdated
           [](Appeal& a) { std::swap(a.text_sealed, *a.location_sealed); }}) {
    Appeal moved = appeal_;
    edit(moved);
    Result<AppealContent> r = OpenContent(*cipher_, moved);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().slug(), "crypto/integrity-failure");
  }
}

TEST_F(SealingTest, AnInternalNoteCannotBeMadePublic) {
  TimelineEntry e;
  e.id = 77;
  e.appeal_id = 1001;
  e.seq = 3;
  e.visibility = Visibility::kInternal;
  e.action = "note";
  SealNote(*cipher_, e, "走访了李四（隔壁），他说水泵坏了");
  Result<std::optional<std::string>> opened = OpenNote(*cipher_, e);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(**opened, "走访了李四（隔壁），他说水泵坏了");
  TimelineEntry flipped = e;
  flipped.visibility = Visibility::kPublic;
  EXPECT_FALSE(OpenNote(*cipher_, flipped).ok());
  TimelineEntry moved = e;
  moved.seq = 4;
  EXPECT_FALSE(OpenNote(*cipher_, moved).ok());
  TimelineEntry none;
  EXPECT_FALSE(OpenNote(*cipher_, none)->has_value());
}

}  // namespace
}  // namespace gz::appeals
