// C2SP signed notes with Ed25519, the key strings of Go's note package, and C2SP tlog-checkpoint.
//
// Layer: tlog (OpenSSL for Ed25519 and randomness; no libsodium here, which only crypto/ may
// include). docs/transparency-log.md has the formats; the worked example of the design note
// (a test key, "village.example/log") is reproduced byte for byte by note_test.cc.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tlog/merkle.h"

namespace gz::tlog {

// Standard base64 with padding (RFC 4648 4). Decoding is strict: no whitespace, no URL-safe
// alphabet, padding required, unused bits zero.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// A key name: non-empty, valid UTF-8, no Unicode whitespace, no '+'.
bool ValidKeyName(std::string_view name);

// first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).
uint32_t Ed25519KeyId(std::string_view name, std::string_view public_key);

struct VerifierKey {
  std::string name;
  uint32_t id = 0;
  std::string public_key;  // 32 bytes
};

// The private half. The seed is key material: never log it.
struct SignerKey {
  std::string name;
  uint32_t id = 0;
  std::string seed;        // 32 bytes
  std::string public_key;  // 32 bytes, derived from the seed
};

// A fresh random key (OpenSSL's RAND_bytes). kInvalidArgument "tlog/bad-key-name".
Result<SignerKey> GenerateSignerKey(std::string_view name);
// "PRIVATE+KEY+<name>+<id hex>+<base64(0x01 || seed)>"; the key id is checked.
Result<SignerKey> ParseSignerKey(std::string_view text);
std::string FormatSignerKey(const SignerKey& key);
// "<name>+<id hex>+<base64(0x01 || public key)>"; the key id is checked.
Result<VerifierKey> ParseVerifierKey(std::string_view text);
std::string FormatVerifierKey(const VerifierKey& key);
VerifierKey VerifierOf(const SignerKey& key);

// Signs `text` (lines each ending in '\n', no byte below 0x20 but '\n', valid UTF-8) and returns
// the signed note: text, an empty line, one signature line.
Result<std::string> SignNote(std::string_view text, const SignerKey& key);
// Opens a signed note with the trusted keys: returns the text when at least one trusted key
// (same name AND id) signed it validly; lines of unknown keys are ignored; a trusted key's bad
// signature rejects the note. Errors, all kInvalidArgument: "tlog/malformed-note",
// "tlog/bad-signature", "tlog/unverified-note" (no trusted signature).
Result<std::string> OpenNote(std::string_view note, const std::vector<VerifierKey>& trusted);

struct Checkpoint {
  std::string origin;
  int64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // further non-empty lines, kept as they are
};
// The checkpoint text (the bytes that get signed).
std::string FormatCheckpoint(const Checkpoint& c);
// Parses a checkpoint text: origin non-empty, size decimal without sign or leading zeros, root
// strict base64 of 32 bytes, each line ending in '\n'. kInvalidArgument "tlog/malformed-checkpoint".
Result<Checkpoint> ParseCheckpoint(std::string_view text);

}  // namespace gz::tlog
