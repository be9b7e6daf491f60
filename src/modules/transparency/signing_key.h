// The log's signing key file: <data dir>/keys/tlog.key, beside the field keys (crypto/key_file.h).
//
// Layer: transparency domain (plain file I/O). Format, one line of Go's note signer-key syntax:
//   PRIVATE+KEY+<origin>+<key id hex>+<base64(0x01 || Ed25519 seed)>
// so an operator can move the log to Go tooling and back. Mode 0600, refused when group or others
// may read it; created (0700 folder, 0600 file, fsync, then rename) on first start. The key name
// is the log's origin; when the origin is configured explicitly (origin_must_match), a key file
// whose name differs is refused (changing the origin is a new log, done on purpose with a new
// key); otherwise the existing key's name is the origin, and `origin` only names a new key.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/status.h"
#include "tlog/note.h"

namespace gz::transparency {

std::filesystem::path DefaultSigningKeyPath(const std::filesystem::path& data_dir);

// Errors: kFailedPrecondition "tlog/key-file" with argument "reason".
Result<tlog::SignerKey> LoadSigningKey(const std::filesystem::path& path);
Result<tlog::SignerKey> LoadOrCreateSigningKey(const std::filesystem::path& path, std::string_view origin,
                                               bool origin_must_match, bool* created = nullptr);

}  // namespace gz::transparency
