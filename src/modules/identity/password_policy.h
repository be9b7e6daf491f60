// Password rules (NIST SP 800-63B §5.1.1.2 in spirit; GB/T 22239 asks for "complexity", which we
// meet with length and a block list instead of composition rules that push people to "Abc12345!").
//
// Layer: identity domain.
//   - at least 8 characters for villagers, 12 for staff (Unicode code points, so a Chinese
//     passphrase counts its characters, not its bytes); at most 128 bytes; no control characters;
//   - no composition rules;
//   - refused if it is (ASCII case ignored) an entry of the block list: Openwall's password.lst
//     (Debian's john-data package, embedded at build time: see CMakeLists.txt) plus the Chinese
//     patterns of kChinesePatterns (password_policy.cc);
//   - refused if it is built on a context word: the account's phone number or "gongzhi" (and the
//     app's pinyin, "gongzhi"), i.e. when what is left after removing every context word is
//     shorter than 6 characters or is itself blocked ("gongzhi123", "15400000001a", "gongzhipassword");
//   - refused if it is one character repeated.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"

namespace gz::identity {

inline constexpr size_t kMinPasswordCharsVillager = 8;
inline constexpr size_t kMinPasswordCharsStaff = 12;
inline constexpr size_t kMaxPasswordBytes = 128;

class PasswordPolicy {
 public:
  // The embedded list (Openwall password.lst + Chinese patterns). Built once; thread-safe.
  static const PasswordPolicy& Default();
  // A policy over `entries` plus the Chinese patterns (tests).
  explicit PasswordPolicy(const std::vector<std::string>& entries);

  // OK, or kInvalidArgument "identity/weak-password" with argument "reason": "too-short" (with
  // "min"), "too-long" (with "max"), "control-character", "blocked", "context", "repeated".
  // `context` holds the phone number (if any); "gongzhi" is always a context word.
  Status Check(std::string_view password, bool staff, const std::vector<std::string>& context) const;

  bool IsBlocked(std::string_view password) const;  // ASCII case ignored
  size_t size() const { return blocked_.size(); }

 private:
  PasswordPolicy() = default;
  void Add(std::string_view entry);
  std::unordered_set<std::string> blocked_;
};

// Code points of valid UTF-8 (each byte that does not continue a sequence).
size_t Utf8Length(std::string_view text);

}  // namespace gz::identity
