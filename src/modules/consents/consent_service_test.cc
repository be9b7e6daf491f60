// ConsentService on the real SQL store (temporary SQLite, real audit trail), fake accounts and a
// fake clock: the rules of a consent, its time window, revocation, evidence, audit and the demo.
#include "modules/consents/consent_service.h"

#include <gtest/gtest.h>

#include "crypto/secrets.h"
#include "modules/consents/evidence.h"
#include "modules/consents/problems.h"
#include "modules/consents/seed_demo.h"
#include "modules/consents/testing/consent_test_env.h"

namespace gz::consents {
namespace {

using testing::ConsentTestEnv;
using testing::kSibling;
using testing::kVillage;

class ConsentServiceTest : public ::testing::Test {
 protected:
  Result<Consent> Grant(int64_t recorder, const GrantRequest& r) { return env.service->Grant(env.Who(recorder), r); }
  std::optional<access::ActiveConsent> Active(int64_t helper, int64_t villager) {
    auto a = env.store->FindActive(helper, villager, env.service->NowMs());
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? *a : std::nullopt;
  }
  GrantRequest InPerson(int64_t villager, int64_t helper, std::string image = DemoEvidencePng()) {
    GrantRequest r = env.InApp(villager, helper);
    r.method = Method::kInPersonSignature;
    r.evidence_image = std::move(image);
    return r;
  }
  GrantRequest Phone(int64_t villager, int64_t helper) {
    GrantRequest r = env.InApp(villager, helper);
    r.method = Method::kPhoneCall;
    r.attestation = "村民本人来电，确认同意由帮办员代办查询事项。";
    return r;
  }
  static std::string Slug(const Result<Consent>& r) { return r.ok() ? "ok" : r.status().slug(); }
  static std::string Reason(const Result<Consent>& r) { return std::string(r.status().Arg("reason")); }
  int64_t ConsentRows() {
    int64_t n = -1;
    EXPECT_TRUE(env.db()
                    .Read([&](storage::Tx& tx) -> Status {
                      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT COUNT(*) FROM consents_consents"));
                      n = rs.rows.front().Int(0);
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  ConsentTestEnv env;
};

TEST_F(ConsentServiceTest, VillagerGrantsInAppAndTheHelperMayActAtOnce) {
  auto c = Grant(101, env.InApp(101, 201));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->village, kVillage);
  EXPECT_EQ(c->actions, (std::vector<std::string>{"me.read", "residents.read"}));
  EXPECT_EQ(c->valid_from_ms, env.service->NowMs());
  EXPECT_EQ(c->valid_until_ms, c->valid_from_ms + 30 * kDayMs);
  EXPECT_EQ(c->recorded_by, 101);
  EXPECT_FALSE(c->evidence);
  auto active = Active(201, 101);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->id, c->id);
  EXPECT_EQ(active->actions, c->actions);
  EXPECT_FALSE(Active(202, 101)) << "another helper has no consent";
  EXPECT_FALSE(Active(101, 201)) << "the pair is ordered";
  EXPECT_EQ(env.AuditRows("consents.grant"), 1);
  auto stored = env.service->Get(c->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, *c);
}

GrantRequest SmsRequest(int64_t villager, int64_t helper) {
  GrantRequest r;
  r.villager_account = villager;
  r.helper_account = helper;
  r.actions = {"appeals.submit", "me.read"};
  r.method = Method::kSmsCode;
  r.valid_days = 30;
  return r;
}

template <typename T>
std::string SlugOf(const Result<T>& r) {
  return r.ok() ? "ok" : r.status().slug();
}

TEST_F(ConsentServiceTest, SmsCodeIsNotAMethodOfTheDirectGrant) {
  auto c = Grant(201, SmsRequest(101, 201));
  EXPECT_EQ(Slug(c), problems::kMethodNotAllowed);
  EXPECT_EQ(c.status().Arg("reason"), "use-sms-challenge");
  EXPECT_EQ(ConsentRows(), 0);
}

TEST_F(ConsentServiceTest, SmsCodeConsentFromTextToRecord) {
  auto sent = env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->sent_to, "154****0101");
  ASSERT_EQ(env.sms.sent().size(), 1u);
  const sms::SmsMessage text = env.sms.sent().back();
  EXPECT_EQ(text.phone, "15400000101");
  EXPECT_EQ(text.id, sent->challenge.id);
  // The villager reads who asks, what for, until when, and the code.
  EXPECT_NE(text.text.find("尾号0201"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("提交诉求"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("查看本人信息"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("有效期至"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("不同意请勿告诉任何人"), std::string::npos) << text.text;
  const std::string code = env.sms.LastCode();
  ASSERT_EQ(code.size(), 6u) << text.text;
  // The code is nowhere in the store or the audit trail.
  EXPECT_EQ(sent->challenge.code_index.find(code), std::string::npos);
  for (const auto& e : env.sink.events()) EXPECT_EQ(e.details.find(code), std::string::npos);
  EXPECT_EQ(env.AuditRows("consents.sms_challenge"), 1);
  EXPECT_FALSE(Active(201, 101)) << "nothing counts before the code is entered";

  env.clock.Advance(std::chrono::minutes(3));
  auto c = env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, code);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->method, Method::kSmsCode);
  EXPECT_EQ(c->valid_from_ms, env.service->NowMs()) << "from when the code was entered, not when it was asked";
  EXPECT_EQ(c->valid_until_ms, sent->challenge.valid_until_ms) << "until when the text said";
  EXPECT_EQ(c->actions, sent->challenge.actions);
  EXPECT_TRUE(Active(201, 101));
  EXPECT_EQ(env.AuditRows("consents.grant"), 1);
  // Used once.
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, code)), problems::kSmsCodeUsed);
  auto after = env.service->GetSmsChallenge(env.Who(201), sent->challenge.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->consent_id, c->id);
}

TEST_F(ConsentServiceTest, SmsCodeWrongFiveTimesIsVoidAndEveryTryIsAudited) {
  auto sent = env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  const std::string code = env.sms.LastCode();
  const std::string wrong = code == "000000" ? "000001" : "000000";
  for (int i = 1; i <= kSmsCodeAttempts; ++i) {
    auto r = env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, wrong);
    ASSERT_EQ(SlugOf(r), problems::kSmsCodeWrong) << i;
    EXPECT_EQ(r.status().Arg("attempts_left"), std::to_string(kSmsCodeAttempts - i));
  }
  EXPECT_EQ(env.AuditRows("consents.sms_code_wrong"), kSmsCodeAttempts);
  // Even the right code no longer works.
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, code)), problems::kSmsCodeExhausted);
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, "12a456")), problems::kSmsCodeExhausted);
  EXPECT_EQ(ConsentRows(), 0);
}

TEST_F(ConsentServiceTest, SmsCodeExpiresAfterTenMinutesAndBelongsToItsRequester) {
  auto sent = env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201));
  ASSERT_TRUE(sent.ok());
  const std::string code = env.sms.LastCode();
  // The cadre of the village did not ask for it: to them it does not exist.
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(301), sent->challenge.id, code)), problems::kChallengeNotFound);
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, "12345")), problems::kBadSmsCode);
  env.clock.Advance(std::chrono::milliseconds(kSmsCodeTtlMs));
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, code)), problems::kSmsCodeExpired);
  EXPECT_EQ(ConsentRows(), 0);
}

TEST_F(ConsentServiceTest, SmsCodesAreCappedPerVillagerPerHour) {
  for (int i = 0; i < kSmsPerVillagerPerHour; ++i) {
    auto sent = env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201));
    ASSERT_TRUE(sent.ok()) << i << sent.status().ToString();
  }
  auto capped = env.service->RequestSmsCode(env.Who(301), SmsRequest(101, 201));
  EXPECT_EQ(capped.status().code(), Code::kRateLimited);
  EXPECT_EQ(capped.status().Arg("per"), "villager");
  EXPECT_EQ(env.sms.sent().size(), static_cast<size_t>(kSmsPerVillagerPerHour));
  env.clock.Advance(std::chrono::hours(1));
  EXPECT_TRUE(env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201)).ok());
}

TEST_F(ConsentServiceTest, SmsCodeNeedsAGatewayAPhoneAndTheRulesOfAnyGrant) {
  ConsentService no_sms(*env.store, env.accounts, env.cipher(), env.sink, env.clock);
  EXPECT_EQ(SlugOf(no_sms.RequestSmsCode(env.Who(201), SmsRequest(101, 201))), problems::kSmsUnavailable);
  // 102 has no phone on record.
  EXPECT_EQ(SlugOf(env.service->RequestSmsCode(env.Who(201), SmsRequest(102, 201))), problems::kNoPhone);
  // Grant's rules: a helper of the sibling village is not eligible; a helper asks only for themself.
  EXPECT_EQ(SlugOf(env.service->RequestSmsCode(env.Who(203), SmsRequest(101, 203))), problems::kHelperNotEligible);
  EXPECT_EQ(SlugOf(env.service->RequestSmsCode(env.Who(202), SmsRequest(101, 201))), problems::kMethodNotAllowed);
  // The gateway is down: recorded, not sent, and said so.
  env.sms.SetFailing(true);
  EXPECT_EQ(SlugOf(env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201))), problems::kSmsSendFailed);
  EXPECT_TRUE(env.sms.sent().empty());
}

TEST_F(ConsentServiceTest, SmsCodeHelperDemotedMeanwhileIsRefused) {
  auto sent = env.service->RequestSmsCode(env.Who(201), SmsRequest(101, 201));
  ASSERT_TRUE(sent.ok());
  env.accounts.Put(201, access::Role::kHelper, kVillage, kVillage, /*enabled=*/false);
  EXPECT_EQ(SlugOf(env.service->ConfirmSmsCode(env.Who(201), sent->challenge.id, env.sms.LastCode())),
            problems::kHelperNotEligible);
  EXPECT_EQ(ConsentRows(), 0);
}

TEST_F(ConsentServiceTest, PartiesMustBeAVillagerAndAHelperOfThatVillage) {
  EXPECT_EQ(Slug(Grant(201, InPerson(201, 201))), problems::kSamePerson);
  EXPECT_EQ(Slug(Grant(301, InPerson(999, 201))), problems::kVillagerNotFound);
  EXPECT_EQ(Slug(Grant(301, InPerson(202, 201))), problems::kNotAVillager);  // a helper is not a villager
  EXPECT_EQ(Slug(Grant(301, InPerson(101, 203))), problems::kHelperNotEligible) << "helper of the sibling village";
  EXPECT_EQ(Slug(Grant(301, InPerson(101, 998))), problems::kHelperNotEligible) << "no such account";
  EXPECT_EQ(Slug(Grant(301, InPerson(101, 102))), problems::kHelperNotEligible) << "a villager is no helper";
  env.accounts.Put(204, access::Role::kHelper, kVillage, kVillage, /*enabled=*/false);
  EXPECT_EQ(Slug(Grant(301, InPerson(101, 204))), problems::kHelperNotEligible) << "disabled";
  // A helper whose scope is the whole township covers the village.
  env.accounts.Put(205, access::Role::kHelper, testing::kTownship, "");
  EXPECT_EQ(Slug(Grant(205, InPerson(101, 205))), "ok");
  EXPECT_EQ(ConsentRows(), 1);
}

TEST_F(ConsentServiceTest, WhoMayRecordWhichMethod) {
  // The villager: only in the app, only for themself (the gate checks "themself").
  auto self_in_person = Grant(101, InPerson(101, 201));
  EXPECT_EQ(Slug(self_in_person), problems::kMethodNotAllowed);
  EXPECT_EQ(Reason(self_in_person), "self-only-in-app");
  // Staff cannot press the villager's "agree" button.
  auto helper_in_app = Grant(201, env.InApp(101, 201));
  EXPECT_EQ(Reason(helper_in_app), "in-app-only-by-villager");
  // A helper records consents naming themself only.
  auto for_colleague = Grant(202, InPerson(101, 201));
  EXPECT_EQ(Reason(for_colleague), "helper-records-own-only");
  // A cadre of the village may record for any helper of it; a helper for themself.
  EXPECT_EQ(Slug(Grant(301, Phone(101, 201))), "ok");
  EXPECT_EQ(Slug(Grant(202, InPerson(101, 202))), "ok");
  EXPECT_EQ(Slug(Grant(102, env.InApp(102, 201))), "ok");
  EXPECT_EQ(ConsentRows(), 3);
}

TEST_F(ConsentServiceTest, EachMethodNeedsItsOwnFieldsAndNoOthers) {
  GrantRequest no_image = InPerson(101, 201);
  no_image.evidence_image.reset();
  auto r1 = Grant(201, no_image);
  EXPECT_EQ(Slug(r1), problems::kFieldRequired);
  EXPECT_EQ(r1.status().Arg("field"), "evidence_image");

  GrantRequest no_attestation = Phone(101, 201);
  no_attestation.attestation.reset();
  EXPECT_EQ(Grant(201, no_attestation).status().Arg("field"), "attestation");

  GrantRequest image_on_phone = Phone(101, 201);
  image_on_phone.evidence_image = DemoEvidencePng();
  EXPECT_EQ(Slug(Grant(201, image_on_phone)), problems::kFieldNotAllowed);

  GrantRequest call_at_in_person = InPerson(101, 201);
  call_at_in_person.call_at_ms = env.service->NowMs();
  EXPECT_EQ(Grant(201, call_at_in_person).status().Arg("field"), "call_at");

  GrantRequest attestation_in_app = env.InApp(101, 201);
  attestation_in_app.attestation = "x";
  EXPECT_EQ(Slug(Grant(101, attestation_in_app)), problems::kFieldNotAllowed);

  GrantRequest blank = Phone(101, 201);
  blank.attestation = " \n ";
  EXPECT_EQ(Reason(Grant(201, blank)), "empty");
  GrantRequest long_attestation = Phone(101, 201);
  long_attestation.attestation = std::string(kMaxAttestationChars + 1, 'a');
  EXPECT_EQ(Reason(Grant(201, long_attestation)), "too-long");

  const int64_t now = env.service->NowMs();
  GrantRequest old_call = Phone(101, 201);
  old_call.call_at_ms = now - kMaxCallAgeMs - 1;
  EXPECT_EQ(Reason(Grant(201, old_call)), "too-old");
  GrantRequest future_call = Phone(101, 201);
  future_call.call_at_ms = now + kStartToleranceMs + 1;
  EXPECT_EQ(Reason(Grant(201, future_call)), "in-the-future");
  EXPECT_EQ(ConsentRows(), 0);

  GrantRequest yesterday = Phone(101, 201);
  yesterday.call_at_ms = now - kDayMs;
  auto ok = Grant(201, yesterday);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->call_at_ms, now - kDayMs);
  EXPECT_EQ(ok->evidence, std::nullopt) << "an attestation is not an image";
}

TEST_F(ConsentServiceTest, WindowNeedsAnEndOfAtMostAYearAndNoBackdating) {
  const int64_t now = env.service->NowMs();
  GrantRequest none = env.InApp(101, 201);
  none.valid_days.reset();
  EXPECT_EQ(Reason(Grant(101, none)), "missing-until");
  GrantRequest both = env.InApp(101, 201);
  both.valid_until_ms = now + kDayMs;
  EXPECT_EQ(Reason(Grant(101, both)), "until-and-days");
  GrantRequest too_long = env.InApp(101, 201);
  too_long.valid_days = 367;
  EXPECT_EQ(Reason(Grant(101, too_long)), "longer-than-a-year");
  GrantRequest until_too_far = env.InApp(101, 201);
  until_too_far.valid_days.reset();
  until_too_far.valid_until_ms = now + kMaxValidityMs + 1;
  EXPECT_EQ(Reason(Grant(101, until_too_far)), "longer-than-a-year");
  GrantRequest backdated = env.InApp(101, 201);
  backdated.valid_from_ms = now - kDayMs;
  EXPECT_EQ(Reason(Grant(101, backdated)), "starts-in-the-past");
  EXPECT_EQ(ConsentRows(), 0);

  GrantRequest year = env.InApp(101, 201);
  year.valid_days.reset();
  year.valid_until_ms = now + kMaxValidityMs;
  EXPECT_EQ(Slug(Grant(101, year)), "ok");
}

TEST_F(ConsentServiceTest, ActiveExactlyFromValidFromUntilJustBeforeValidUntil) {
  const int64_t now = env.service->NowMs();
  GrantRequest r = env.InApp(101, 201);
  r.valid_from_ms = now + 3600'000;
  r.valid_days = 1;
  auto c = Grant(101, r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(Active(201, 101)) << "pending";
  env.clock.Advance(std::chrono::milliseconds(3600'000 - 1));
  EXPECT_FALSE(Active(201, 101)) << "1 ms before it starts";
  env.clock.Advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(Active(201, 101)) << "at valid_from";
  env.clock.Advance(std::chrono::milliseconds(kDayMs - 1));
  EXPECT_TRUE(Active(201, 101)) << "1 ms before valid_until";
  env.clock.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(Active(201, 101)) << "at valid_until";
  EXPECT_EQ(LifecycleAt(*c, env.service->NowMs()), Lifecycle::kExpired);
}

TEST_F(ConsentServiceTest, OverlappingConsentsForOnePairAreRefusedNotMerged) {
  auto first = Grant(101, env.InApp(101, 201));
  ASSERT_TRUE(first.ok());
  auto second = Grant(201, InPerson(101, 201));
  EXPECT_EQ(second.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(Slug(second), problems::kOverlappingConsent);
  EXPECT_EQ(second.status().Arg("consent"), std::to_string(first->id));
  // Other pairs are independent.
  EXPECT_EQ(Slug(Grant(202, InPerson(101, 202))), "ok");
  EXPECT_EQ(Slug(Grant(102, env.InApp(102, 201))), "ok");
  // One that starts when the first ends does not overlap (half-open windows).
  GrantRequest next = env.InApp(101, 201);
  next.valid_from_ms = first->valid_until_ms;
  EXPECT_EQ(Slug(Grant(101, next)), "ok");
  // After a revocation, a new one may be recorded at once.
  ASSERT_TRUE(env.service->Revoke(env.Who(101), first->id, "").ok());
  EXPECT_EQ(Slug(Grant(201, InPerson(101, 201))), "ok");
}

TEST_F(ConsentServiceTest, RevocationTakesEffectOnTheNextLookup) {
  auto c = Grant(101, env.InApp(101, 201));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(Active(201, 101));
  auto revoked = env.service->Revoke(env.Who(101), c->id, "不再需要");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->revoked_at_ms, env.service->NowMs());
  EXPECT_EQ(revoked->revoked_by, 101);
  EXPECT_EQ(revoked->revoke_reason, "不再需要");
  EXPECT_FALSE(Active(201, 101));
  EXPECT_EQ(env.AuditRows("consents.revoke"), 1);

  auto again = env.service->Revoke(env.Who(201), c->id, "");
  EXPECT_EQ(again.status().slug(), problems::kAlreadyRevoked);
  EXPECT_EQ(env.AuditRows("consents.revoke"), 1);
  EXPECT_EQ(env.service->Revoke(env.Who(101), 12345, "").status().slug(), problems::kConsentNotFound);
  EXPECT_EQ(env.service->Revoke(env.Who(101), c->id, std::string(kMaxReasonChars + 1, 'x')).status().slug(),
            problems::kBadReason);
}

TEST_F(ConsentServiceTest, AChangeAndItsAuditRecordCommitTogetherOrNotAtAll) {
  env.fail_audit_in_tx = true;
  auto c = Grant(101, env.InApp(101, 201));
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(ConsentRows(), 0) << "the consent was kept without its audit record";
  EXPECT_FALSE(Active(201, 101));

  env.fail_audit_in_tx = false;
  auto kept = Grant(101, env.InApp(101, 201));
  ASSERT_TRUE(kept.ok());
  env.fail_audit_in_tx = true;
  EXPECT_FALSE(env.service->Revoke(env.Who(101), kept->id, "").ok());
  EXPECT_TRUE(Active(201, 101)) << "revoked without an audit record";
  EXPECT_EQ(env.AuditRows("consents.grant"), 1);
  EXPECT_EQ(env.AuditRows("consents.revoke"), 0);
}

TEST_F(ConsentServiceTest, GrantAuditRecordNamesBothPartiesButNoPersonalData) {
  const std::string attestation = "电话核实：村民王某同意，手机 15400000001";
  GrantRequest r = Phone(101, 201);
  r.attestation = attestation;
  auto c = Grant(201, r);
  ASSERT_TRUE(c.ok());
  std::string details, division, object_id;
  ASSERT_TRUE(env.db()
                  .Read([&](storage::Tx& tx) -> Status {
                    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                                        tx.Query("SELECT details, division, object_id, actor_account FROM audit_records "
                                                 "WHERE action = 'consents.grant'"));
                    details = rs.rows.front().Text(0);
                    division = rs.rows.front().Text(1);
                    object_id = rs.rows.front().Text(2);
                    EXPECT_EQ(rs.rows.front().Int(3), 201);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(division, kVillage);
  EXPECT_EQ(object_id, std::to_string(c->id));
  EXPECT_NE(details.find("\"villager\":\"101\""), std::string::npos) << details;
  EXPECT_NE(details.find("\"helper\":\"201\""), std::string::npos) << details;
  EXPECT_EQ(details.find("15400000001"), std::string::npos) << details;
  EXPECT_EQ(details.find("王"), std::string::npos) << details;
}

TEST_F(ConsentServiceTest, EvidenceIsSealedHashedAndReadOnlyWithAnAuditRecord) {
  const std::string png = DemoEvidencePng(40, 20);
  auto c = Grant(201, InPerson(101, 201, png));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE(c->evidence);
  EXPECT_EQ(c->evidence->media_type, "image/png");
  EXPECT_EQ(c->evidence->sha256, crypto::Sha256Hex(png));
  EXPECT_EQ(c->evidence->bytes, static_cast<int64_t>(png.size()));

  auto sealed = env.store->GetEvidence(c->id);
  ASSERT_TRUE(sealed.ok() && sealed->has_value());
  EXPECT_EQ((*sealed)->sealed.find(png.substr(0, 16)), std::string::npos) << "stored in clear";

  auto no_purpose = env.service->ReadEvidence(env.Who(101), *c, "");
  EXPECT_EQ(no_purpose.status().slug(), problems::kBadPurpose);
  EXPECT_EQ(env.sink.Count("consents.read_personal"), 0u);

  auto read = env.service->ReadEvidence(env.Who(101), *c, "本人查看");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->content, png);
  EXPECT_EQ(read->media_type, "image/png");
  auto events = env.sink.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "consents.read_personal");
  EXPECT_EQ(events[0].actor_account, 101);
  EXPECT_EQ(events[0].purpose, "本人查看");
  EXPECT_EQ(events[0].object_id, std::to_string(c->id));
  EXPECT_EQ(events[0].division, kVillage);
}

TEST_F(ConsentServiceTest, EvidenceReadFailsClosedWhenItCannotBeAudited) {
  auto c = Grant(201, InPerson(101, 201));
  ASSERT_TRUE(c.ok());
  env.sink.SetFailing(true);
  auto read = env.service->ReadEvidence(env.Who(301), *c, "核查授权");
  EXPECT_FALSE(read.ok());
  EXPECT_EQ(read.status().slug(), "audit/unavailable");
}

TEST_F(ConsentServiceTest, PhoneAttestationIsEvidenceToo) {
  GrantRequest r = Phone(101, 201);
  auto c = Grant(201, r);
  ASSERT_TRUE(c.ok());
  auto read = env.service->ReadEvidence(env.Who(201), *c, "核对");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->kind, SealedEvidence::Kind::kAttestation);
  EXPECT_EQ(read->content, *r.attestation);
  EXPECT_EQ(read->media_type, "text/plain; charset=utf-8");
  auto in_app = Grant(102, env.InApp(102, 201));
  ASSERT_TRUE(in_app.ok());
  EXPECT_EQ(env.service->ReadEvidence(env.Who(102), *in_app, "x").status().slug(), problems::kNoEvidence);
}

TEST_F(ConsentServiceTest, EvidenceMovedToAnotherConsentDoesNotOpen) {
  auto a = Grant(201, InPerson(101, 201, DemoEvidencePng(10, 10)));
  auto b = Grant(202, InPerson(101, 202, DemoEvidencePng(12, 12)));
  ASSERT_TRUE(a.ok() && b.ok());
  // Put a's sealed image under b's id (an edit at rest): the associated data no longer matches.
  ASSERT_TRUE(env.db()
                  .Write([&](storage::Tx& tx) -> Status {
                    GZ_RETURN_IF_ERROR(tx.Exec("DELETE FROM consents_evidence WHERE consent_id = $1", {b->id}).status());
                    return tx
                        .Exec("INSERT INTO consents_evidence (consent_id, kind, content_sealed) "
                              "SELECT $1, kind, content_sealed FROM consents_evidence WHERE consent_id = $2",
                              {b->id, a->id})
                        .status();
                  })
                  .ok());
  auto read = env.service->ReadEvidence(env.Who(301), *b, "核查");
  EXPECT_EQ(read.status().slug(), "crypto/integrity-failure");
  EXPECT_EQ(env.sink.Count("consents.read_personal"), 0u);
  // And a record whose hash was not that of the image is not served either.
  Consent wrong_hash = *a;
  wrong_hash.evidence->sha256 = crypto::Sha256Hex("something else");
  EXPECT_EQ(env.service->ReadEvidence(env.Who(301), wrong_hash, "核查").status().slug(), "crypto/integrity-failure");
}

TEST_F(ConsentServiceTest, EvidenceLimitsAreCheckedInTheServiceToo) {
  std::string big(kMaxEvidenceBytes + 1, '\0');
  big.replace(0, 3, "\xFF\xD8\xFF");
  EXPECT_EQ(Slug(Grant(201, InPerson(101, 201, big))), problems::kEvidenceTooLarge);
  EXPECT_EQ(Reason(Grant(201, InPerson(101, 201, "GIF89a-not-an-allowed-type"))), "not-jpeg-or-png");
  std::string exact(kMaxEvidenceBytes, '\0');
  exact.replace(0, 3, "\xFF\xD8\xFF");
  auto ok = Grant(201, InPerson(101, 201, exact));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->evidence->media_type, "image/jpeg");
}

TEST_F(ConsentServiceTest, ListsAreLimitedToTheirReach) {
  ASSERT_TRUE(Grant(101, env.InApp(101, 201)).ok());
  ASSERT_TRUE(Grant(102, env.InApp(102, 202)).ok());
  ASSERT_TRUE(Grant(203, InPerson(103, 203)).ok());
  auto count = [&](ConsentQuery q) {
    auto page = env.service->List(q);
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(static_cast<int64_t>(page->items.size()), page->total);
    return page->total;
  };
  auto reach = [](std::vector<std::string> scopes, int64_t party = 0) {
    ConsentQuery q;
    q.scopes = std::move(scopes);
    q.party_account = party;
    return q;
  };
  auto with = [](ConsentQuery q, auto&& change) {
    change(q);
    return q;
  };
  EXPECT_EQ(count(ConsentQuery{}), 0) << "no reach, nothing";
  EXPECT_EQ(count(reach({kVillage})), 2);
  EXPECT_EQ(count(reach({testing::kTownship})), 3);
  EXPECT_EQ(count(reach({testing::kOtherTownVillage})), 0);
  EXPECT_EQ(count(reach({}, 201)), 1);
  EXPECT_EQ(count(reach({}, 101)), 1);
  const ConsentQuery township = reach({testing::kTownship});
  EXPECT_EQ(count(with(township, [](ConsentQuery& q) { q.village = kSibling; })), 1);
  EXPECT_EQ(count(with(township, [](ConsentQuery& q) { q.helper_account = 202; })), 1);
  EXPECT_EQ(count(with(township, [](ConsentQuery& q) { q.active = false; })), 0);
  EXPECT_EQ(count(with(township, [](ConsentQuery& q) { q.active = true; })), 3);
  // A filter never widens the reach.
  EXPECT_EQ(count(with(reach({}, 201), [](ConsentQuery& q) { q.village = kSibling; })), 0);
  EXPECT_EQ(count(with(reach({}, 201), [](ConsentQuery& q) { q.helper_account = 203; })), 0);
}

TEST_F(ConsentServiceTest, DemoConsentIsRecordedOnceWithEveryDelegablePermission) {
  auto first = SeedDemoConsent(*env.service, env.accounts, 101, 201);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);
  auto second = SeedDemoConsent(*env.service, env.accounts, 101, 201);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->consent_id, first->consent_id);
  auto c = env.service->Get(first->consent_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->actions, DelegablePermissions());
  EXPECT_EQ(c->method, Method::kInPersonSignature);
  EXPECT_EQ(c->valid_until_ms - c->valid_from_ms, 365 * kDayMs);
  EXPECT_EQ(c->recorded_by, 201);
  auto read = env.service->ReadEvidence(env.Who(101), *c, "demo");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->content, DemoEvidencePng());
  // Once revoked, seeding again records a fresh one (the demo always has a working consent).
  ASSERT_TRUE(env.service->Revoke(env.Who(101), c->id, "").ok());
  auto third = SeedDemoConsent(*env.service, env.accounts, 101, 201);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->created);
}

TEST_F(ConsentServiceTest, TargetsAreTheVillagersVillageWithEitherPartyAsOwner) {
  auto target = env.service->GrantTarget(101);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->division, kVillage);
  EXPECT_EQ(target->owner_account, 101);
  EXPECT_EQ(env.service->GrantTarget(302).status().slug(), problems::kVillagerNotFound) << "no home village";
  EXPECT_EQ(env.service->GrantTarget(999).status().slug(), problems::kVillagerNotFound);
  auto c = Grant(101, env.InApp(101, 201));
  ASSERT_TRUE(c.ok());
  auto targets = ConsentService::TargetsOf(*c);
  EXPECT_EQ(targets[0].owner_account, 101);
  EXPECT_EQ(targets[1].owner_account, 201);
  EXPECT_EQ(targets[0].division, kVillage);
  EXPECT_EQ(targets[1].division, kVillage);
}

}  // namespace
}  // namespace gz::consents
