// Layer: transparency domain (see transparency_log.h).
#include "modules/transparency/transparency_log.h"

#include "core/log.h"
#include "modules/transparency/problems.h"

namespace gz::transparency {
namespace {

Status Tampered(std::string reason) {
  return Status(Code::kUnavailable, std::string(problems::kTampered)).With("reason", std::move(reason));
}
Status BadRange(std::string reason) {
  return InvalidArgument(std::string(problems::kBadRange)).With("reason", std::move(reason));
}

bool IsVillageCode(std::string_view s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

Result<tlog::Checkpoint> OpenCheckpoint(const SignedCheckpoint& c, const std::vector<tlog::VerifierKey>& keys) {
  Result<std::string> text = tlog::OpenNote(c.note, keys);
  if (!text.ok()) return Tampered("checkpoint of size " + std::to_string(c.size) + ": " + std::string(text.status().slug()));
  Result<tlog::Checkpoint> parsed = tlog::ParseCheckpoint(*text);
  if (!parsed.ok() || parsed->size != c.size)
    return Tampered("checkpoint of size " + std::to_string(c.size) + " is malformed");
  return parsed;
}

}  // namespace

Result<StoredLogReport> VerifyStoredLog(LogReader& reader, const std::vector<tlog::VerifierKey>& keys) {
  StoredLogReport report;
  GZ_ASSIGN_OR_RETURN(int64_t size, reader.Size());
  tlog::MemoryTree tree;
  tree.Reserve(size);
  int64_t expected = 0;
  GZ_RETURN_IF_ERROR(reader.ForEachEntry(0, size, [&](const StoredEntry& e) -> Status {
    if (e.index != expected) return Tampered("entry " + std::to_string(expected) + " is missing");
    if (e.entry.empty() || e.entry.size() > tlog::kMaxEntryBytes || !IsVillageCode(e.village))
      return Tampered("entry " + std::to_string(e.index) + " is malformed");
    tree.Append(tlog::LeafHash(e.entry));
    ++expected;
    return Status::Ok();
  }));
  if (expected != size) return Tampered("entry " + std::to_string(expected) + " is missing");
  report.entries = size;
  const std::vector<tlog::Hash>& rebuilt = tree.stored();
  int64_t seen = 0;
  GZ_RETURN_IF_ERROR(reader.ForEachStoredHash(0, [&](int64_t index, const tlog::Hash& h) -> Status {
    if (index != seen || static_cast<size_t>(index) >= rebuilt.size())
      return Tampered("stored hash " + std::to_string(seen) + " is missing or extra");
    if (h != rebuilt[static_cast<size_t>(index)]) {
      int level;
      int64_t n;
      tlog::SplitStoredHashIndex(index, &level, &n);
      return Tampered(level == 0 ? "entry " + std::to_string(n) + " does not hash to its stored leaf hash"
                                 : "stored hash " + std::to_string(index) + " differs from the entries");
    }
    ++seen;
    return Status::Ok();
  }));
  if (seen != static_cast<int64_t>(rebuilt.size())) return Tampered("stored hashes are missing");
  int64_t previous = -1;
  GZ_RETURN_IF_ERROR(reader.ForEachCheckpoint([&](const SignedCheckpoint& c) -> Status {
    GZ_ASSIGN_OR_RETURN(tlog::Checkpoint parsed, OpenCheckpoint(c, keys));
    if (parsed.size <= previous) return Tampered("checkpoint sizes are not increasing");
    previous = parsed.size;
    if (parsed.size > size)
      return Tampered("checkpoint of size " + std::to_string(parsed.size) + " but only " + std::to_string(size) +
                      " entries are stored");
    GZ_ASSIGN_OR_RETURN(tlog::Hash root, tlog::TreeHash(parsed.size, tree.reader()));
    if (root != parsed.root)
      return Tampered("the stored entries do not reproduce the root signed for size " + std::to_string(parsed.size));
    ++report.checkpoints;
    report.newest = parsed;
    return Status::Ok();
  }));
  return report;
}

TransparencyLog::TransparencyLog(LogStore& store, tlog::SignerKey key, const Clock& clock)
    : store_(store), key_(std::move(key)), clock_(clock) {}

TransparencyLog::~TransparencyLog() { StopSigner(); }

std::string TransparencyLog::verifier_key() const { return tlog::FormatVerifierKey(tlog::VerifierOf(key_)); }

Result<SignedCheckpoint> TransparencyLog::Latest() {
  std::optional<SignedCheckpoint> latest;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(latest, r.LatestCheckpoint());
    return Status::Ok();
  }));
  if (!latest) return Unavailable(std::string(problems::kNoCheckpoint));
  return *latest;
}

Result<int64_t> TransparencyLog::SignedSize() {
  GZ_ASSIGN_OR_RETURN(SignedCheckpoint latest, Latest());
  return latest.size;
}

Result<std::string> TransparencyLog::TileData(const tlog::Tile& tile) {
  std::string out;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> latest, r.LatestCheckpoint());
    if (!latest || !tlog::TileServable(tile, latest->size)) return NotFound(std::string(problems::kTileNotFound));
    if (!tile.entries) {
      GZ_ASSIGN_OR_RETURN(out, tlog::ReadTileData(tile, r.hash_reader()));
      return Status::Ok();
    }
    int64_t begin = tile.n * tlog::kTileWidth;
    return r.ForEachEntry(begin, begin + tile.width, [&](const StoredEntry& e) -> Status {
      tlog::AppendToBundle(&out, e.entry);
      return Status::Ok();
    });
  }));
  return out;
}

Result<InclusionAnswer> TransparencyLog::Inclusion(int64_t index, std::optional<int64_t> tree_size) {
  InclusionAnswer a;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> latest, r.LatestCheckpoint());
    if (!latest) return Unavailable(std::string(problems::kNoCheckpoint));
    if (index < 0) return BadRange("index-negative");
    if (index >= latest->size)
      return NotFound(std::string(problems::kNotIncludedYet))
          .With("index", std::to_string(index))
          .With("signed_size", std::to_string(latest->size));
    int64_t size = tree_size.value_or(latest->size);
    if (size > latest->size) return BadRange("tree-size-not-signed-yet");
    if (index >= size) return BadRange("index-not-below-tree-size");
    a.index = index;
    a.tree_size = size;
    GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> leaf, r.ReadHashes(std::vector<int64_t>{tlog::StoredHashIndex(0, index)}));
    a.leaf_hash = leaf.front();
    GZ_ASSIGN_OR_RETURN(a.root, tlog::TreeHash(size, r.hash_reader()));
    GZ_ASSIGN_OR_RETURN(a.proof, tlog::ProveInclusion(index, size, r.hash_reader()));
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> at, r.CheckpointOfSize(size));
    if (at) a.checkpoint = at->note;
    return Status::Ok();
  }));
  return a;
}

Result<std::vector<tlog::Hash>> TransparencyLog::Consistency(int64_t from, int64_t to) {
  std::vector<tlog::Hash> proof;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> latest, r.LatestCheckpoint());
    if (!latest) return Unavailable(std::string(problems::kNoCheckpoint));
    if (from < 0 || from > to) return BadRange("from-must-be-between-0-and-to");
    if (to > latest->size) return BadRange("to-not-signed-yet");
    GZ_ASSIGN_OR_RETURN(proof, tlog::ProveConsistency(from, to, r.hash_reader()));
    return Status::Ok();
  }));
  return proof;
}

Result<EntryAnswer> TransparencyLog::Entry(int64_t index) {
  EntryAnswer a;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> latest, r.LatestCheckpoint());
    if (!latest) return Unavailable(std::string(problems::kNoCheckpoint));
    if (index < 0) return BadRange("index-negative");
    if (index >= latest->size)
      return NotFound(std::string(problems::kNotIncludedYet))
          .With("index", std::to_string(index))
          .With("signed_size", std::to_string(latest->size));
    bool found = false;
    GZ_RETURN_IF_ERROR(r.ForEachEntry(index, index + 1, [&](const StoredEntry& e) -> Status {
      a.entry = e;
      found = true;
      return Status::Ok();
    }));
    if (!found) return Tampered("entry " + std::to_string(index) + " is missing");
    GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> leaf, r.ReadHashes(std::vector<int64_t>{tlog::StoredHashIndex(0, index)}));
    a.leaf_hash = leaf.front();
    return Status::Ok();
  }));
  return a;
}

Result<std::optional<int64_t>> TransparencyLog::SignPending() {
  std::lock_guard<std::mutex> lock(sign_mu_);
  const std::vector<tlog::VerifierKey> keys = {tlog::VerifierOf(key_)};
  std::optional<SignedCheckpoint> to_save;
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t size, r.Size());
    GZ_ASSIGN_OR_RETURN(std::optional<SignedCheckpoint> latest, r.LatestCheckpoint());
    int64_t old_size = 0;
    tlog::Hash old_root = tlog::EmptyTreeHash();
    if (latest) {
      GZ_ASSIGN_OR_RETURN(tlog::Checkpoint old, OpenCheckpoint(*latest, keys));
      if (old.size > size) return Tampered("a checkpoint of size " + std::to_string(old.size) + " was signed but only " +
                                           std::to_string(size) + " entries are stored");
      if (old.size == size) return Status::Ok();
      old_size = old.size;
      old_root = old.root;
    }
    // The entries appended since the last checkpoint must hash to what is stored for them.
    int64_t expected = old_size;
    tlog::HashReader stored = r.hash_reader();
    GZ_RETURN_IF_ERROR(r.ForEachEntry(old_size, size, [&](const StoredEntry& e) -> Status {
      if (e.index != expected) return Tampered("entry " + std::to_string(expected) + " is missing");
      ++expected;
      return Status::Ok();
    }));
    if (expected != size) return Tampered("entry " + std::to_string(expected) + " is missing");
    std::vector<tlog::Hash> leaves;
    leaves.reserve(static_cast<size_t>(size - old_size));
    GZ_RETURN_IF_ERROR(r.ForEachEntry(old_size, size, [&](const StoredEntry& e) -> Status {
      leaves.push_back(tlog::LeafHash(e.entry));
      return Status::Ok();
    }));
    for (int64_t n = old_size; n < size; ++n) {
      GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> recomputed,
                          tlog::StoredHashesForLeaf(n, leaves[static_cast<size_t>(n - old_size)], stored));
      std::vector<int64_t> indexes;
      for (size_t i = 0; i < recomputed.size(); ++i) indexes.push_back(tlog::StoredHashIndex(0, n) + static_cast<int64_t>(i));
      GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> have, r.ReadHashes(indexes));
      if (have != recomputed) return Tampered("stored hashes of entry " + std::to_string(n) + " differ from the entry");
    }
    GZ_ASSIGN_OR_RETURN(tlog::Hash root, tlog::TreeHash(size, stored));
    GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> proof, tlog::ProveConsistency(old_size, size, stored));
    if (old_size > 0 && !tlog::VerifyConsistency(old_size, old_root, size, root, proof))
      return Tampered("the stored tree is not consistent with the checkpoint of size " + std::to_string(old_size));
    GZ_ASSIGN_OR_RETURN(std::string note, tlog::SignNote(tlog::FormatCheckpoint({key_.name, size, root, {}}), key_));
    to_save = SignedCheckpoint{size, std::move(note), NowMs(clock_)};
    return Status::Ok();
  }));
  if (!to_save) return std::optional<int64_t>();
  GZ_RETURN_IF_ERROR(store_.SaveCheckpoint(*to_save));
  return std::optional<int64_t>(to_save->size);
}

Result<StoredLogReport> TransparencyLog::SelfCheck() {
  StoredLogReport report;
  const std::vector<tlog::VerifierKey> keys = {tlog::VerifierOf(key_)};
  GZ_RETURN_IF_ERROR(store_.Read([&](LogReader& r) -> Status {
    GZ_ASSIGN_OR_RETURN(report, VerifyStoredLog(r, keys));
    return Status::Ok();
  }));
  return report;
}

void TransparencyLog::Poke() {
  {
    std::lock_guard<std::mutex> lock(signer_mu_);
    poked_ = true;
  }
  signer_cv_.notify_one();
}

void TransparencyLog::StartSigner(std::chrono::milliseconds batch, std::chrono::milliseconds interval,
                                  std::function<bool()> may_sign) {
  if (signer_.joinable()) return;
  stopping_ = false;
  signer_ = std::thread([this, batch, interval, may_sign = std::move(may_sign)] {
    std::unique_lock<std::mutex> lock(signer_mu_);
    while (!stopping_) {
      signer_cv_.wait_for(lock, interval, [this] { return poked_ || stopping_; });
      if (stopping_) break;
      if (poked_) {
        // Let the appending transaction commit and more appends join this checkpoint.
        signer_cv_.wait_for(lock, batch, [this] { return stopping_; });
        if (stopping_) break;
      }
      poked_ = false;
      lock.unlock();
      if (may_sign && !may_sign()) {
        lock.lock();
        continue;
      }
      Result<std::optional<int64_t>> signed_size = SignPending();
      if (!signed_size.ok()) {
        log::Error("tlog.sign_failed", {{"status", signed_size.status().ToString()}});
      } else if (*signed_size) {
        log::Info("tlog.signed", {{"size", **signed_size}});
      }
      lock.lock();
    }
  });
}

void TransparencyLog::StopSigner() {
  {
    std::lock_guard<std::mutex> lock(signer_mu_);
    stopping_ = true;
  }
  signer_cv_.notify_all();
  if (signer_.joinable()) signer_.join();
}

}  // namespace gz::transparency
