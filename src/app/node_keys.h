// The keys every gongzhi node of one store must share, checked at start-up.
//
// Layer: app (composition root: it knows the store, the key files and the transparency log).
// Each node reads its keys from its own data folder: keys/field.key (crypto/key_file.h) and
// keys/tlog.key (modules/transparency/signing_key.h). Two nodes with different keys on one
// database would seal personal data the other cannot open and sign the log with two keys, so the
// first node to start records the PUBLIC identity of its keys in the store (storage/store_facts.h:
// each field key's id and fingerprint, the blind-index key id, the log's verifier key; never key
// material), and every node checks its own keys against that record before it seals or signs
// anything. A node refuses to start, naming its data folder and what to copy, when
//   - the store has keys recorded and a key file of this node is missing (it would otherwise
//     make fresh keys of its own): "app/keys-missing";
//   - a recorded field key is missing from this node's ring or differs, the blind-index key
//     differs, or the log key differs: "app/keys-mismatch".
// A field key this node has and the store does not (a rotation, crypto/key_file.h) is recorded.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "crypto/key_ring.h"
#include "storage/db.h"

namespace gz::app {

// Before any key file is created. kFailedPrecondition "app/keys-missing" (arguments "path" =
// the data folder, "file" = the missing key file's name) if the store records keys and a key
// file is missing here.
Status RefuseMissingNodeKeys(storage::Db& db, const std::string& data_dir);

// After the keys are loaded (or made, for the first node). Records what the store lacks, then
// compares with what it holds. kFailedPrecondition "app/keys-mismatch" (arguments "path" = the
// data folder, "detail" = which key differs).
Status CheckAndRecordNodeKeys(storage::Db& db, const std::string& data_dir, const crypto::KeyRing& field_keys,
                              const std::string& tlog_verifier_key, int64_t now_ms);

}  // namespace gz::app
