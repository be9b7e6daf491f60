// Layer: attachments sql tests, on a temporary SQLite file with the real audit trail.
#include "modules/attachments/sql/sql_attachment_store.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/attachments/sql/attachment_migrations.h"
#include "modules/audit/sql/audit_migrations.h"
#include "storage/migrate.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace gz::attachments {
namespace {

class SqlAttachmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto dir = storage::sqlite::TempDirForTest::Create();
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<storage::sqlite::TempDirForTest>(std::move(*dir));
    storage::sqlite::SqliteOptions options;
    options.path = dir_->path() + "/attachments.db";
    auto db = storage::sqlite::OpenSqlite(options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : AttachmentMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock_).ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
    store_ = std::make_unique<SqlAttachmentStore>(*db_);
  }

  SealedAttachment Make(int64_t id, int64_t owner_id, std::string bytes) {
    Attachment a;
    a.id = id;
    a.owner_type = "appeal";
    a.owner_id = owner_id;
    a.division = "420114001205";
    a.format = ImageFormat::kPng;
    a.width = 3;
    a.height = 2;
    a.added_by = 101;
    a.added_at_ms = 1'700'000'000'000 + id;
    return SealAttachment(*cipher_, a, bytes);
  }

  access::AuditEvent Event(int64_t id) {
    access::AuditEvent e;
    e.action = "attachments.add";
    e.actor_account = 101;
    e.division = "420114001205";
    e.object_type = "attachment";
    e.object_id = std::to_string(id);
    return e;
  }

  int64_t Count(std::string_view sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql));
                     n = rs.rows.front().Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }

  FakeClock clock_;
  std::unique_ptr<storage::sqlite::TempDirForTest> dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<SqlAttachmentStore> store_;
};

TEST_F(SqlAttachmentStoreTest, StoresListsAndReadsBackSealedFiles) {
  ASSERT_TRUE(store_->Insert(Make(11, 7, "first"), Event(11), 1000).ok());
  ASSERT_TRUE(store_->Insert(Make(12, 7, "second"), Event(12), 1001).ok());
  ASSERT_TRUE(store_->Insert(Make(13, 8, "other owner"), Event(13), 1002).ok());

  Result<std::vector<Attachment>> listed = store_->List("appeal", 7);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, 11);
  EXPECT_EQ((*listed)[1].id, 12);
  EXPECT_EQ((*listed)[1].sha256, crypto::Sha256Hex("second"));
  EXPECT_EQ((*listed)[1].format, ImageFormat::kPng);
  EXPECT_EQ((*listed)[1].byte_size, 6);
  EXPECT_EQ(*store_->Count("appeal", 7), 2);
  EXPECT_EQ(*store_->Count("appeal", 9), 0);
  EXPECT_EQ(*store_->Count("disclosure", 7), 0);

  Result<std::optional<SealedAttachment>> got = store_->Get(12);
  ASSERT_TRUE(got.ok() && got->has_value());
  Result<std::string> bytes = OpenAttachment(*cipher_, **got);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "second");
  EXPECT_FALSE(store_->Get(99)->has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'attachments.add'"), 3);
}

TEST_F(SqlAttachmentStoreTest, NothingIsWrittenWhenTheAuditCannotBe) {
  SqlAttachmentStore failing(*db_, [](storage::Tx&, const access::AuditEvent&, int64_t) {
    return Status(Code::kInternal, "audit/bad-event", "test appender failing");
  });
  EXPECT_FALSE(failing.Insert(Make(21, 7, "x"), Event(21), 1000).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attachments_files"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attachments_content"), 0);
}

TEST_F(SqlAttachmentStoreTest, TheSchemaRefusesChangesDuplicatesAndBadValues) {
  ASSERT_TRUE(store_->Insert(Make(31, 7, "kept"), Event(31), 1000).ok());
  Status dup = store_->Insert(Make(31, 7, "again"), Event(31), 1001);
  EXPECT_EQ(dup.code(), Code::kAlreadyExists) << dup.ToString();
  for (std::string_view sql : {"UPDATE attachments_files SET width = 9 WHERE id = 31",
                               "DELETE FROM attachments_files WHERE id = 31",
                               "UPDATE attachments_content SET sealed = x'00' WHERE attachment_id = 31",
                               "DELETE FROM attachments_content WHERE attachment_id = 31"}) {
    Status s = db_->Write([&](storage::Tx& tx) { return tx.Exec(sql).status(); });
    EXPECT_FALSE(s.ok()) << sql;
  }
  SealedAttachment bad = Make(32, 7, "bad");
  bad.info.sha256 = "NOT-HEX";
  EXPECT_FALSE(db_->Write([&](storage::Tx& tx) { return InsertAttachmentInTx(tx, bad); }).ok());
  SealedAttachment plain = Make(33, 7, "plain");
  plain.sealed = "short";
  EXPECT_FALSE(db_->Write([&](storage::Tx& tx) { return InsertAttachmentInTx(tx, plain); }).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attachments_files"), 1);
}

}  // namespace
}  // namespace gz::attachments
