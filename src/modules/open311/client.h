// Open311 clients: applications outside gongzhi (a county's 随手拍 app, a 12345 hotline bridge, a
// FixMyStreet instance) that file and follow appeals through the GeoReport v2 API with a key an
// administrator issued to them for one division subtree.
//
// Layer: open311 domain (standard library, core, access, crypto).
//
// Keys: 32 bytes from the operating system's CSPRNG (libsodium randombytes), written
// "gz311_" + base64url (43 characters). Only SHA-256 of the key is stored, looked up by equality
// (a unique index): a 256-bit random key needs no slow hash, and a lookup by hash compares no
// secret in variable time. The key is shown once, when it is issued; the first characters
// ("gz311_AbCd") are kept to recognise a key in lists and leak 24 of its 256 bits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::open311 {

inline constexpr std::string_view kKeyPrefix = "gz311_";
inline constexpr size_t kKeyRandomBytes = 32;
inline constexpr size_t kKeyLength = 6 + 43;  // kKeyPrefix + base64url of 32 bytes, unpadded
inline constexpr size_t kKeyHintLength = 10;  // "gz311_" + 4 characters
inline constexpr size_t kMaxClientNameChars = 100;
inline constexpr size_t kMaxReasonChars = 200;

struct Client {
  int64_t id = 0;
  std::string name;       // "蔡甸随手拍"; an application's name, not personal data
  std::string scope;      // canonical 12-digit code of a county, township or village
  std::string key_hint;   // the key's first kKeyHintLength characters
  int64_t created_by = 0; // the administrator's account; 0: the gongzhi CLI on the server
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  int64_t revoked_by = 0;  // account; 0 with revoked_at_ms: the CLI
  std::string revoke_reason;
  bool revoked() const { return revoked_at_ms.has_value(); }
  bool operator==(const Client&) const = default;
};

// A fresh key: kKeyPrefix + base64url(32 random bytes). REQUIRES: crypto::Initialize() is OK.
std::string NewKey();
// What the store keeps and looks up: SHA-256 of the key as typed, 32 raw bytes.
std::string KeyHash(std::string_view key);
// True if `key` has the shape of a key (prefix, length, base64url alphabet): anything else is
// refused before the store is asked.
bool LooksLikeKey(std::string_view key);

// 1..kMaxClientNameChars code points of valid UTF-8, no control characters, not blank.
// kInvalidArgument "open311/bad-client-name" {max}.
Status ValidateClientName(std::string_view name);
// At most kMaxReasonChars, same alphabet (may be empty). kInvalidArgument "open311/bad-reason".
Status ValidateReason(std::string_view reason);

// The canonical 12-digit code of a county, township or village that `text` names (2/4/6/9/12
// digits are accepted as access::CanonicalScope does), or kInvalidArgument "open311/bad-scope"
// {reason: "not-a-code" | "level"}: provinces and prefectures are too wide for one client.
Result<std::string> ParseClientScope(std::string_view text);

}  // namespace gz::open311
