// Process-wide set-up and randomness for gongzhi's cryptography.
//
// Layer: crypto (interface). This is the only folder whose .cc files include <sodium.h>; no crypto
// header does, so callers never see libsodium types. Decisions: docs/decisions/0004.
#pragma once

#include <cstdint>

#include "core/status.h"

namespace gz::crypto {

// Initializes libsodium (sodium_init) exactly once per process; later calls are cheap no-ops.
// Thread-safe. Returns kInternal ("crypto/init-failed") if libsodium cannot start (no usable
// entropy source): the server must refuse to start. Every factory in this folder calls it, so
// calling it explicitly is only needed by code that wants to fail fast at start-up.
Status Initialize();

// A new row id for a table whose rows carry sealed fields (the id is bound into their associated
// data, so it must be known before the INSERT). Ids are unique, time-ordered and not sequential:
//
//   bit 63: 0 | bits 62..22: milliseconds since 2024-01-01T00:00Z (until 2093) | bits 21..0: random
//
// Time order keeps B-tree inserts near the right edge of the table (random 63-bit ids made
// seeding a county twice as slow: every insert touched a random page). Ids from one process are
// strictly increasing even when `unix_ms` stands still or goes back (FakeClock, clock steps,
// bursts): the next id is then the previous + 1 + a random 0..255. Two processes writing in the
// same millisecond collide with probability 2^-22 per pair of rows; the store reports that as
// kAlreadyExists "storage/conflict", which a caller may retry. An id is not a secret:
// authorization, not obscurity, guards every object (T-AC-2). Decision: docs/decisions/0004.
// Thread-safe. REQUIRES: Initialize() has returned OK.
int64_t NewRowId(int64_t unix_ms);

}  // namespace gz::crypto
