// Layer: consents domain (see consent.h).
#include "modules/consents/consent.h"

#include <algorithm>
#include <array>

#include "access/policy.h"
#include "modules/consents/problems.h"

namespace gz::consents {
namespace {

struct MethodText {
  Method method;
  std::string_view code;
};
constexpr std::array<MethodText, 5> kMethods = {{
    {Method::kInPersonSignature, "in_person_signature"},
    {Method::kInPersonThumbprint, "in_person_thumbprint"},
    {Method::kPhoneCall, "phone_call"},
    {Method::kInApp, "in_app"},
    {Method::kSmsCode, "sms_code"},
}};

Status BadActions(std::string_view reason, std::string_view action) {
  return InvalidArgument(std::string(problems::kBadActions))
      .With("reason", std::string(reason))
      .With("action", std::string(action.substr(0, kMaxActionBytes)));
}

Status BadWindow(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadWindow)).With("reason", std::string(reason));
}

}  // namespace

std::string_view MethodCode(Method m) {
  for (const auto& t : kMethods)
    if (t.method == m) return t.code;
  return "in_app";
}

std::optional<Method> ParseMethod(std::string_view code) {
  for (const auto& t : kMethods)
    if (t.code == code) return t.method;
  return std::nullopt;
}

bool NeedsEvidenceImage(Method m) { return m == Method::kInPersonSignature || m == Method::kInPersonThumbprint; }

std::string_view LifecycleCode(Lifecycle l) {
  switch (l) {
    case Lifecycle::kPending: return "pending";
    case Lifecycle::kActive: return "active";
    case Lifecycle::kExpired: return "expired";
    case Lifecycle::kRevoked: return "revoked";
  }
  return "revoked";
}

Lifecycle LifecycleAt(const Consent& consent, int64_t now_ms) {
  if (consent.revoked_at_ms) return Lifecycle::kRevoked;
  if (now_ms < consent.valid_from_ms) return Lifecycle::kPending;
  if (now_ms >= consent.valid_until_ms) return Lifecycle::kExpired;
  return Lifecycle::kActive;
}

bool ActiveAt(const Consent& consent, int64_t now_ms) { return LifecycleAt(consent, now_ms) == Lifecycle::kActive; }

std::vector<std::string> DelegablePermissions() {
  std::vector<std::string> out;
  for (const access::Permission& p : access::PolicyTable())
    if (p.delegable) out.emplace_back(p.name);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> NormalizeActions(std::span<const std::string> actions) {
  if (actions.empty()) return BadActions("empty", "");
  if (actions.size() > kMaxActions) return BadActions("too-many", "");
  std::vector<std::string> out;
  out.reserve(actions.size());
  for (const std::string& a : actions) {
    const access::Permission* p = access::FindPermission(a);
    if (p == nullptr) return BadActions("unknown", a);
    if (!p->delegable) return BadActions("not-delegable", a);
    out.push_back(a);
  }
  std::sort(out.begin(), out.end());
  if (auto dup = std::adjacent_find(out.begin(), out.end()); dup != out.end()) return BadActions("duplicate", *dup);
  return out;
}

Status CheckWindow(int64_t valid_from_ms, int64_t valid_until_ms, int64_t now_ms) {
  if (valid_from_ms < now_ms - kStartToleranceMs) return BadWindow("starts-in-the-past");
  if (valid_from_ms > now_ms + kMaxStartAheadMs) return BadWindow("starts-too-late");
  if (valid_until_ms <= valid_from_ms) return BadWindow("ends-before-start");
  if (valid_until_ms - valid_from_ms > kMaxValidityMs) return BadWindow("longer-than-a-year");
  return Status::Ok();
}

std::string_view CheckFreeText(std::string_view text, size_t max_chars, bool allow_newlines) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) ++chars;  // count lead bytes: one per code point
    const bool allowed_control = allow_newlines && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 && !allowed_control) || c == 0x7F) return "control-character";
    // C1 controls (U+0080..U+009F) and the bidi overrides (U+202A..U+202E, U+2066..U+2069) can make
    // a text read differently from what is stored: refused, like the C0 controls.
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto n = static_cast<unsigned char>(text[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return "control-character";
    }
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) return "control-character";
    }
  }
  if (chars > max_chars) return "too-long";
  return {};
}

}  // namespace gz::consents
