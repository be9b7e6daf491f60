// The import service on a real SQLite store with the real audit chain: upload, dry run, apply in
// one transaction, re-validation, atomicity, background jobs with progress, expiry.
#include "modules/residents/import/import_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/residents/id_number.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/import/sql/import_migrations.h"
#include "modules/residents/import/sql/sql_import_store.h"
#include "modules/residents/import/testing/register_files.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/sqlite/testing.h"

namespace gz::residents::import {
namespace {

using testing::Sheet;
using testing::SyntheticId;

constexpr std::string_view kVillage = "420114001205";
constexpr int kLargeRows = 400;

access::Principal Cadre() {
  access::Principal p;
  p.self.account_id = 77;
  p.self.grants = {{1, access::Role::kVillageCadre, std::string(kVillage)}};
  p.request_id = "req-import";
  return p;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ImportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_.emplace(std::move(cipher).value());
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : ResidentMigrations()) all.push_back(m);
    for (const auto& m : ImportMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock_).ok());
    residents_.emplace(*db_, audit::AppendAuditInTx);
    registry_.emplace(*residents_, *cipher_, clock_);
    jobs_.emplace(*db_, *cipher_, clock_, nullptr, audit::AppendAuditInTx);
  }

  void MakeService(ImportOptions options = {}) {
    service_.emplace(ImportServiceDeps{*jobs_, *jobs_, *registry_, *residents_, *cipher_, clock_}, options);
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }
  int64_t Residents() { return Count("SELECT COUNT(*) FROM residents_residents WHERE village_code = '420114001205'"); }
  int64_t AuditOf(std::string_view action) {
    return Count("SELECT COUNT(*) FROM audit_records WHERE action = '" + std::string(action) + "'");
  }

  // Waits (real time) until the job leaves queued/validating/applying.
  ImportView WaitSettled(int64_t id) {
    for (int i = 0; i < 500; ++i) {
      Result<ImportView> v = service_->View(id, false);
      EXPECT_TRUE(v.ok());
      if (!v.ok()) return {};
      const ImportStatus s = v->info.status;
      if (s != ImportStatus::kQueued && s != ImportStatus::kValidating && s != ImportStatus::kApplying) return *v;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "job " << id << " did not settle";
    return {};
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28 in China
  std::optional<crypto::FieldCipher> cipher_;
  std::unique_ptr<storage::Db> db_;
  std::optional<SqlResidentStore> residents_;
  std::optional<ResidentRegistry> registry_;
  std::optional<SqlImportStore> jobs_;
  std::optional<ImportService> service_;
  const access::Principal cadre_ = Cadre();
};

TEST_F(ImportServiceTest, DryRunWritesNoResidentAndKeepsTheFileOnlySealed) {
  MakeService();
  const std::string csv = testing::CsvOf(testing::SampleRegister());
  Result<ImportView> v = service_->Submit(cadre_, kVillage, csv);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->info.status, ImportStatus::kValidated);
  ASSERT_TRUE(v->report.has_value());
  EXPECT_EQ(v->report->totals.create, 7);
  EXPECT_EQ(v->processed_rows, 7);
  EXPECT_EQ(v->total_rows, 7);
  EXPECT_EQ(Residents(), 0);
  EXPECT_EQ(AuditOf("residents.import_upload"), 1);
  // T-DATA-1: neither the file nor the report is readable in the database file or its log.
  const std::string path = db_->Describe().substr(std::string("sqlite://").size());
  const std::string bytes = ReadBytes(path) + ReadBytes(path + "-wal");
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("王建国"), std::string::npos);
  EXPECT_EQ(bytes.find(testing::SampleRegister()[2][5]), std::string::npos);
  EXPECT_EQ(bytes.find("王**"), std::string::npos);
}

TEST_F(ImportServiceTest, ApplyWritesEverythingInOneGoOnceAndDeletesTheFile) {
  MakeService();
  Result<ImportView> v = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  Result<ImportView> applied = service_->Apply(cadre_, v->info.id);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->info.status, ImportStatus::kApplied);
  EXPECT_EQ(applied->info.applied_by, 77);
  EXPECT_EQ(Residents(), 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_households"), 3);
  EXPECT_EQ(AuditOf("residents.import"), 1);
  EXPECT_EQ(AuditOf("residents.create_household"), 3);  // the registry's own records, same transaction
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_imports WHERE file_sealed IS NULL AND report_sealed IS NOT NULL"), 1);
  // Applying twice is refused.
  Result<ImportView> again = service_->Apply(cadre_, v->info.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().slug(), problems::kAlreadyApplied);
  EXPECT_EQ(Residents(), 7);
  // The same file again: all rows are registered now, nothing to do.
  Result<ImportView> second = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->report->totals.unchanged, 7);
  EXPECT_EQ(service_->Apply(cadre_, second->info.id).status().slug(), problems::kNothingToApply);
}

TEST_F(ImportServiceTest, AnImportValidatedAgainstAnOlderRegisterIsValidatedAgain) {
  MakeService();
  Result<ImportView> v = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // Meanwhile somebody registers 张桂兰 (row 6) by hand, in the sibling village.
  const std::string id = testing::SampleRegister()[5][5];
  NewHousehold h{"420114001206", {"5组5号"}, {{{"张桂兰", id, std::nullopt}, Relation::kHead}}};
  ASSERT_TRUE(registry_->CreateHousehold(h).ok());
  Result<ImportView> applied = service_->Apply(cadre_, v->info.id);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().slug(), problems::kChangedSinceValidation);
  EXPECT_EQ(applied.status().code(), Code::kAborted);
  EXPECT_EQ(Residents(), 0);
  EXPECT_EQ(AuditOf("residents.import"), 0);
  // The job now holds the new report: the row is rejected, and the clerk may apply the rest.
  Result<ImportView> now = service_->View(v->info.id, true);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->info.status, ImportStatus::kValidated);
  EXPECT_EQ(now->info.failure.slug, problems::kChangedSinceValidation);
  EXPECT_EQ(now->report->totals.reject, 1);
  EXPECT_EQ(now->report->rows[3].reasons[0].code, problems::reason::kRegisteredInAnotherVillage);
  applied = service_->Apply(cadre_, v->info.id);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(Residents(), 6);
  EXPECT_TRUE(applied->info.failure.slug.empty());
}

TEST_F(ImportServiceTest, AFailureMidApplyLeavesNothingWritten) {
  ImportOptions options;
  options.households_per_batch = 1;
  MakeService(options);
  Result<ImportView> v = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  int64_t seen = 0;
  service_->SetApplyCheckpointForTest([&seen](int64_t written) {
    seen = written;
    // After the first two households (4 people) are in, the disk "fails".
    return written >= 4 ? Unavailable("storage/disk-full", "injected") : Status::Ok();
  });
  Result<ImportView> applied = service_->Apply(cadre_, v->info.id);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().slug(), "storage/disk-full");
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(Residents(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_households"), 0);
  EXPECT_EQ(AuditOf("residents.create_household"), 0);
  EXPECT_EQ(AuditOf("residents.import"), 0);
  Result<ImportView> after = service_->View(v->info.id, true);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->info.status, ImportStatus::kValidated);
  ASSERT_TRUE(after->report.has_value());  // the clerk still sees what would be written
  EXPECT_EQ(after->report->totals.create, 7);
  EXPECT_EQ(after->info.failure.slug, "storage/disk-full");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_imports WHERE file_sealed IS NOT NULL"), 1);
  // Once the disk is back, the same import applies.
  service_->SetApplyCheckpointForTest({});
  ASSERT_TRUE(service_->Apply(cadre_, v->info.id).ok());
  EXPECT_EQ(Residents(), 7);
}

TEST_F(ImportServiceTest, LargeFilesRunInTheBackgroundWithProgress) {
  ImportOptions options;
  options.sync_max_bytes = 100;
  options.sync_max_writes = 1;
  MakeService(options);
  ASSERT_TRUE(service_->Start().ok());
  Sheet sheet = {{"户号", "姓名", "公民身份号码", "与户主关系", "住址"}};
  for (int i = 0; i < kLargeRows; ++i) {
    const CivilDate born{1950 + i % 50, 1 + i % 12, 1 + i % 28};
    sheet.push_back({std::to_string(i), "户主" + std::to_string(i), SyntheticId("420102", born, 996 + (i / 2100) % 4),
                     "户主", "1组" + std::to_string(i) + "号"});
  }
  Result<ImportView> v = service_->Submit(cadre_, kVillage, testing::CsvOf(sheet));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->info.status == ImportStatus::kQueued || v->info.status == ImportStatus::kValidating);
  ImportView settled = WaitSettled(v->info.id);
  ASSERT_EQ(settled.info.status, ImportStatus::kValidated) << settled.info.failure.slug;
  EXPECT_EQ(settled.processed_rows, kLargeRows);
  EXPECT_EQ(settled.total_rows, kLargeRows);
  EXPECT_EQ(settled.info.totals.create, kLargeRows);
  Result<ImportView> applying = service_->Apply(cadre_, v->info.id);
  ASSERT_TRUE(applying.ok()) << applying.status().ToString();
  EXPECT_TRUE(applying->info.status == ImportStatus::kApplying || applying->info.status == ImportStatus::kApplied);
  settled = WaitSettled(v->info.id);
  EXPECT_EQ(settled.info.status, ImportStatus::kApplied);
  EXPECT_EQ(Residents(), kLargeRows);
}

TEST_F(ImportServiceTest, AFullQueueSaysBusyAndAVillageKeepsFewUploads) {
  ImportOptions options;
  options.sync_max_bytes = 10;  // everything goes to the runner, whose queue holds nothing
  options.queue_capacity = 0;
  options.max_files_per_village = 2;
  MakeService(options);
  const std::string csv = testing::CsvOf(testing::SampleRegister());
  Result<ImportView> v = service_->Submit(cadre_, kVillage, csv);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), problems::kBusy);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_imports WHERE status = 'failed' AND file_sealed IS NULL"), 1);

  options.sync_max_bytes = 1 << 20;
  MakeService(options);
  ASSERT_TRUE(service_->Submit(cadre_, kVillage, csv).ok());
  ASSERT_TRUE(service_->Submit(cadre_, kVillage, csv).ok());
  v = service_->Submit(cadre_, kVillage, csv);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), problems::kTooManyPending);
  EXPECT_EQ(v.status().code(), Code::kRateLimited);
}

TEST_F(ImportServiceTest, AMalformedFileIsRefusedWithRowAndColumnAndNotKept) {
  MakeService();
  Result<ImportView> v = service_->Submit(cadre_, kVillage, "姓名,身份证号,与户主关系\r\n赵一,\"4201,户主\r\n");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), "tabular/bad-csv");
  EXPECT_EQ(v.status().Arg("row"), "2");
  EXPECT_EQ(v.status().Arg("column"), "B");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_imports WHERE status = 'failed' AND file_sealed IS NULL"), 1);
}

TEST_F(ImportServiceTest, UploadsExpireAfterADayAndRestartsFailInterruptedJobs) {
  MakeService();
  Result<ImportView> v = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(v.ok());
  clock_.Advance(std::chrono::hours(25));
  Result<ImportView> applied = service_->Apply(cadre_, v->info.id);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().slug(), problems::kExpired);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM residents_imports WHERE status = 'expired' AND file_sealed IS NULL "
                  "AND report_sealed IS NULL"),
            1);
  EXPECT_EQ(AuditOf("residents.import_purge"), 1);
  EXPECT_EQ(Residents(), 0);

  // A job the previous process queued but never ran.
  SealedImportJob job;
  job.info.id = 4242;
  job.info.county_code = "420114";
  job.info.village_code = std::string(kVillage);
  job.info.format = "csv";
  job.info.created_at_ms = job.info.updated_at_ms = 1;
  job.info.expires_at_ms = NowMs(clock_) + 1000;
  job.file_sealed = cipher_->Seal("x", FileAssociatedData(job.info));
  ASSERT_TRUE(jobs_->Insert(job, {}, 1).ok());
  MakeService();  // a new process
  ASSERT_TRUE(service_->Start().ok());
  Result<ImportView> interrupted = service_->View(4242, false);
  ASSERT_TRUE(interrupted.ok());
  EXPECT_EQ(interrupted->info.status, ImportStatus::kFailed);
  EXPECT_EQ(interrupted->info.failure.slug, problems::kInterrupted);
  EXPECT_EQ(StatusOf(interrupted->info.failure).code(), Code::kFailedPrecondition);
}

TEST_F(ImportServiceTest, ASealedFileMovedToAnotherJobDoesNotOpen) {
  MakeService();
  Result<ImportView> a = service_->Submit(cadre_, kVillage, testing::CsvOf(testing::SampleRegister()));
  ASSERT_TRUE(a.ok());
  Result<SealedImportJob> job = jobs_->Get(a->info.id, true, true);
  ASSERT_TRUE(job.ok());
  ImportJobInfo other = job->info;
  other.id += 1;
  EXPECT_FALSE(cipher_->Open(*job->file_sealed, FileAssociatedData(other)).ok());
  EXPECT_FALSE(cipher_->Open(*job->report_sealed, FileAssociatedData(job->info)).ok());
  EXPECT_TRUE(cipher_->Open(*job->file_sealed, FileAssociatedData(job->info)).ok());
}

TEST_F(ImportServiceTest, TheBoundDatabaseUndoesAFailingCallOnly) {
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
                    TxBoundDb bound(tx);
                    GZ_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE t (x INTEGER)"));
                    GZ_RETURN_IF_ERROR(bound.Write([](storage::Tx& t) { return t.Exec("INSERT INTO t VALUES (1)").status(); }));
                    Status failed = bound.Write([](storage::Tx& t) -> Status {
                      GZ_RETURN_IF_ERROR(t.Exec("INSERT INTO t VALUES (2)").status());
                      return InvalidArgument("test/refused");
                    });
                    EXPECT_EQ(failed.slug(), "test/refused");
                    return Status::Ok();
                  }).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(Count("SELECT SUM(x) FROM t"), 1);
}

}  // namespace
}  // namespace gz::residents::import
