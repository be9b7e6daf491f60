// RFC 6962 / RFC 9162 Merkle trees as Go's golang.org/x/mod/sumdb/tlog stores them.
//
// Layer: tlog (a pure library: OpenSSL's SHA-256, the standard library and core/ only; no SQL,
// no HTTP). The formats are /work/shared/design/transparency-log.md, copied to
// docs/transparency-log.md: leaf hash SHA-256(0x00 || entry), node hash SHA-256(0x01 || l || r),
// split at the largest power of two below n, the empty tree hashes to SHA-256("").
//
// Stored hashes: when leaf n is appended, its leaf hash and the hashes of the perfect subtrees it
// completes are appended to one dense array (StoredHashIndex numbers them exactly as Go's tlog,
// so a tile at level L is read straight from the hashes at level 8L). Everything else (roots,
// proofs, tiles) is computed from that array through a HashReader, which is how the SQL store, an
// in-memory vector and the tiles fetched by a client all plug in.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::tlog {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view bytes);
Hash LeafHash(std::string_view entry);
Hash NodeHash(const Hash& left, const Hash& right);
// SHA-256 of nothing: the root of the empty tree (not 32 zero bytes, unlike x/mod 0.7.0).
Hash EmptyTreeHash();
std::string HashBytes(const Hash& h);               // the 32 raw bytes
Result<Hash> HashFromBytes(std::string_view bytes);  // exactly 32 bytes, else kInvalidArgument
std::string HashHex(const Hash& h);

// Index in the stored-hash array of the hash of the perfect subtree of 2^level leaves starting at
// leaf n * 2^level. REQUIRES level in 0..62, n >= 0.
int64_t StoredHashIndex(int level, int64_t n);
// The inverse: the (level, n) of stored index `index`.
void SplitStoredHashIndex(int64_t index, int* level, int64_t* n);
// How many stored hashes a tree of `size` leaves has.
int64_t StoredHashCount(int64_t size);

// Reads stored hashes by index; returns them in the order asked. Indexes are always below
// StoredHashCount of the tree being read. A missing hash is an error (kNotFound / kDataLoss).
using HashReader = std::function<Result<std::vector<Hash>>(std::span<const int64_t> indexes)>;

// The stored hashes appending leaf number `n` (0-based; the tree has n leaves before) with leaf
// hash `leaf` adds, in order; they take indexes StoredHashIndex(0, n) onward. Reads at most
// log2(n) older hashes.
Result<std::vector<Hash>> StoredHashesForLeaf(int64_t n, const Hash& leaf, const HashReader& reader);

// The root of the first `size` leaves (EmptyTreeHash for 0).
Result<Hash> TreeHash(int64_t size, const HashReader& reader);

// Inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3), leaf upward.
// kInvalidArgument "tlog/bad-range" unless 0 <= index < size.
Result<std::vector<Hash>> ProveInclusion(int64_t index, int64_t size, const HashReader& reader);
// Consistency proof from size `old_size` to `size` (RFC 9162 2.1.4); empty when old_size is 0 or
// equal to size. kInvalidArgument "tlog/bad-range" unless 0 <= old_size <= size.
Result<std::vector<Hash>> ProveConsistency(int64_t old_size, int64_t size, const HashReader& reader);

// Verification (RFC 9162 iterative forms). `size` and `root` must come from a checkpoint the
// caller trusts, never from whoever sent the proof.
bool VerifyInclusion(int64_t index, int64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root);
bool VerifyConsistency(int64_t old_size, const Hash& old_root, int64_t size, const Hash& root,
                       std::span<const Hash> proof);

// An in-memory log: the stored-hash array of a tree, appended leaf by leaf. The verifier CLI
// rebuilds a downloaded log with it, the server's start-up self-check rebuilds the stored log,
// and tests use it as the reference.
class MemoryTree {
 public:
  void Append(const Hash& leaf);
  int64_t size() const { return size_; }
  const std::vector<Hash>& stored() const { return stored_; }
  HashReader reader() const;
  Result<Hash> Root() const { return TreeHash(size_, reader()); }
  void Reserve(int64_t leaves) { stored_.reserve(static_cast<size_t>(leaves) * 2); }

 private:
  int64_t size_ = 0;
  std::vector<Hash> stored_;
};

}  // namespace gz::tlog
