// The field-key file: where the master keys of field encryption live on disk.
//
// Layer: crypto (interface). Default place: <data dir>/keys/field.key. Format (text, so an
// operator can add a key for rotation with an editor; see docs/decisions/0004):
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

}  // namespace gz::crypto
