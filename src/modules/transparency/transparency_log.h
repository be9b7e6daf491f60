// The transparency log service: serves what the log has signed (checkpoint, tiles, entries,
// proofs), signs checkpoints for what is durably stored, and checks the stored log against every
// checkpoint it ever signed.
//
// Layer: transparency domain (through the LogStore port; no SQL, no HTTP).
//
// Signing rule: a checkpoint is signed only from one committed read of the store in which
//   - every entry appended since the previous checkpoint hashes to the stored hashes,
//   - the root is recomputed from the stored hashes, and
//   - a consistency proof from the previous signed checkpoint to the new root verifies;
// so the log never signs a tree the store cannot reproduce, nor one inconsistent with its past.
// What is served is bounded by the newest signed checkpoint: an entry becomes visible once it is
// signed (C2SP: clients never need a tile no checkpoint covers).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "modules/transparency/log_store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"

namespace gz::transparency {

struct InclusionAnswer {
  int64_t index = 0;
  int64_t tree_size = 0;
  tlog::Hash leaf_hash{};
  tlog::Hash root{};
  std::vector<tlog::Hash> proof;
  std::optional<std::string> checkpoint;  // the signed note of that size, if it is a signed size
};

struct EntryAnswer {
  StoredEntry entry;
  tlog::Hash leaf_hash{};
};

// What a full check found (VerifyStoredLog).
struct StoredLogReport {
  int64_t entries = 0;
  int64_t checkpoints = 0;
  std::optional<tlog::Checkpoint> newest;
};

// Rebuilds the whole tree from the stored entries and checks: indexes dense, every stored hash
// equal to the rebuilt one, every kept checkpoint signed by one of `keys`, for a size the store
// has, with the rebuilt root at that size, sizes increasing. kUnavailable "tlog/tampered" with
// argument "reason" (English, names the first index or size that differs) on any mismatch.
Result<StoredLogReport> VerifyStoredLog(LogReader& reader, const std::vector<tlog::VerifierKey>& keys);

class TransparencyLog {
 public:
  // `store` and `clock` must outlive the service. The key's name is the origin.
  TransparencyLog(LogStore& store, tlog::SignerKey key, const Clock& clock);
  ~TransparencyLog();

  const std::string& origin() const { return key_.name; }
  std::string verifier_key() const;  // name+id+base64(0x01||pub)
  tlog::VerifierKey verifier() const { return tlog::VerifierOf(key_); }

  // The newest signed checkpoint; kUnavailable "tlog/no-checkpoint" before the first signing.
  Result<SignedCheckpoint> Latest();
  // A hash tile or entry bundle covered by the newest checkpoint; kNotFound "tlog/tile-not-found".
  Result<std::string> TileData(const tlog::Tile& tile);
  // tree_size defaults to the newest signed size.
  Result<InclusionAnswer> Inclusion(int64_t index, std::optional<int64_t> tree_size);
  Result<std::vector<tlog::Hash>> Consistency(int64_t from, int64_t to);
  Result<EntryAnswer> Entry(int64_t index);

  // Signs a checkpoint for the committed tree if it grew (see the signing rule above). Returns
  // the size signed, or nullopt when there was nothing new. The first call on an empty log signs
  // size 0.
  Result<std::optional<int64_t>> SignPending();
  // VerifyStoredLog over the store with this log's key.
  Result<StoredLogReport> SelfCheck();

  // The background signer: after Poke() (an append happened) it waits `batch` for more appends,
  // then signs; it also looks every `interval` in case a poke was missed (another process).
  // `may_sign`, asked before each signing, lets one of several serving processes sign (a lease,
  // jobs/lease.h); empty: always.
  void StartSigner(std::chrono::milliseconds batch, std::chrono::milliseconds interval,
                   std::function<bool()> may_sign = {});
  void StopSigner();
  void Poke();

 private:
  Result<int64_t> SignedSize();

  LogStore& store_;
  tlog::SignerKey key_;
  const Clock& clock_;
  std::mutex sign_mu_;  // one signing at a time in this process

  std::mutex signer_mu_;
  std::condition_variable signer_cv_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread signer_;
};

}  // namespace gz::transparency
