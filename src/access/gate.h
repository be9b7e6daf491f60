// Gate: enforces the policy table on requests, and writes every refusal to the audit trail.
//
// Layer: access. One Gate is built by the composition root with the audit sink and handed to
// each module's route registration. Two checks:
//   - Admit(): function level, run by the dispatcher before any handler (401/403);
//   - Require(): object level, run by a handler once it knows where the object lives
//     (403 inside the caller's tenant, the module's own not-found status outside it).
// Handlers of list routes use ReachFor() (policy.h) to narrow what they return.
// Both checks record a denied decision as one "access.denied" audit event (T-AC-8: each
// denial logged exactly once); a failure to record it is logged, and the refusal stands.
#pragma once

#include <array>
#include <string_view>

#include "access/audit_event.h"
#include "access/policy.h"
#include "access/principal.h"
#include "core/problem_text.h"
#include "core/status.h"

namespace gz::access {

namespace problems {
inline constexpr std::string_view kUnauthenticated = "access/unauthenticated";
inline constexpr std::string_view kForbidden = "access/forbidden";
inline constexpr std::string_view kNoConsent = "access/no-consent";  // helper without a valid consent
inline constexpr std::string_view kBadActingFor = "access/bad-acting-for";
inline constexpr std::string_view kCsrf = "access/csrf";            // cookie session, no or wrong token

inline constexpr std::array<ProblemText, 5> kTexts = {{
    {kUnauthenticated, "请先登录", "此操作需要登录；登录已过期时请重新登录", "Sign-in required",
     "Sign in to do this; if you were signed in, your session has ended"},
    {kForbidden, "无权进行此操作", "您的角色或管辖范围不包括此操作", "Not allowed",
     "Your roles or your area do not include this action"},
    {kNoConsent, "没有有效的代办授权", "该村民没有授权您代办此事项，或授权已过期、已撤销",
     "No valid consent", "This villager has not given you a valid consent for this action, or it expired or was revoked"},
    {kBadActingFor, "代办对象无效", "X-Acting-For 须为村民的账户编号", "Invalid acting-for",
     "X-Acting-For must be the account number of a villager"},
    {kCsrf, "请求来源校验失败", "请刷新页面后重试（缺少或错误的 X-CSRF-Token，或来源不符）", "Request origin check failed",
     "Reload the page and try again (missing or wrong X-CSRF-Token, or a foreign Origin)"},
}};
}  // namespace problems

class Gate {
 public:
  // `audit` may be null in unit tests (refusals are then only logged). Must outlive the gate.
  explicit Gate(AuditSink* audit) : audit_(audit) {}

  // Function level. `route` is the route pattern, recorded with a refusal.
  Status Admit(const Principal& principal, std::string_view permission, std::string_view route) const;

  // Object level. On kNotFound returns `not_found` (the module's usual "no such object" status,
  // so that a foreign object and a missing one cannot be told apart).
  Status Require(const Principal& principal, std::string_view permission, const Target& target,
                 Status not_found) const;

 private:
  void RecordDenial(const Principal& principal, std::string_view permission, Decision decision,
                    std::string_view division, std::string_view route) const;
  AuditSink* audit_;
};

}  // namespace gz::access
