// TOTP (RFC 6238): the second factor every staff role must pass at sign-in.
//
// Layer: identity domain. HMAC-SHA1, 30-second steps, 6 digits: what every common authenticator
// app assumes when the otpauth:// URI says nothing else. A code is accepted for the current step
// and one step either side (clock drift, typing time), and a step is never accepted twice for
// one account (the store keeps the last step used; Verify() wants a step above it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gz::identity {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226's recommendation

// RFC 4648 base32 (upper case, no padding), as otpauth:// URIs carry secrets.
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case, ignores spaces and '=' padding; nullopt on any other character.
std::optional<std::string> Base32Decode(std::string_view text);

// The step of a UTC instant in milliseconds (floor(seconds / 30)).
int64_t TotpStep(int64_t unix_ms);
// HOTP (RFC 4226) of `counter`, `digits` long with leading zeros.
std::string Hotp(std::string_view key, int64_t counter, int digits = kTotpDigits);

// The step that `code` matches among now-1, now, now+1 (in that order) and that is above
// `last_used_step`; nullopt when none does. `code` must be exactly 6 ASCII digits.
std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code, int64_t unix_ms,
                                  int64_t last_used_step);

// otpauth://totp/gongzhi:<label>?secret=<base32>&issuer=gongzhi&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view label, std::string_view secret_base32);

}  // namespace gz::identity
