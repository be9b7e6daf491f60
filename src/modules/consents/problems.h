// The problem types (RFC 9457) the consents module returns, with their translated texts.
//
// Layer: consents domain. app/ adds consents::problems::kTexts to the HTTP layer's catalog.
// Slugs are stable forever; texts may change. Arguments never carry personal data: accounts and
// consents are named by their ids, evidence by its size and kind, never by its content.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::consents::problems {

// 404. No such consent, or one outside every area the caller may see (never leak existence).
inline constexpr std::string_view kConsentNotFound = "consents/consent-not-found";
// 404. The villager account does not exist, or has no home village (so no place to act in).
inline constexpr std::string_view kVillagerNotFound = "consents/villager-not-found";
// 400. The account exists in the caller's area but does not hold the villager role.
inline constexpr std::string_view kNotAVillager = "consents/not-a-villager";
// 400. The helper account does not exist, is disabled, or holds no helper role over the
// villager's village. One slug for all three, so the answer reveals no account's existence.
inline constexpr std::string_view kHelperNotEligible = "consents/helper-not-eligible";
// 400. villager == helper.
inline constexpr std::string_view kSamePerson = "consents/same-person";
// 400. {reason}: empty, too-many, unknown, not-delegable, duplicate; {action} (a permission name).
inline constexpr std::string_view kBadActions = "consents/bad-actions";
// 400. {reason}: missing-until, until-and-days, starts-in-the-past, starts-too-late,
// ends-before-start, longer-than-a-year, ended.
inline constexpr std::string_view kBadWindow = "consents/bad-window";
// 400. {field}: not an RFC 3339 time such as 2027-03-01T08:00:00+08:00.
inline constexpr std::string_view kBadTime = "consents/bad-time";
// 400. {method}: not one of the known methods.
inline constexpr std::string_view kBadMethod = "consents/bad-method";
// 409. This deployment has no SMS gateway (serve --sms-outbox), so no code can be sent.
inline constexpr std::string_view kSmsUnavailable = "consents/sms-unavailable";
// 400 {method: sms_code} {reason: use-sms-challenge}: POST /consents/sms-challenges instead.
// 409. The villager has no phone number on record (an invited villager without a phone).
inline constexpr std::string_view kNoPhone = "consents/no-phone";
// 429 {limit} {per: villager | requester}: too many codes sent in the last hour.
inline constexpr std::string_view kSmsRateLimited = "consents/sms-rate-limited";
// 503. The gateway did not take the text; nothing was sent, ask again later.
inline constexpr std::string_view kSmsSendFailed = "consents/sms-send-failed";
// 404. No such challenge (or not one this caller asked for).
inline constexpr std::string_view kChallengeNotFound = "consents/sms-challenge-not-found";
// 400 {attempts_left}. The code does not match.
inline constexpr std::string_view kSmsCodeWrong = "consents/sms-code-wrong";
// 409. The code is older than 10 minutes / was used already / had 5 wrong tries: ask for a new one.
inline constexpr std::string_view kSmsCodeExpired = "consents/sms-code-expired";
inline constexpr std::string_view kSmsCodeUsed = "consents/sms-code-used";
inline constexpr std::string_view kSmsCodeExhausted = "consents/sms-code-exhausted";
// 400. The code must be 6 digits.
inline constexpr std::string_view kBadSmsCode = "consents/bad-sms-code";
// 400. {method} {reason}: self-only-in-app (a villager grants for themself only in the app),
// in-app-only-by-villager, helper-records-own-only (a helper records consents naming themself).
inline constexpr std::string_view kMethodNotAllowed = "consents/method-not-allowed";
// 400. {field} {method}: a field the method needs is missing / a field it does not take is given.
inline constexpr std::string_view kFieldRequired = "consents/field-required";
inline constexpr std::string_view kFieldNotAllowed = "consents/field-not-allowed";
// 400. {reason}: not-base64, empty, not-jpeg-or-png.
inline constexpr std::string_view kBadEvidence = "consents/bad-evidence";
// 413. {limit} bytes of image.
inline constexpr std::string_view kEvidenceTooLarge = "consents/evidence-too-large";
// 400. {reason}: too-long ({limit} characters), control-character.
inline constexpr std::string_view kBadAttestation = "consents/bad-attestation";
// 400. {reason}: in-the-future, too-old.
inline constexpr std::string_view kBadCallTime = "consents/bad-call-time";
// 409. {consent}: the pair already has a consent whose window overlaps (revoke it first).
inline constexpr std::string_view kOverlappingConsent = "consents/overlapping-consent";
// 409. The consent was revoked already.
inline constexpr std::string_view kAlreadyRevoked = "consents/already-revoked";
// 400. {limit}: the reason of a revocation is too long or has control characters.
inline constexpr std::string_view kBadReason = "consents/bad-reason";
// 400. {param} {reason}: a bad query parameter of a list.
inline constexpr std::string_view kBadQuery = "consents/bad-query";
// 400. {limit}: reading evidence needs ?purpose= (1..limit characters).
inline constexpr std::string_view kBadPurpose = "consents/bad-purpose";
// 404. The consent has no evidence (given in the app).
inline constexpr std::string_view kNoEvidence = "consents/no-evidence";
// 400. {field}: an account id that is not a positive integer (a JSON number or a decimal string).
inline constexpr std::string_view kBadAccountId = "consents/bad-account-id";

inline constexpr std::array<ProblemText, 33> kTexts = {{
    {kConsentNotFound, "代办授权不存在", "没有该代办授权", "Consent not found", "There is no such consent"},
    {kVillagerNotFound, "村民不存在", "没有该村民账户，或该账户未登记所在村", "Villager not found",
     "There is no such villager account, or it has no home village"},
    {kNotAVillager, "该账户不是村民", "只有村民可以授权他人代办", "Not a villager",
     "Only a villager can give a consent to be represented"},
    {kHelperNotEligible, "帮办员不符合条件", "该账户不是本村的数字帮办员，或已停用",
     "Helper not eligible", "This account is not an active digital helper of the villager's village"},
    {kSamePerson, "不能授权给自己", "村民和帮办员不能是同一账户", "Same person",
     "The villager and the helper must be different accounts"},
    {kBadActions, "授权事项无效", "授权事项无效（{reason}）：{action}", "Invalid actions",
     "The list of actions is invalid ({reason}): {action}"},
    {kBadWindow, "授权期限无效", "授权期限无效（{reason}）；期限最长一年，须填写结束时间或天数",
     "Invalid validity period",
     "The validity period is invalid ({reason}); it lasts at most one year and needs an end time or a number of days"},
    {kBadTime, "时间格式无效", "{field} 应为 RFC 3339 时间，例如 2027-03-01T08:00:00+08:00", "Invalid time",
     "{field} must be an RFC 3339 time such as 2027-03-01T08:00:00+08:00"},
    {kBadMethod, "授权方式无效", "未知的授权方式：{method}", "Invalid method", "Unknown consent method: {method}"},
    {kSmsUnavailable, "短信验证暂不可用", "本系统未接入短信通道，无法发送验证码；请改用当面签字、按手印、电话或村民本人在应用中授权",
     "SMS consent unavailable",
     "This deployment has no SMS gateway, so no code can be sent; record the consent in person, by phone, or let the villager grant it in the app"},
    {kNoPhone, "村民没有登记手机号", "该村民没有登记手机号，无法发送验证码；请当面或电话授权", "No phone number",
     "This villager has no phone number on record, so no code can be sent; record the consent in person or by phone"},
    {kSmsRateLimited, "验证码发送过于频繁", "一小时内最多发送 {limit} 条验证码，请稍后再试", "Too many codes",
     "At most {limit} codes can be sent per hour; try again later"},
    {kSmsSendFailed, "短信发送失败", "短信通道暂时无法发送，未发出任何短信，请稍后再试", "SMS not sent",
     "The SMS gateway could not take the message; nothing was sent, try again later"},
    {kChallengeNotFound, "验证码请求不存在", "找不到该验证码请求", "Code request not found",
     "There is no such code request"},
    {kSmsCodeWrong, "验证码不正确", "验证码不正确，还可以再试 {attempts_left} 次", "Wrong code",
     "The code is wrong; {attempts_left} tries left"},
    {kSmsCodeExpired, "验证码已过期", "验证码 10 分钟内有效，已过期，请重新发送", "Code expired",
     "Codes are valid for 10 minutes; this one expired, ask for a new one"},
    {kSmsCodeUsed, "验证码已使用", "该验证码已经用过，每个验证码只能用一次", "Code already used",
     "This code was used already; each code works once"},
    {kSmsCodeExhausted, "验证码错误次数过多", "验证码已输错 5 次，已作废，请重新发送", "Too many wrong codes",
     "The code was entered wrongly 5 times and is void; ask for a new one"},
    {kBadSmsCode, "验证码格式不对", "验证码是 6 位数字", "Invalid code", "The code is 6 digits"},
    {kMethodNotAllowed, "不能使用该授权方式", "授权方式 {method} 不适用（{reason}）", "Method not allowed",
     "The method {method} cannot be used here ({reason})"},
    {kFieldRequired, "缺少必填项", "授权方式 {method} 需要填写 {field}", "Field required",
     "The method {method} needs the field {field}"},
    {kFieldNotAllowed, "不应填写该项", "授权方式 {method} 不接受 {field}", "Field not allowed",
     "The method {method} does not take the field {field}"},
    {kBadEvidence, "凭证图片无效", "凭证须为 JPEG 或 PNG 图片的 Base64 编码（{reason}）", "Invalid evidence",
     "The evidence must be a base64-encoded JPEG or PNG image ({reason})"},
    {kEvidenceTooLarge, "凭证图片过大", "凭证图片不能超过 {limit} 字节", "Evidence too large",
     "The evidence image must be at most {limit} bytes"},
    {kBadAttestation, "帮办员说明无效", "电话授权说明不能为空，不超过 {limit} 个字，且不含控制字符（{reason}）",
     "Invalid attestation",
     "The phone-call attestation must be non-empty, at most {limit} characters, without control characters ({reason})"},
    {kBadCallTime, "通话时间无效", "通话时间须在最近 7 天内，且不晚于现在（{reason}）", "Invalid call time",
     "The call time must lie within the last 7 days and not in the future ({reason})"},
    {kOverlappingConsent, "已有有效授权", "该村民对该帮办员已有期限重叠的授权（编号 {consent}），请先撤销",
     "Overlapping consent",
     "This villager already has a consent for this helper whose period overlaps (number {consent}); revoke it first"},
    {kAlreadyRevoked, "授权已撤销", "该授权已被撤销", "Already revoked", "This consent was revoked already"},
    {kBadReason, "撤销原因无效", "撤销原因不超过 {limit} 个字，且不含控制字符", "Invalid reason",
     "The reason must be at most {limit} characters, without control characters"},
    {kBadQuery, "查询参数无效", "查询参数 {param} 无效（{reason}）", "Invalid query parameter",
     "The query parameter {param} is invalid ({reason})"},
    {kBadPurpose, "请说明查看目的", "查看授权凭证须填写目的（purpose，1 至 {limit} 个字）", "Purpose required",
     "Reading consent evidence needs a purpose (purpose, 1 to {limit} characters)"},
    {kNoEvidence, "没有凭证", "该授权由村民本人在应用中作出，没有凭证", "No evidence",
     "This consent was given by the villager in the app and has no evidence"},
    {kBadAccountId, "账户编号无效", "{field} 应为账户编号（正整数，可写成字符串）", "Invalid account number",
     "{field} must be an account number (a positive integer, possibly as a string)"},
}};

}  // namespace gz::consents::problems
