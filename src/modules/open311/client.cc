// Layer: open311 domain (see client.h).
#include "modules/open311/client.h"

#include <algorithm>

#include "access/principal.h"
#include "core/text.h"
#include "crypto/secrets.h"
#include "modules/appeals/appeal.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Code points of a one-line text: valid UTF-8 without any control character (not even TAB or LF:
// a name or a reason is shown on one line of a list or a terminal).
std::optional<size_t> OneLineChars(std::string_view text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return std::nullopt;
  return CountTextChars(text);
}

bool Blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; });
}

}  // namespace

std::string NewKey() { return std::string(kKeyPrefix) + crypto::Base64UrlEncode(crypto::RandomBytes(kKeyRandomBytes)); }

std::string KeyHash(std::string_view key) { return crypto::Sha256(key); }

bool LooksLikeKey(std::string_view key) {
  return key.size() == kKeyLength && key.starts_with(kKeyPrefix) &&
         std::all_of(key.begin() + kKeyPrefix.size(), key.end(), IsBase64UrlChar);
}

Status ValidateClientName(std::string_view name) {
  std::optional<size_t> n = OneLineChars(name);
  if (!n || *n == 0 || *n > kMaxClientNameChars || Blank(name))
    return InvalidArgument(std::string(problems::kBadClientName)).With("max", std::to_string(kMaxClientNameChars));
  return Status::Ok();
}

Status ValidateReason(std::string_view reason) {
  std::optional<size_t> n = OneLineChars(reason);
  if (!n || *n > kMaxReasonChars)
    return InvalidArgument(std::string(problems::kBadReason)).With("max", std::to_string(kMaxReasonChars));
  return Status::Ok();
}

Result<std::string> ParseClientScope(std::string_view text) {
  std::string canonical = access::CanonicalScope(text);
  if (canonical.empty() || !access::ScopeRange(canonical))
    return InvalidArgument(std::string(problems::kBadScope)).With("reason", "not-a-code");
  // County (6 significant digits), township (9) or village (12).
  const bool village = canonical.substr(9, 3) != "000";
  const bool township = !village && canonical.substr(6, 3) != "000";
  const bool county = !village && !township && canonical.substr(4, 2) != "00";
  if (!village && !township && !county) return InvalidArgument(std::string(problems::kBadScope)).With("reason", "level");
  return canonical;
}

}  // namespace gz::open311
