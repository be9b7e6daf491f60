// Problem types returned by the crypto layer (slugs are stable; texts may change).
//
// Layer: crypto (interface). Only kIntegrityFailure can reach an HTTP caller (a tampered or
// misplaced sealed field); the key-file, cipher-suite and algorithm problems stop the server at
// start-up, or a key rotation, with one clear line.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::crypto::problems {

inline constexpr std::string_view kInitFailed = "crypto/init-failed";
inline constexpr std::string_view kIntegrityFailure = "crypto/integrity-failure";
inline constexpr std::string_view kUnknownKey = "crypto/unknown-key";
inline constexpr std::string_view kKeyFileUnreadable = "crypto/key-file-unreadable";
inline constexpr std::string_view kKeyFilePermissions = "crypto/key-file-permissions";
inline constexpr std::string_view kKeyFileMalformed = "crypto/key-file-malformed";
inline constexpr std::string_view kKeyFileNotWritable = "crypto/key-file-not-writable";
inline constexpr std::string_view kKeyIdsExhausted = "crypto/key-ids-exhausted";
inline constexpr std::string_view kUnknownCipherSuite = "crypto/unknown-cipher-suite";
inline constexpr std::string_view kAlgorithmUnavailable = "crypto/algorithm-unavailable";

inline constexpr std::array<ProblemText, 2> kTexts = {{
    {kIntegrityFailure, "数据完整性校验失败", "加密字段无法通过完整性校验，可能已被篡改，系统拒绝使用该数据",
     "Integrity check failed", "A sealed field failed its integrity check and is not used"},
    {kUnknownKey, "密钥不可用", "数据使用的密钥 {key_id} 不在当前密钥文件中",
     "Key not available", "The data was sealed with key {key_id}, which is not in the key file"},
}};

}  // namespace gz::crypto::problems
