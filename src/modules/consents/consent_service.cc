// Layer: consents domain (see consent_service.h).
#include "modules/consents/consent_service.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "crypto/secrets.h"
#include "modules/consents/evidence.h"
#include "modules/consents/problems.h"

namespace gz::consents {
namespace {

Status MethodNotAllowed(Method method, std::string_view reason) {
  return InvalidArgument(std::string(problems::kMethodNotAllowed))
      .With("method", std::string(MethodCode(method)))
      .With("reason", std::string(reason));
}

Status FieldRequired(Method method, std::string_view field) {
  return InvalidArgument(std::string(problems::kFieldRequired))
      .With("method", std::string(MethodCode(method)))
      .With("field", std::string(field));
}

Status FieldNotAllowed(Method method, std::string_view field) {
  return InvalidArgument(std::string(problems::kFieldNotAllowed))
      .With("method", std::string(MethodCode(method)))
      .With("field", std::string(field));
}

bool HoldsRoleOver(const access::Person& person, access::Role role, std::string_view village) {
  for (const access::Grant& g : person.grants)
    if (g.role == role && access::ScopeContains(g.scope, village)) return true;
  return false;
}

// Facts for the audit record: ids, codes and times only, never personal data.
std::string GrantDetails(const Consent& c) {
  std::string d = "{\"method\":\"";
  d += MethodCode(c.method);
  d += "\",\"villager\":\"" + std::to_string(c.villager_account) + "\",\"helper\":\"" +
       std::to_string(c.helper_account) + "\",\"valid_from_ms\":" + std::to_string(c.valid_from_ms) +
       ",\"valid_until_ms\":" + std::to_string(c.valid_until_ms) + ",\"actions\":[";
  for (size_t i = 0; i < c.actions.size(); ++i) {
    if (i) d += ',';
    d += '"';
    log::AppendJsonEscaped(d, c.actions[i]);
    d += '"';
  }
  d += "]";
  if (c.evidence) d += ",\"evidence_sha256\":\"" + c.evidence->sha256 + "\"";
  d += "}";
  return d;
}

std::string_view PartyOf(const access::Principal& p, const Consent& c) {
  if (p.self.account_id == c.villager_account) return "villager";
  if (p.self.account_id == c.helper_account) return "helper";
  return "staff";
}

}  // namespace

ConsentService::ConsentService(ConsentStore& store, AccountFacts& accounts, const crypto::FieldCipher& cipher,
                               access::AuditSink& audit, const Clock& clock, sms::SmsGateway* sms)
    : store_(store), accounts_(accounts), cipher_(cipher), audit_(audit), clock_(clock), sms_(sms) {}

int64_t ConsentService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

Result<access::Target> ConsentService::GrantTarget(int64_t villager_account) {
  GZ_ASSIGN_OR_RETURN(std::optional<AccountSummary> villager, accounts_.Find(villager_account));
  if (!villager || !villager->enabled || villager->home_village.size() != 12)
    return NotFound(std::string(problems::kVillagerNotFound));
  access::Target t;
  t.division = villager->home_village;
  t.owner_account = villager_account;
  return t;
}

std::array<access::Target, 2> ConsentService::TargetsOf(const Consent& consent) {
  access::Target villager, helper;
  villager.division = helper.division = consent.village;
  villager.owner_account = consent.villager_account;
  helper.owner_account = consent.helper_account;
  return {villager, helper};
}

Status ConsentService::CheckRecorder(const access::Principal& recorder, const GrantRequest& r,
                                     std::string_view village) const {
  const int64_t me = recorder.self.account_id;
  if (me == r.villager_account) {
    // A villager's own word counts only where the villager is known to be themself: signed in.
    if (r.method != Method::kInApp) return MethodNotAllowed(r.method, "self-only-in-app");
    return Status::Ok();
  }
  if (r.method == Method::kInApp) return MethodNotAllowed(r.method, "in-app-only-by-villager");
  // A cadre may record for any helper of the village; a helper only consents naming themself, so
  // that no helper can hand a villager to someone else.
  if (!HoldsRoleOver(recorder.self, access::Role::kVillageCadre, village) && me != r.helper_account)
    return MethodNotAllowed(r.method, "helper-records-own-only");
  return Status::Ok();
}

Status ConsentService::CheckMethodFields(const GrantRequest& r, int64_t now_ms) const {
  const bool image = NeedsEvidenceImage(r.method);
  const bool phone = r.method == Method::kPhoneCall;
  if (image && !r.evidence_image) return FieldRequired(r.method, "evidence_image");
  if (!image && r.evidence_image) return FieldNotAllowed(r.method, "evidence_image");
  if (phone && !r.attestation) return FieldRequired(r.method, "attestation");
  if (!phone && r.attestation) return FieldNotAllowed(r.method, "attestation");
  if (!phone && r.call_at_ms) return FieldNotAllowed(r.method, "call_at");
  if (r.evidence_image) {
    if (r.evidence_image->size() > kMaxEvidenceBytes)
      return TooLarge(std::string(problems::kEvidenceTooLarge)).With("limit", std::to_string(kMaxEvidenceBytes));
    if (r.evidence_image->empty())
      return InvalidArgument(std::string(problems::kBadEvidence)).With("reason", "empty");
    if (!SniffImage(*r.evidence_image))
      return InvalidArgument(std::string(problems::kBadEvidence)).With("reason", "not-jpeg-or-png");
  }
  if (r.attestation) {
    std::string_view reason = CheckFreeText(*r.attestation, kMaxAttestationChars, true);
    if (reason.empty() && r.attestation->find_first_not_of(" \t\r\n") == std::string::npos) reason = "empty";
    if (!reason.empty())
      return InvalidArgument(std::string(problems::kBadAttestation))
          .With("reason", std::string(reason))
          .With("limit", std::to_string(kMaxAttestationChars));
  }
  if (r.call_at_ms) {
    if (*r.call_at_ms > now_ms + kStartToleranceMs)
      return InvalidArgument(std::string(problems::kBadCallTime)).With("reason", "in-the-future");
    if (*r.call_at_ms < now_ms - kMaxCallAgeMs)
      return InvalidArgument(std::string(problems::kBadCallTime)).With("reason", "too-old");
  }
  return Status::Ok();
}

Result<Consent> ConsentService::Draft(const access::Principal& recorder, const GrantRequest& r, int64_t now) {
  if (r.villager_account == r.helper_account) return InvalidArgument(std::string(problems::kSamePerson));

  GZ_ASSIGN_OR_RETURN(std::optional<AccountSummary> villager, accounts_.Find(r.villager_account));
  if (!villager || !villager->enabled || villager->home_village.size() != 12)
    return NotFound(std::string(problems::kVillagerNotFound));
  if (!IsVillager(*villager)) return InvalidArgument(std::string(problems::kNotAVillager));
  const std::string& village = villager->home_village;
  GZ_ASSIGN_OR_RETURN(std::optional<AccountSummary> helper, accounts_.Find(r.helper_account));
  if (!helper || !helper->enabled || !IsHelperFor(*helper, village))
    return InvalidArgument(std::string(problems::kHelperNotEligible));

  GZ_RETURN_IF_ERROR(CheckRecorder(recorder, r, village));
  GZ_RETURN_IF_ERROR(CheckMethodFields(r, now));
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> actions, NormalizeActions(r.actions));

  const int64_t from = r.valid_from_ms.value_or(now);
  if (r.valid_until_ms && r.valid_days)
    return InvalidArgument(std::string(problems::kBadWindow)).With("reason", "until-and-days");
  if (!r.valid_until_ms && !r.valid_days)
    return InvalidArgument(std::string(problems::kBadWindow)).With("reason", "missing-until");
  if (r.valid_days && (*r.valid_days < 1 || *r.valid_days > kMaxValidityMs / kDayMs))
    return InvalidArgument(std::string(problems::kBadWindow)).With("reason", "longer-than-a-year");
  const int64_t until = r.valid_until_ms ? *r.valid_until_ms : from + *r.valid_days * kDayMs;
  GZ_RETURN_IF_ERROR(CheckWindow(from, until, now));

  Consent c;
  c.id = crypto::NewRowId(now);
  c.villager_account = r.villager_account;
  c.helper_account = r.helper_account;
  c.village = village;
  c.actions = std::move(actions);
  c.valid_from_ms = from;
  c.valid_until_ms = until;
  c.method = r.method;
  c.recorded_by = recorder.self.account_id;
  c.recorded_at_ms = now;
  return c;
}

Result<Consent> ConsentService::Grant(const access::Principal& recorder, const GrantRequest& r) {
  const int64_t now = NowMs();
  if (r.method == Method::kSmsCode) return MethodNotAllowed(r.method, "use-sms-challenge");
  GZ_ASSIGN_OR_RETURN(Consent c, Draft(recorder, r, now));
  std::optional<SealedEvidence> evidence;
  if (r.evidence_image) {
    c.evidence = EvidenceInfo{std::string(*SniffImage(*r.evidence_image)), crypto::Sha256Hex(*r.evidence_image),
                              static_cast<int64_t>(r.evidence_image->size())};
    evidence = SealedEvidence{SealedEvidence::Kind::kImage,
                              cipher_.Seal(*r.evidence_image, EvidenceAssociatedData(c.id, SealedEvidence::Kind::kImage))};
  }
  if (r.method == Method::kPhoneCall) {
    c.call_at_ms = r.call_at_ms.value_or(now);
    evidence = SealedEvidence{SealedEvidence::Kind::kAttestation,
                              cipher_.Seal(*r.attestation, EvidenceAssociatedData(c.id, SealedEvidence::Kind::kAttestation))};
  }

  access::AuditEvent event = access::EventFor(recorder, std::string(kAuditGrant));
  event.division = c.village;
  event.object_type = "consent";
  event.object_id = std::to_string(c.id);
  event.details = GrantDetails(c);
  GZ_RETURN_IF_ERROR(store_.Insert(c, evidence, event, now));
  return c;
}

Result<Consent> ConsentService::Get(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Consent> c, store_.Get(id));
  if (!c) return NotFound(std::string(problems::kConsentNotFound));
  return std::move(*c);
}

Result<ConsentPage> ConsentService::List(ConsentQuery query) {
  query.now_ms = NowMs();
  return store_.List(query);
}

Result<Evidence> ConsentService::ReadEvidence(const access::Principal& reader, const Consent& consent,
                                              std::string_view purpose) {
  std::string_view bad = CheckFreeText(purpose, kMaxPurposeChars, false);
  if (purpose.find_first_not_of(' ') == std::string_view::npos || !bad.empty())
    return InvalidArgument(std::string(problems::kBadPurpose)).With("limit", std::to_string(kMaxPurposeChars));
  GZ_ASSIGN_OR_RETURN(std::optional<SealedEvidence> sealed, store_.GetEvidence(consent.id));
  if (!sealed) return NotFound(std::string(problems::kNoEvidence));

  Result<std::string> opened = cipher_.Open(sealed->sealed, EvidenceAssociatedData(consent.id, sealed->kind));
  Status integrity = opened.ok() ? Status::Ok() : opened.status();
  if (opened.ok() && sealed->kind == SealedEvidence::Kind::kImage &&
      (!consent.evidence || crypto::Sha256Hex(*opened) != consent.evidence->sha256))
    integrity = FailedPrecondition(std::string(crypto::problems::kIntegrityFailure), "evidence does not match the record")
                    .With("column", "consents_evidence.content_sealed");
  if (!integrity.ok()) {
    log::Error("consents.integrity_failure", {{"consent", consent.id}, {"detail", integrity.ToString()}});
    return integrity;
  }

  access::AuditEvent event = access::EventFor(reader, std::string(kAuditReadPersonal));
  event.division = consent.village;
  event.object_type = "consent";
  event.object_id = std::to_string(consent.id);
  event.purpose = std::string(purpose);
  event.details = std::string("{\"evidence\":\"") + std::string(EvidenceKindCode(sealed->kind)) + "\"}";
  // Fail closed: what cannot be recorded is not shown.
  GZ_RETURN_IF_ERROR(audit_.Append(event));

  Evidence out;
  out.kind = sealed->kind;
  out.media_type = sealed->kind == SealedEvidence::Kind::kImage ? consent.evidence->media_type
                                                                : std::string("text/plain; charset=utf-8");
  out.content = std::move(*opened);
  return out;
}

Result<Consent> ConsentService::Revoke(const access::Principal& by, int64_t id, const std::string& reason) {
  if (!CheckFreeText(reason, kMaxReasonChars, false).empty())
    return InvalidArgument(std::string(problems::kBadReason)).With("limit", std::to_string(kMaxReasonChars));
  GZ_ASSIGN_OR_RETURN(Consent c, Get(id));
  if (c.revoked_at_ms) return FailedPrecondition(std::string(problems::kAlreadyRevoked));
  const int64_t now = NowMs();
  access::AuditEvent event = access::EventFor(by, std::string(kAuditRevoke));
  event.division = c.village;
  event.object_type = "consent";
  event.object_id = std::to_string(c.id);
  event.details = std::string("{\"party\":\"") + std::string(PartyOf(by, c)) + "\"}";
  GZ_RETURN_IF_ERROR(store_.Revoke(id, by.self.account_id, reason, now, event));
  return Get(id);
}

bool IsVillager(const AccountSummary& account) {
  for (const access::Grant& g : account.grants)
    if (g.role == access::Role::kVillager) return true;
  return false;
}

bool IsHelperFor(const AccountSummary& account, std::string_view village) {
  for (const access::Grant& g : account.grants)
    if (g.role == access::Role::kHelper && access::ScopeContains(g.scope, village)) return true;
  return false;
}

std::string_view EvidenceKindCode(SealedEvidence::Kind kind) {
  return kind == SealedEvidence::Kind::kImage ? "image" : "attestation";
}

std::string EvidenceAssociatedData(int64_t consent_id, SealedEvidence::Kind kind) {
  return "consents_evidence.content:" + std::to_string(consent_id) + "|" + std::string(EvidenceKindCode(kind));
}

// ---- consent by SMS code ----

namespace {

constexpr std::string_view kSmsCodeIndexDomain = "consents.sms_code";

std::string CodeIndex(const crypto::FieldCipher& cipher, int64_t challenge_id, std::string_view code) {
  return cipher.BlindIndex(kSmsCodeIndexDomain, std::to_string(challenge_id) + "|" + std::string(code));
}

// The words a villager reads for each delegable permission; a permission added to the policy
// table later is shown by its code until it gets words here.
std::string_view ActionWords(std::string_view action) {
  if (action == "appeals.submit") return "提交诉求";
  if (action == "appeals.own") return "跟进本人诉求";
  if (action == "me.read") return "查看本人信息";
  if (action == "me.data") return "导出本人数据";
  if (action == "me.corrections") return "申请更正信息";
  if (action == "residents.reveal") return "查看完整个人信息";
  return action;
}

// The date in China (UTC+8, no daylight saving), as the villager reads it.
std::string ChinaDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string LastFour(std::string_view phone) { return std::string(phone.substr(phone.size() >= 4 ? phone.size() - 4 : 0)); }

std::string MaskedPhone(std::string_view phone) {
  if (phone.size() != 11) return "***";
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(7));
}

std::string ChallengeDetails(const SmsChallenge& c) {
  std::string d = "{\"challenge\":\"" + std::to_string(c.id) + "\",\"villager\":\"" +
                  std::to_string(c.villager_account) + "\",\"helper\":\"" + std::to_string(c.helper_account) +
                  "\",\"valid_from_ms\":" + std::to_string(c.valid_from_ms) +
                  ",\"valid_until_ms\":" + std::to_string(c.valid_until_ms) + ",\"actions\":[";
  for (size_t i = 0; i < c.actions.size(); ++i) {
    if (i) d += ',';
    d += '"';
    log::AppendJsonEscaped(d, c.actions[i]);
    d += '"';
  }
  // The phones were opened to send the text: that read is what this record documents.
  d += "],\"read\":\"villager phone (to send the code), helper phone (last four digits in the text)\"}";
  return d;
}

}  // namespace

std::string SmsConsentText(const SmsChallenge& c, std::string_view helper_phone, std::string_view code) {
  std::string words;
  for (const std::string& a : c.actions) {
    if (!words.empty()) words += "、";
    words += ActionWords(a);
  }
  std::string helper = helper_phone.empty() ? std::string("帮办员") : "帮办员（手机尾号" + LastFour(helper_phone) + "）";
  return "【共治】" + helper + "请求代您办理：" + words + "，有效期至" + ChinaDate(c.valid_until_ms - 1) +
         "。同意请把验证码" + std::string(code) + "告诉帮办员，10分钟内有效；不同意请勿告诉任何人。";
}

Result<SmsCodeSent> ConsentService::RequestSmsCode(const access::Principal& recorder, const GrantRequest& r) {
  const int64_t now = NowMs();
  if (r.method != Method::kSmsCode) return MethodNotAllowed(r.method, "not-sms-code");
  if (sms_ == nullptr) return FailedPrecondition(std::string(problems::kSmsUnavailable));
  GZ_ASSIGN_OR_RETURN(Consent draft, Draft(recorder, r, now));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> phone, accounts_.PhoneForSms(draft.villager_account));
  if (!phone || phone->empty()) return FailedPrecondition(std::string(problems::kNoPhone));
  GZ_ASSIGN_OR_RETURN(std::optional<std::string> helper_phone, accounts_.PhoneForSms(draft.helper_account));

  SmsChallenge c;
  c.id = draft.id;
  c.villager_account = draft.villager_account;
  c.helper_account = draft.helper_account;
  c.village = draft.village;
  c.actions = draft.actions;
  c.valid_from_ms = draft.valid_from_ms;
  c.valid_until_ms = draft.valid_until_ms;
  char code[8];
  std::snprintf(code, sizeof code, "%06u", static_cast<unsigned>(crypto::RandomUniform(1000000)));
  c.code_index = CodeIndex(cipher_, c.id, code);
  c.requested_by = recorder.self.account_id;
  c.requested_at_ms = now;
  c.expires_at_ms = now + kSmsCodeTtlMs;

  access::AuditEvent event = access::EventFor(recorder, std::string(kAuditSmsChallenge));
  event.division = c.village;
  event.object_type = "consent_sms_challenge";
  event.object_id = std::to_string(c.id);
  event.details = ChallengeDetails(c);
  // Recorded before it is sent: no text leaves without its record; a text that then fails to
  // leave leaves a record of a code nobody knows, which expires.
  GZ_RETURN_IF_ERROR(store_.InsertChallenge(c, event, now));
  sms::SmsMessage message{c.id, *phone, SmsConsentText(c, helper_phone.value_or(""), code)};
  Status sent = sms_->Send(message);
  if (!sent.ok()) {
    log::Warn("consents.sms_send_failed", {{"challenge", c.id}, {"gateway", std::string(sms_->name())},
                                           {"error", std::string(sent.slug())}});
    return Status(Code::kUnavailable, std::string(problems::kSmsSendFailed));
  }
  return SmsCodeSent{std::move(c), MaskedPhone(*phone)};
}

Result<SmsChallenge> ConsentService::GetSmsChallenge(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<SmsChallenge> c, store_.GetChallenge(id));
  // Only the requester: a code challenge is a step of their own work, and telling anyone else it
  // exists would say who is asking whom.
  if (!c || c->requested_by != by.self.account_id) return NotFound(std::string(problems::kChallengeNotFound));
  return *c;
}

Result<Consent> ConsentService::ConfirmSmsCode(const access::Principal& recorder, int64_t challenge_id,
                                               std::string_view code) {
  const int64_t now = NowMs();
  GZ_ASSIGN_OR_RETURN(SmsChallenge c, GetSmsChallenge(recorder, challenge_id));
  if (c.consent_id != 0) return FailedPrecondition(std::string(problems::kSmsCodeUsed));
  if (c.attempts >= kSmsCodeAttempts) return FailedPrecondition(std::string(problems::kSmsCodeExhausted));
  if (now >= c.expires_at_ms) return FailedPrecondition(std::string(problems::kSmsCodeExpired));
  bool digits = code.size() == static_cast<size_t>(kSmsCodeDigits);
  for (char ch : code) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return InvalidArgument(std::string(problems::kBadSmsCode));

  if (!crypto::ConstantTimeEquals(CodeIndex(cipher_, c.id, code), c.code_index)) {
    access::AuditEvent event = access::EventFor(recorder, std::string(kAuditSmsCodeWrong));
    event.division = c.village;
    event.object_type = "consent_sms_challenge";
    event.object_id = std::to_string(c.id);
    GZ_ASSIGN_OR_RETURN(int attempts, store_.CountWrongCode(c.id, event, now));
    return InvalidArgument(std::string(problems::kSmsCodeWrong))
        .With("attempts_left", std::to_string(std::max(0, kSmsCodeAttempts - attempts)));
  }

  GrantRequest r;
  r.villager_account = c.villager_account;
  r.helper_account = c.helper_account;
  r.actions = c.actions;
  r.method = Method::kSmsCode;
  // From the moment the code is entered (the villager agreed no earlier), to the end the text named.
  r.valid_from_ms = std::max(c.valid_from_ms, now);
  r.valid_until_ms = c.valid_until_ms;
  GZ_ASSIGN_OR_RETURN(Consent consent, Draft(recorder, r, now));
  access::AuditEvent event = access::EventFor(recorder, std::string(kAuditGrant));
  event.division = consent.village;
  event.object_type = "consent";
  event.object_id = std::to_string(consent.id);
  event.details = GrantDetails(consent);
  event.details.insert(event.details.size() - 1, ",\"sms_challenge\":\"" + std::to_string(c.id) + "\"");
  GZ_RETURN_IF_ERROR(store_.ConsumeChallenge(c.id, consent, event, now));
  return consent;
}

}  // namespace gz::consents
