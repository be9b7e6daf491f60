// Layer: appeals domain tests. Photos of appeals through the real service, sanitizer and stores
// (a temporary SQLite file with the audit trail): who may add them, when, how many (also under
// concurrent uploads), what is stored and audited, and that a photo and its timeline entry are
// one change.
#include "modules/appeals/appeal_photos.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crypto/secrets.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/testing/appeal_test_env.h"
#include "modules/attachments/problems.h"
#include "modules/attachments/sql/sql_attachment_store.h"
#include "modules/attachments/testing/fixtures.h"

namespace gz::appeals {
namespace {

using attachments::testing::Fixture;
using namespace testing;  // NOLINT: the test env's people

class AppealPhotosTest : public ::testing::Test {
 protected:
  AppealPhotosTest() { Build(PhotoSettings{}); }

  void Build(PhotoSettings settings) {
    files = std::make_unique<attachments::SqlAttachmentStore>(env.db());
    photos = std::make_unique<AppealPhotoService>(*env.store, *files, sanitizer, env.cipher(), env.sink, env.clock,
                                                  settings);
  }

  Result<attachments::Attachment> AddJpeg(const access::Principal& by, int64_t appeal) {
    return photos->Add(by, appeal, jpeg, "image/jpeg");
  }

  int64_t Photos() { return env.Count("SELECT COUNT(*) FROM attachments_files"); }

  AppealTestEnv env;
  attachments::ImageSanitizer sanitizer;
  std::unique_ptr<attachments::SqlAttachmentStore> files;
  std::unique_ptr<AppealPhotoService> photos;
  const std::string jpeg = Fixture("gps.jpg");
};

TEST_F(AppealPhotosTest, TheSubmitterAddsAPhotoAsOneChangeOfTheAppeal) {
  const Appeal a = env.Submit();
  Result<attachments::Attachment> p = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->owner_type, "appeal");
  EXPECT_EQ(p->owner_id, a.id);
  EXPECT_EQ(p->division, kVillage);
  EXPECT_EQ(p->width, 320);
  EXPECT_EQ(p->height, 240);
  EXPECT_EQ(p->sha256.size(), 64u);
  EXPECT_EQ(p->added_by, kVillager);
  EXPECT_EQ(p->acting_for, 0);

  Appeal after = *env.service->Get(a.id);
  EXPECT_EQ(after.version, a.version + 1);
  EXPECT_EQ(after.state, a.state);
  std::vector<TimelineEntry> timeline = *env.store->Timeline(a.id);
  const TimelineEntry& e = timeline.back();
  EXPECT_EQ(e.action, "note");
  EXPECT_EQ(e.visibility, Visibility::kPublic);
  EXPECT_FALSE(e.note_sealed.has_value());
  EXPECT_EQ(e.details, "{\"photo\":\"" + std::to_string(p->id) + "\"}");
  EXPECT_EQ(e.capacity, "submitter");
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_inbox WHERE kind = 'photo' AND recipient_kind = 'unit'"), 1);
  EXPECT_EQ(env.AuditRows("appeals.add_photo"), 1);
  EXPECT_EQ(Photos(), 1);

  Result<std::vector<attachments::Attachment>> listed = photos->List(after);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, p->id);
}

TEST_F(AppealPhotosTest, WhatIsStoredIsTheCleanImageSealedAndItsReadIsAudited) {
  const Appeal a = env.Submit();
  Result<attachments::Attachment> p = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // At rest: sealed, no trace of the original's metadata.
  const std::string at_rest = files->Get(p->id)->value().sealed;
  EXPECT_EQ(at_rest.find("CANARY"), std::string::npos);
  EXPECT_EQ(at_rest.find("\xFF\xD8\xFF"), std::string::npos);

  const size_t reads_before = env.sink.Count("appeals.read_personal");
  Result<PhotoFile> file = photos->Read(env.Who(kCadre), *env.service->Get(a.id), p->id, "办理诉求");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(crypto::Sha256Hex(file->bytes), p->sha256);
  EXPECT_EQ(file->bytes.find("CANARY"), std::string::npos);
  Result<std::vector<std::string>> fields = attachments::ImageSanitizer::MetadataFields(file->bytes);
  ASSERT_TRUE(fields.ok());
  for (const std::string& f : *fields) EXPECT_FALSE(f.starts_with("exif-") || f == "xmp-data" || f == "icc-profile-data") << f;
  ASSERT_EQ(env.sink.Count("appeals.read_personal"), reads_before + 1);
  const access::AuditEvent read = env.sink.events().back();
  EXPECT_EQ(read.purpose, "办理诉求");
  EXPECT_EQ(read.object_type, "resident");
  EXPECT_EQ(read.object_id, std::to_string(kVillagerResident));
  EXPECT_NE(read.details.find(std::to_string(p->id)), std::string::npos);

  // Fail closed: no audit, no bytes.
  env.sink.SetFailing(true);
  Result<PhotoFile> refused = photos->Read(env.Who(kCadre), *env.service->Get(a.id), p->id, "办理诉求");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kUnavailable);
}

TEST_F(AppealPhotosTest, OnlyTheSubmitterTheirHelperAndStaffInARelationMayAddPhotos) {
  const Appeal a = env.Submit();
  ASSERT_TRUE(AddJpeg(env.HelperForVillager(), a.id).ok());
  Result<attachments::Attachment> by_cadre = AddJpeg(env.Who(kCadre), a.id);
  ASSERT_TRUE(by_cadre.ok()) << by_cadre.status().ToString();
  ASSERT_TRUE(AddJpeg(env.Who(kTownshipOfficial), a.id).ok());  // next level
  ASSERT_TRUE(AddJpeg(env.Who(kSupervisorId), a.id).ok());
  for (int64_t outsider : {kVillager2, kSiblingVillager, kGrid, kSiblingCadre, kOtherTownshipOfficial, kAuditor, kCountyAdmin}) {
    Result<attachments::Attachment> r = AddJpeg(env.Who(outsider), a.id);
    ASSERT_FALSE(r.ok()) << outsider;
    EXPECT_EQ(r.status().slug(), problems::kNotAllowed) << outsider;
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied) << outsider;
  }
  std::vector<attachments::Attachment> listed = *photos->List(*env.service->Get(a.id));
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].added_by, kHelper);
  EXPECT_EQ(listed[0].acting_for, kVillager);
  EXPECT_EQ(listed[0].consent_id, kConsent);
  // Staff's photo reaches the submitter's inbox.
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_inbox WHERE kind = 'photo' AND recipient_account = $1",
                      {kVillager}),
            3);
}

TEST_F(AppealPhotosTest, NoPhotosOnceTheAppealIsWithdrawn) {
  const Appeal a = env.Submit();
  env.Must(env.Who(kVillager), a.id, Action::kWithdraw);
  Result<attachments::Attachment> r = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().slug(), problems::kTransitionNotAllowed);
  EXPECT_EQ(Photos(), 0);
  EXPECT_EQ(photos->Add(env.Who(kVillager), 987654321, jpeg, "image/jpeg").status().slug(), problems::kAppealNotFound);
}

TEST_F(AppealPhotosTest, HostileFilesChangeNothing) {
  const Appeal a = env.Submit();
  for (auto [name, type] : {std::pair{"bomb.png", "image/png"}, std::pair{"polyglot-zip.jpg", "image/jpeg"},
                            std::pair{"truncated.jpg", "image/jpeg"}, std::pair{"gif-named.jpg", "image/jpeg"},
                            std::pair{"gps.jpg", "image/png"}}) {
    Result<attachments::Attachment> r = photos->Add(env.Who(kVillager), a.id, Fixture(name), type);
    EXPECT_FALSE(r.ok()) << name;
  }
  EXPECT_EQ(Photos(), 0);
  EXPECT_EQ(env.service->Get(a.id)->version, a.version);
  EXPECT_EQ(env.AuditRows("appeals.add_photo"), 0);
}

TEST_F(AppealPhotosTest, APhotoIsNotStoredWhenItsChangeCannotBeAudited) {
  const Appeal a = env.Submit();
  env.fail_audit_in_tx = true;
  EXPECT_FALSE(AddJpeg(env.Who(kVillager), a.id).ok());
  env.fail_audit_in_tx = false;
  EXPECT_EQ(Photos(), 0);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM attachments_content"), 0);
  EXPECT_EQ(env.service->Get(a.id)->version, a.version);
}

TEST_F(AppealPhotosTest, TheLimitHoldsAlsoUnderConcurrentUploads) {
  Build(PhotoSettings{.max_per_appeal = 3});
  const Appeal a = env.Submit();
  std::atomic<int> added{0}, full{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      Result<attachments::Attachment> r = AddJpeg(env.Who(kVillager), a.id);
      if (r.ok()) {
        ++added;
      } else if (r.status().slug() == attachments::problems::kTooMany ||
                 r.status().slug() == problems::kEditConflict) {
        ++full;
      } else {
        ++other;
        ADD_FAILURE() << r.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(added.load(), 3);
  EXPECT_GE(added.load(), 1);
  EXPECT_EQ(Photos(), added.load());
  EXPECT_EQ(env.service->Get(a.id)->version, a.version + added.load());
  // Sequentially, the fourth is refused with the limit.
  while (Photos() < 3) ASSERT_TRUE(AddJpeg(env.Who(kVillager), a.id).ok());
  Result<attachments::Attachment> fourth = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().slug(), attachments::problems::kTooMany);
  EXPECT_EQ(fourth.status().code(), Code::kFailedPrecondition);
}

TEST_F(AppealPhotosTest, APhotoIsReadOnlyThroughItsOwnAppealAndOnlyIfIntact) {
  const Appeal a = env.Submit();
  const Appeal b = env.Submit(env.Who(kVillager2), env.Request());
  Result<attachments::Attachment> p = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_TRUE(p.ok());
  Result<PhotoFile> wrong = photos->Read(env.Who(kCadre), *env.service->Get(b.id), p->id, "办理诉求");
  EXPECT_EQ(wrong.status().slug(), attachments::problems::kAttachmentNotFound);
  EXPECT_EQ(photos->Read(env.Who(kCadre), *env.service->Get(a.id), 42, "办理诉求").status().slug(),
            attachments::problems::kAttachmentNotFound);
  EXPECT_EQ(photos->Read(env.Who(kCadre), *env.service->Get(a.id), p->id, "").status().slug(), problems::kBadPurpose);

  // Bytes swapped behind the service's back (the trigger that forbids it dropped first).
  ASSERT_TRUE(env.Exec(env.db().dialect() == storage::Dialect::kPostgres
                           ? "ALTER TABLE attachments_content DISABLE TRIGGER USER"
                           : "DROP TRIGGER attachments_content_no_update")
                  .ok());
  Result<attachments::Attachment> q = AddJpeg(env.Who(kVillager), a.id);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(env.Exec("UPDATE attachments_content SET sealed = (SELECT sealed FROM attachments_content WHERE "
                       "attachment_id = $1) WHERE attachment_id = $2",
                       {q->id, p->id})
                  .ok());
  Result<PhotoFile> swapped = photos->Read(env.Who(kCadre), *env.service->Get(a.id), p->id, "办理诉求");
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.status().slug(), "crypto/integrity-failure");
}

}  // namespace
}  // namespace gz::appeals
