// AuditRecord: one entry of the audit trail as stored, and the hash chain that links the entries.
//
// Layer: audit domain (standard library, core, access; SHA-256 from OpenSSL's libcrypto).
//
// Each record carries every field of access::AuditEvent plus
//   seq        1, 2, 3, ... without gaps (assigned by the store under the write lock);
//   at_ms      UTC milliseconds, never smaller than the previous record's: max(now, previous at_ms),
//              so a clock stepped back cannot make the trail's time go backwards;
//   prev_hash  the previous record's hash (32 zero bytes for seq 1);
//   hash       SHA-256 of the canonical encoding below.
//
// Canonical encoding, version 1 (stable forever: changing it breaks every existing chain):
//
//   str("gongzhi.audit.v1") || u64(seq) || i64(at_ms) || str(action) || str(outcome)
//   || i64(actor_account) || i64(acting_for_account) || i64(consent_id) || str(roles)
//   || str(division) || str(object_type) || str(object_id) || str(purpose) || str(request_id)
//   || str(details) || str(prev_hash)
//
//   u64(x), i64(x): 8 bytes, big-endian (i64 in two's complement);
//   str(s):         u32 big-endian byte length of s, then the bytes of s exactly as stored.
//
// Length prefixes make the encoding injective: no two different records encode to the same bytes
// (a field cannot "borrow" bytes from its neighbour), so a hash match means every field matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "access/audit_event.h"
#include "core/status.h"

namespace gz::audit {

inline constexpr size_t kHashBytes = 32;

// Limits on the fields of an event. Purpose is the only field a person types: modules that accept a
// purpose from a request must refuse one longer than kMaxPurposeBytes with their own 400 problem
// (AppendAuditInTx treats an oversized field as a bug in the caller: kInternal "audit/bad-event").
inline constexpr size_t kMaxActionBytes = 64;
inline constexpr size_t kMaxRolesBytes = 2048;
inline constexpr size_t kMaxObjectTypeBytes = 32;
inline constexpr size_t kMaxObjectIdBytes = 128;
inline constexpr size_t kMaxPurposeBytes = 500;
inline constexpr size_t kMaxRequestIdBytes = 128;
inline constexpr size_t kMaxDetailsBytes = 4096;

struct AuditRecord {
  int64_t seq = 0;
  int64_t at_ms = 0;
  access::AuditEvent event;
  std::string prev_hash;  // 32 bytes
  std::string hash;       // 32 bytes
};

// 32 zero bytes: the prev_hash of record 1.
const std::string& GenesisHash();

// The canonical encoding above (seq, at_ms, event fields, prev_hash; not `hash`).
std::string CanonicalEncoding(const AuditRecord& record);

// SHA-256 of CanonicalEncoding(record).
std::string ChainHash(const AuditRecord& record);

// Checks an event before it is stored and normalizes it: action "<module>.<verb>" (lower-case
// letters, digits, '_' and '.'), outcome one of access::outcome, every field within its limit,
// division "" or a division code (canonicalized to 12 digits), details "" or a JSON object text.
// kInternal "audit/bad-event" (argument "field") otherwise: a bug in the module that built it.
Status NormalizeEvent(access::AuditEvent& event);

}  // namespace gz::audit
