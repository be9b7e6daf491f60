// Problem types of the identity module (slugs are stable; texts may change).
//
// Layer: identity domain. app/messages.cc adds kTexts to the catalog; a test checks that every
// slug has both languages.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::identity::problems {

// Sign-in: one answer for an unknown phone, a wrong password, a wrong or missing TOTP code, a
// disabled account and an account without a password yet (T-AUTH-3).
inline constexpr std::string_view kSignInFailed = "identity/sign-in-failed";          // 401
inline constexpr std::string_view kSignInLocked = "identity/sign-in-locked";          // 429 {retry_after}
inline constexpr std::string_view kTooManyAttempts = "identity/too-many-attempts";    // 429 {retry_after}
inline constexpr std::string_view kTotpEnrolmentRequired = "identity/totp-enrolment-required";  // 403
inline constexpr std::string_view kTotpAlreadyEnrolled = "identity/totp-already-enrolled";      // 409
inline constexpr std::string_view kTotpNotStarted = "identity/totp-not-started";                // 409
inline constexpr std::string_view kBadTotp = "identity/bad-totp";                               // 400
inline constexpr std::string_view kWrongPassword = "identity/wrong-password";                   // 403
inline constexpr std::string_view kWeakPassword = "identity/weak-password";  // 400 {reason} {min} {max}
// Accounts.
inline constexpr std::string_view kAccountNotFound = "identity/account-not-found";  // 404
inline constexpr std::string_view kGrantNotFound = "identity/grant-not-found";      // 404
inline constexpr std::string_view kBadPhone = "identity/bad-phone";                 // 400
inline constexpr std::string_view kBadName = "identity/bad-name";                   // 400
inline constexpr std::string_view kBadVillage = "identity/bad-village";             // 400 {code}
inline constexpr std::string_view kBadResident = "identity/bad-resident";           // 400 {reason}
inline constexpr std::string_view kBadRole = "identity/bad-role";                   // 400 {role}
inline constexpr std::string_view kBadScope = "identity/bad-scope";                 // 400 {scope}
inline constexpr std::string_view kBadReason = "identity/bad-reason";               // 400
inline constexpr std::string_view kBadPage = "identity/bad-page";                   // 400
inline constexpr std::string_view kPhoneTaken = "identity/phone-taken";             // 409
inline constexpr std::string_view kSelfGrant = "identity/self-grant";               // 403
inline constexpr std::string_view kCannotGrant = "identity/cannot-grant";           // 403 {role}
inline constexpr std::string_view kCannotManage = "identity/cannot-manage";         // 403
inline constexpr std::string_view kIncompatibleRoles = "identity/incompatible-roles";  // 409 {role} {other}
inline constexpr std::string_view kAlreadyGranted = "identity/already-granted";     // 409
inline constexpr std::string_view kInvalidInvitation = "identity/invalid-invitation";  // 400
inline constexpr std::string_view kAccountDisabled = "identity/account-disabled";   // 409

inline constexpr std::array<ProblemText, 27> kTexts = {{
    {kSignInFailed, "登录失败", "手机号、密码或动态验证码不正确", "Sign-in failed",
     "The phone number, password or authenticator code is not correct"},
    {kSignInLocked, "登录已暂时锁定", "连续多次登录失败，密码登录已锁定，请 {retry_after} 秒后再试，或请村干部解锁",
     "Sign-in locked", "Too many failed sign-ins: password sign-in is locked; try again in {retry_after} s or ask a cadre to unlock it"},
    {kTooManyAttempts, "尝试次数过多", "此地址的登录尝试过于频繁，请 {retry_after} 秒后再试", "Too many attempts",
     "Too many attempts from this address; try again in {retry_after} s"},
    {kTotpEnrolmentRequired, "请先设置动态验证码", "工作人员账户须先绑定身份验证器（TOTP）才能进行其他操作",
     "Authenticator required", "Staff accounts must set up an authenticator app (TOTP) before doing anything else"},
    {kTotpAlreadyEnrolled, "已绑定动态验证码", "此账户已绑定身份验证器", "Authenticator already set up",
     "This account already has an authenticator app"},
    {kTotpNotStarted, "尚未开始绑定", "请先申请新的动态验证码密钥，再提交验证码确认", "Set-up not started",
     "Ask for a new authenticator secret first, then confirm it with a code"},
    {kBadTotp, "动态验证码不正确", "验证码不正确或已使用过，请等待下一个验证码", "Wrong authenticator code",
     "The code is wrong or was already used; wait for the next one"},
    {kWrongPassword, "当前密码不正确", "当前密码不正确", "Wrong current password", "The current password is not correct"},
    {kWeakPassword, "密码不符合要求", "密码不符合要求（{reason}）：村民至少 8 个字符，工作人员至少 12 个字符，最多 128 字节，不能是常见密码或基于手机号",
     "Password not accepted",
     "Password not accepted ({reason}): at least 8 characters for villagers and 12 for staff, at most 128 bytes, not a common password and not built on the phone number"},
    {kAccountNotFound, "账户不存在", "没有这个账户，或您无权查看", "Account not found",
     "There is no such account, or you may not see it"},
    {kGrantNotFound, "角色授予不存在", "此账户没有这个角色授予", "Grant not found", "This account has no such grant"},
    {kBadPhone, "手机号无效", "请输入 11 位中国大陆手机号", "Invalid phone number",
     "Enter an 11-digit mainland China mobile number"},
    {kBadName, "姓名无效", "姓名须为 1 至 64 个字符，不能含控制字符", "Invalid name",
     "The name must be 1 to 64 characters without control characters"},
    {kBadVillage, "村（社区）代码无效", "{code} 不是村级行政区划代码", "Invalid village code",
     "{code} is not the code of a village-level division"},
    {kBadResident, "居民信息不符", "指定的居民不存在或不属于该村（{reason}）", "Resident does not match",
     "The resident does not exist or does not live in that village ({reason})"},
    {kBadRole, "角色无效", "没有名为 {role} 的角色", "Invalid role", "There is no role called {role}"},
    {kBadScope, "管辖范围无效", "{scope} 不是有效的行政区划代码", "Invalid scope",
     "{scope} is not a valid division code"},
    {kBadReason, "原因无效", "请填写 1 至 500 个字符的原因", "Invalid reason", "Give a reason of 1 to 500 characters"},
    {kBadPage, "分页参数无效", "page 须为 1 至 10000 的整数", "Invalid page", "page must be a whole number from 1 to 10000"},
    {kPhoneTaken, "手机号已被使用", "此手机号已属于另一个账户", "Phone number in use",
     "This phone number already belongs to another account"},
    {kSelfGrant, "不能给自己授权", "任何账户都不能给自己授予或撤销角色", "Cannot grant to yourself",
     "No account can grant roles to itself or revoke its own"},
    {kCannotGrant, "无权授予此角色", "您的角色不能在该范围内授予或撤销 {role}", "Cannot grant this role",
     "Your roles cannot grant or revoke {role} in that area"},
    {kCannotManage, "无权管理此账户", "该账户持有您无权授予的角色", "Cannot manage this account",
     "This account holds roles you could not grant"},
    {kIncompatibleRoles, "角色互斥", "{role} 与该账户已有的 {other} 不能由同一账户持有（职责分离）", "Incompatible roles",
     "{role} and {other}, which the account holds, may not be held by one account (separation of duties)"},
    {kAlreadyGranted, "已有此角色", "该账户在此范围内已有这个角色", "Already granted",
     "The account already holds this role in this area"},
    {kInvalidInvitation, "邀请码无效", "邀请码不正确、已过期或已使用", "Invalid invitation code",
     "The invitation code is wrong, expired or already used"},
    {kAccountDisabled, "账户已停用", "此账户已停用", "Account disabled", "This account is disabled"},
}};

}  // namespace gz::identity::problems
