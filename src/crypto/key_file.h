// The field-key file: where the master keys of field encryption live on disk.
//
// Layer: crypto (interface). Default place: <data dir>/keys/field.key. Format (text, so an
// operator can read it and, in an emergency, fix it with an editor; see docs/decisions/0004):
//
//   # comment lines and blank lines are ignored
//   gz-field-keys 1             <- format marker and version, first non-comment line
//   active 1                    <- key id that seals new data
//   index 1                     <- key id that computes blind indexes
//   key 1 <64 hex digits>       <- one line per master key, ids 1..255, unique
//
// The file must be a regular file with no group or other permission bits (0600 or 0400); it is
// refused otherwise, because a key readable by other local users voids encryption at rest. Key
// bytes are never logged, never put in a Status, and wiped from memory after parsing.
#pragma once

#include <filesystem>

#include "core/status.h"
#include "crypto/key_ring.h"

namespace gz::crypto {

// <data_dir>/keys/field.key
std::filesystem::path DefaultKeyFilePath(const std::filesystem::path& data_dir);

// Reads and checks the key file. Errors (each with a "path" argument, never key material):
//   kNotFound ("crypto/key-file-unreadable") if it does not exist;
//   kFailedPrecondition ("crypto/key-file-unreadable") if it cannot be opened or read;
//   kFailedPrecondition ("crypto/key-file-permissions") if it is not a regular file or has any
//     group/other permission bit (argument "mode", octal);
//   kFailedPrecondition ("crypto/key-file-malformed") for any format error (argument "line").
Result<KeyRing> LoadKeyFile(const std::filesystem::path& path);

// Loads the key file, or, if it does not exist, creates it with one random key: the folder is
// created with mode 0700 if missing, the file with 0600, written and fsync'ed before it appears
// under its name, so a crash never leaves a half-written key file. If another process creates it
// at the same moment, that file is loaded. `created` (optional) tells whether a key was made.
// Errors as LoadKeyFile, plus kFailedPrecondition ("crypto/key-file-not-writable").
Result<KeyRing> LoadOrCreateKeyFile(const std::filesystem::path& path, bool* created = nullptr);

// Writes `ring` to a new file at `path` (mode 0600). kAlreadyExists if the file exists: key files
// are never overwritten (an overwritten key loses every field sealed under it).
Status WriteNewKeyFile(const std::filesystem::path& path, const KeyRing& ring);

// Rotation. Both functions rewrite the key file in place of the old one: every key already in it
// is kept (fields sealed under an old key still open, and the re-seal job moves them over),
// `index` is never changed (that needs a re-index job), the mode and owner are kept, and comment
// lines are not. Concurrent rotations are serialized with a lock on the file; the new file is
// read back and checked before it replaces the old one, and a crash leaves one or the other.
// Running processes keep the keys they loaded until they restart. Errors as LoadKeyFile, plus
// kFailedPrecondition ("crypto/key-file-not-writable") if the new file cannot be put in place.
//
// Adds a fresh random master key under the next id (the largest + 1; ids are never reused) and,
// if `make_active`, makes it seal new data. Returns the new id; kFailedPrecondition
// ("crypto/key-ids-exhausted") once id 255 is taken. With several processes on one store (server
// and CLI), add with make_active = false, restart them all, then SetActiveKeyInKeyFile(): no
// process then meets a field sealed under a key it has not loaded.
Result<uint8_t> AddKeyToKeyFile(const std::filesystem::path& path, bool make_active = true);

// Makes key `id` (already in the file) the one that seals new data. kInvalidArgument
// ("crypto/unknown-key", argument "key_id") if the file has no such key.
Status SetActiveKeyInKeyFile(const std::filesystem::path& path, uint8_t id);

}  // namespace gz::crypto
