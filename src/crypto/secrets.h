// Secrets that are compared, not decrypted: password hashes (Argon2id), random tokens, digests,
// and the HMAC behind TOTP codes.
//
// Layer: crypto (interface; libsodium and OpenSSL stay in secrets.cc). Added for the identity
// module (issue #3): sign-in, sessions, invitations and TOTP. Decisions and parameters:
// src/modules/identity/README.md and docs/security-identity.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::crypto {

// Argon2id cost. The default is libsodium's INTERACTIVE pair (2 passes over 64 MiB, about 0.1 s
// on one core of the 2-core target machine): each sign-in costs that much CPU and memory, so the
// per-address sign-in limit, not the hash, bounds the load. Tests pass Minimal() (1 pass, 8 KiB)
// so that hundreds of hashes take milliseconds.
struct PasswordHashCost {
  uint64_t opslimit = 0;
  size_t memlimit = 0;
  static PasswordHashCost Interactive();
  static PasswordHashCost Minimal();  // tests only: no protection at all
};

// The encoded Argon2id hash ("$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>", salt random), or
// kInternal "crypto/password-hash-failed" when memory for the hash cannot be had.
Result<std::string> HashPassword(std::string_view password, const PasswordHashCost& cost);
// True if `encoded` is a hash of `password`. Malformed `encoded`: false. Runs in the time of one
// hash with the parameters written in `encoded`.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// `n` bytes from the operating system's CSPRNG (libsodium randombytes).
std::string RandomBytes(size_t n);
// A uniformly random integer in [0, upper_bound). REQUIRES: upper_bound > 0.
uint32_t RandomUniform(uint32_t upper_bound);

// SHA-256 of `data`, 32 raw bytes.
std::string Sha256(std::string_view data);
// SHA-256 of `data` as 64 lowercase hex digits: how content hashes are stored and logged.
std::string Sha256Hex(std::string_view data);
// True if `text` is 64 lowercase hex digits (what Sha256Hex returns).
bool IsSha256Hex(std::string_view text);
// Two lowercase hex digits per byte of `bytes`.
std::string HexEncode(std::string_view bytes);
// `n` bytes from the CSPRNG as 2n lowercase hex digits (ballot ids, lease holder names).
std::string RandomHex(size_t n);
// HMAC-SHA1 (RFC 2104) of `message` under `key`, 20 raw bytes: the PRF of HOTP/TOTP (RFC 4226,
// RFC 6238), which authenticator apps implement with SHA-1 only.
std::string HmacSha1(std::string_view key, std::string_view message);

// Compares in time that depends on the lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// URL-safe base64 without padding (RFC 4648 §5), for tokens sent in headers and cookies.
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace gz::crypto
