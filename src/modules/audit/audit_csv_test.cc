// CSV export cells: formula starts neutralised (ASCII and full-width), quoting per RFC 4180.
#include "modules/audit/audit_csv.h"

#include <gtest/gtest.h>

namespace gz::audit {
namespace {

TEST(AuditCsvTest, FormulaStartsGetAnApostrophe) {
  for (std::string risky : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠x"}) {
    EXPECT_EQ(NeutraliseCell(risky), "'" + risky) << risky;
  }
}

TEST(AuditCsvTest, HarmlessCellsStayAsTheyAre) {
  for (std::string safe : {"", "residents.reveal", "1767225600000", "低保复核", " =1", "a=b", "'quoted", "１"}) {
    EXPECT_EQ(NeutraliseCell(safe), safe) << safe;
  }
}

TEST(AuditCsvTest, CellsAreQuotedAndQuotesDoubled) {
  std::string out;
  AppendCsvCell(out, "say \"hi\",\r\nbye");
  EXPECT_EQ(out, "\"say \"\"hi\"\",\r\nbye\"");
  out.clear();
  AppendCsvCell(out, "=HYPERLINK(\"http://x\")");
  EXPECT_EQ(out, "\"'=HYPERLINK(\"\"http://x\"\")\"");
}

TEST(AuditCsvTest, HeaderStartsWithTheBomAndRowsEndWithCrlf) {
  std::string header = AuditCsvHeader();
  EXPECT_EQ(header.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(header.substr(3, 7), "\"seq\",\"");
  EXPECT_EQ(header.substr(header.size() - 2), "\r\n");
  AuditRecord r;
  r.seq = 7;
  r.at_ms = 1767225600123;
  r.event.action = "residents.reveal";
  r.event.purpose = "-核对";
  r.prev_hash = GenesisHash();
  r.hash = std::string(32, '\x01');
  std::string row;
  AppendAuditCsvRow(row, r);
  EXPECT_EQ(row.substr(0, 48), "\"7\",\"2026-01-01T00:00:00.123Z\",\"1767225600123\",\"");
  EXPECT_NE(row.find("\"'-核对\""), std::string::npos);
  EXPECT_NE(row.find(std::string(64, '0')), std::string::npos);
  EXPECT_EQ(row.substr(row.size() - 2), "\r\n");
}

}  // namespace
}  // namespace gz::audit
