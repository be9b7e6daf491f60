// The canonical entry bytes (a public format: docs/disclosure.md "Log entry format"), periods,
// the public body and its masking.
#include "modules/disclosure/item.h"

#include <gtest/gtest.h>

#include "modules/disclosure/canonical_json.h"

namespace gz::disclosure {
namespace {

TEST(Entry, FixedBytesOfAFinanceStatement) {
  DraftInput in;
  in.text = "经村务监督委员会审核\n\"如有疑问\"请质询";
  in.rows = {{"上级转移支付", true, 12345600}, {"道路维修", false, 800050}};
  Result<std::string> body = PublicBody(Kind::kFinanceStatement, in);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  Item item;
  item.id = 7310000000000000123;
  item.village = "420114001205";
  item.kind = Kind::kFinanceStatement;
  item.period = "2026-03";
  item.title = "2026年3月财务收支公开";
  item.body_json = *body;
  item.attachments = {"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"};
  item.published_at_ms = 1775174400000;
  item.publisher_role = "supervisor";
  const std::string expected =
      "{\"attachments\":[\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"],"
      "\"body\":{\"rows\":[{\"amount_fen\":12345600,\"direction\":\"income\",\"item\":\"上级转移支付\"},"
      "{\"amount_fen\":800050,\"direction\":\"expense\",\"item\":\"道路维修\"}],"
      "\"text\":\"经村务监督委员会审核\\u000a\\\"如有疑问\\\"请质询\",\"total_expense_fen\":800050,"
      "\"total_income_fen\":12345600},"
      "\"corrects\":null,\"format\":\"gongzhi-disclosure/1\",\"id\":\"7310000000000000123\",\"kind\":\"finance_statement\","
      "\"period\":\"2026-03\",\"published_at_ms\":1775174400000,\"publisher_role\":\"supervisor\","
      "\"title\":\"2026年3月财务收支公开\",\"village\":\"420114001205\"}";
  EXPECT_EQ(EntryBytes(item), expected);
}

TEST(Entry, CorrectionNamesTheCorrectedItemAndWhy) {
  Item item;
  item.id = 2;
  item.village = "420114001205";
  item.kind = Kind::kResolution;
  item.period = "2026";
  item.title = "更正";
  item.body_json = "{\"text\":\"x\"}";
  item.corrects = 1;
  item.correction_reason = "金额笔误";
  item.published_at_ms = 5;
  item.publisher_role = "village_cadre";
  EXPECT_EQ(EntryBytes(item),
            "{\"attachments\":[],\"body\":{\"text\":\"x\"},\"corrects\":{\"id\":\"1\",\"reason\":\"金额笔误\"},"
            "\"format\":\"gongzhi-disclosure/1\",\"id\":\"2\",\"kind\":\"resolution\",\"period\":\"2026\","
            "\"published_at_ms\":5,\"publisher_role\":\"village_cadre\",\"title\":\"更正\",\"village\":\"420114001205\"}");
}

TEST(CanonicalJson, SortsKeysBytewiseAndEscapesMinimally) {
  CanonicalValue v = CanonicalValue::Object();
  v.Set("b", CanonicalValue::Int(-1)).Set("a", CanonicalValue::String("\x01/é\\")).Set("B", CanonicalValue::Bool(true));
  EXPECT_EQ(v.Serialize(), "{\"B\":true,\"a\":\"\\u0001/é\\\\\",\"b\":-1}");
}

TEST(PublicBody, SubsidyListIsMaskedAndHasNoPhone) {
  DraftInput in;
  in.recipients = {{"欧阳明华", "420114195001011234", "15400000001", 50000, "一类"}, {"张三", "", "", 30000, ""}};
  Result<std::string> body = PublicBody(Kind::kSubsidyList, in);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body,
            "{\"recipients\":[{\"amount_fen\":50000,\"id_number\":\"420114********1234\",\"name\":\"欧阳**\","
            "\"note\":\"一类\"},{\"amount_fen\":30000,\"id_number\":null,\"name\":\"张*\",\"note\":\"\"}],"
            "\"text\":\"\",\"total_fen\":80000}");
  EXPECT_EQ(body->find("15400000001"), std::string::npos);
  EXPECT_EQ(body->find("明华"), std::string::npos);
}

TEST(PublicBody, RefusesWhatDoesNotFitTheKind) {
  DraftInput in;
  EXPECT_EQ(PublicBody(Kind::kFinanceStatement, in).status().slug(), "disclosure/bad-body");  // rows required
  in.text = "决议";
  in.rows = {{"x", true, 1}};
  EXPECT_EQ(PublicBody(Kind::kResolution, in).status().slug(), "disclosure/bad-body");  // rows not for kind
  in.rows = {{"x", true, -1}};
  EXPECT_FALSE(PublicBody(Kind::kIncomeExpense, in).ok());
  in.rows.clear();
  in.text = std::string("\xff");
  EXPECT_FALSE(PublicBody(Kind::kResolution, in).ok());
}

TEST(Period, ParsesMonthsQuartersYearsAndBoundsInBeijingTime) {
  std::optional<Period> m = ParsePeriod("2026-03");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->Code(), "2026-03");
  // 2026-03-01T00:00+08:00 = 2026-02-28T16:00Z
  EXPECT_EQ(m->StartMs(), 1772323200000 - 8 * 3600000);
  EXPECT_EQ(ParsePeriod("2026-12")->EndMs(), ParsePeriod("2027")->StartMs());
  EXPECT_EQ(ParsePeriod("2026-Q2")->StartMs(), ParsePeriod("2026-04")->StartMs());
  EXPECT_FALSE(ParsePeriod("2026-13"));
  EXPECT_FALSE(ParsePeriod("2026-Q5"));
  EXPECT_FALSE(ParsePeriod("1999"));
  EXPECT_FALSE(ParsePeriod("2026-3"));
  EXPECT_FALSE(CheckPeriodForKind(Kind::kFinanceStatement, *ParsePeriod("2026")).ok());
  EXPECT_TRUE(CheckPeriodForKind(Kind::kResolution, *ParsePeriod("2026")).ok());
}

TEST(Text, UtcTime) {
  EXPECT_EQ(UtcTimeText(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(UtcTimeText(1775174400123), "2026-04-03T00:00:00.123Z");
}

}  // namespace
}  // namespace gz::disclosure
