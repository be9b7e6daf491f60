// Layer: tlog (see merkle.h).
#include "tlog/merkle.h"

#include <openssl/sha.h>

#include <bit>
#include <cstring>

namespace gz::tlog {
namespace {

Status BadRange(std::string note) { return InvalidArgument("tlog/bad-range", std::move(note)); }

// Largest power of two strictly below n (n >= 2).
int64_t SplitPoint(int64_t n) { return int64_t{1} << (63 - std::countl_zero(static_cast<uint64_t>(n - 1))); }

// The stored indexes whose hashes, combined right to left, give the hash of leaves [lo, hi).
// REQUIRES lo is aligned to the largest power of two <= hi - lo (true of every range the RFC
// recursion produces), so the range splits into perfect, stored subtrees from the left.
void RangeIndexes(int64_t lo, int64_t hi, std::vector<int64_t>* out) {
  while (lo < hi) {
    int level = 63 - std::countl_zero(static_cast<uint64_t>(hi - lo));
    // The subtree must also be aligned at lo: shrink until it is.
    while (level > 0 && (lo & ((int64_t{1} << level) - 1)) != 0) --level;
    out->push_back(StoredHashIndex(level, lo >> level));
    lo += int64_t{1} << level;
  }
}

Hash CombineRightToLeft(std::span<const Hash> hashes) {
  Hash h = hashes.back();
  for (size_t i = hashes.size() - 1; i-- > 0;) h = NodeHash(hashes[i], h);
  return h;
}

// One element of a proof: the hash of a range, read as RangeIndexes of it.
struct Piece {
  int64_t lo, hi;
};

void InclusionPieces(int64_t m, int64_t lo, int64_t hi, std::vector<Piece>* out) {
  // Collected root-first by recursion; reversed by the caller to be leaf upward.
  while (hi - lo > 1) {
    int64_t k = SplitPoint(hi - lo);
    if (m < k) {
      out->push_back({lo + k, hi});
      hi = lo + k;
    } else {
      out->push_back({lo, lo + k});
      lo += k;
      m -= k;
    }
  }
}

void ConsistencyPieces(int64_t m, int64_t lo, int64_t hi, bool whole, std::vector<Piece>* out) {
  // Root-first, like InclusionPieces.
  std::vector<Piece> rev;
  while (true) {
    int64_t n = hi - lo;
    if (m == n) {
      if (!whole) rev.push_back({lo, hi});
      break;
    }
    int64_t k = SplitPoint(n);
    if (m <= k) {
      rev.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      rev.push_back({lo, lo + k});
      lo += k;
      m -= k;
      whole = false;
    }
  }
  out->insert(out->end(), rev.begin(), rev.end());
}

Result<std::vector<Hash>> ReadPieces(std::vector<Piece> pieces, const HashReader& reader) {
  std::vector<int64_t> indexes;
  std::vector<size_t> ends;
  for (const Piece& p : pieces) {
    RangeIndexes(p.lo, p.hi, &indexes);
    ends.push_back(indexes.size());
  }
  GZ_ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader(indexes));
  if (hashes.size() != indexes.size()) return Internal("hash reader returned a wrong count");
  std::vector<Hash> proof;
  proof.reserve(pieces.size());
  size_t start = 0;
  for (size_t end : ends) {
    proof.push_back(CombineRightToLeft(std::span<const Hash>(hashes).subspan(start, end - start)));
    start = end;
  }
  return proof;
}

}  // namespace

Hash Sha256(std::string_view bytes) {
  Hash h;
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), h.data());
  return h;
}

Hash LeafHash(std::string_view entry) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  const unsigned char prefix = 0x00;
  SHA256_Update(&ctx, &prefix, 1);
  SHA256_Update(&ctx, entry.data(), entry.size());
  Hash h;
  SHA256_Final(h.data(), &ctx);
  return h;
}

Hash NodeHash(const Hash& left, const Hash& right) {
  unsigned char buf[65];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), 32);
  std::memcpy(buf + 33, right.data(), 32);
  Hash h;
  SHA256(buf, sizeof buf, h.data());
  return h;
}

Hash EmptyTreeHash() { return Sha256(""); }

std::string HashBytes(const Hash& h) { return std::string(reinterpret_cast<const char*>(h.data()), h.size()); }

Result<Hash> HashFromBytes(std::string_view bytes) {
  if (bytes.size() != 32) return InvalidArgument("tlog/bad-hash", "a hash is 32 bytes");
  Hash h;
  std::memcpy(h.data(), bytes.data(), 32);
  return h;
}

std::string HashHex(const Hash& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : h) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

int64_t StoredHashIndex(int level, int64_t n) {
  for (int l = level; l > 0; --l) n = 2 * n + 1;
  int64_t i = 0;
  while (n > 0) {
    i += n;
    n >>= 1;
  }
  return i + level;
}

void SplitStoredHashIndex(int64_t index, int* level, int64_t* n) {
  // Go's algorithm: guess n from index*2/3 and walk to the exact one.
  int64_t guess = index / 2;
  int64_t x = StoredHashIndex(0, guess);
  while (x > index) {
    --guess;
    x = StoredHashIndex(0, guess);
  }
  while (true) {
    int64_t next = x + 1 + std::countr_one(static_cast<uint64_t>(guess));
    if (next > index) break;
    ++guess;
    x = next;
  }
  *level = static_cast<int>(index - x);
  *n = guess >> *level;
}

int64_t StoredHashCount(int64_t size) {
  if (size == 0) return 0;
  return StoredHashIndex(0, size - 1) + 1 + std::countr_one(static_cast<uint64_t>(size - 1));
}

Result<std::vector<Hash>> StoredHashesForLeaf(int64_t n, const Hash& leaf, const HashReader& reader) {
  std::vector<Hash> out{leaf};
  int m = std::countr_one(static_cast<uint64_t>(n));
  if (m == 0) return out;
  std::vector<int64_t> indexes(m);
  for (int i = 0; i < m; ++i) indexes[m - 1 - i] = StoredHashIndex(i, (n >> i) - 1);
  GZ_ASSIGN_OR_RETURN(std::vector<Hash> old, reader(indexes));
  if (old.size() != indexes.size()) return Internal("hash reader returned a wrong count");
  Hash h = leaf;
  for (int i = 0; i < m; ++i) {
    h = NodeHash(old[m - 1 - i], h);
    out.push_back(h);
  }
  return out;
}

Result<Hash> TreeHash(int64_t size, const HashReader& reader) {
  if (size < 0) return BadRange("negative size");
  if (size == 0) return EmptyTreeHash();
  std::vector<int64_t> indexes;
  RangeIndexes(0, size, &indexes);
  GZ_ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader(indexes));
  if (hashes.size() != indexes.size()) return Internal("hash reader returned a wrong count");
  return CombineRightToLeft(hashes);
}

Result<std::vector<Hash>> ProveInclusion(int64_t index, int64_t size, const HashReader& reader) {
  if (index < 0 || index >= size) return BadRange("index outside the tree");
  std::vector<Piece> pieces;
  InclusionPieces(index, 0, size, &pieces);
  std::reverse(pieces.begin(), pieces.end());
  return ReadPieces(std::move(pieces), reader);
}

Result<std::vector<Hash>> ProveConsistency(int64_t old_size, int64_t size, const HashReader& reader) {
  if (old_size < 0 || old_size > size) return BadRange("old size outside 0..size");
  if (old_size == 0 || old_size == size) return std::vector<Hash>{};
  std::vector<Piece> pieces;
  ConsistencyPieces(old_size, 0, size, true, &pieces);
  std::reverse(pieces.begin(), pieces.end());
  return ReadPieces(std::move(pieces), reader);
}

bool VerifyInclusion(int64_t index, int64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root) {
  if (index < 0 || index >= size) return false;
  uint64_t fn = static_cast<uint64_t>(index), sn = static_cast<uint64_t>(size - 1);
  Hash r = leaf;
  for (const Hash& c : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(c, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(int64_t old_size, const Hash& old_root, int64_t size, const Hash& root,
                       std::span<const Hash> proof) {
  if (old_size < 0 || old_size > size) return false;
  if (old_size == size) return proof.empty() && old_root == root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> p;
  if (std::has_single_bit(static_cast<uint64_t>(old_size))) p.push_back(old_root);
  p.insert(p.end(), proof.begin(), proof.end());
  uint64_t fn = static_cast<uint64_t>(old_size - 1), sn = static_cast<uint64_t>(size - 1);
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = p[0], sr = p[0];
  for (size_t i = 1; i < p.size(); ++i) {
    const Hash& c = p[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == root;
}

void MemoryTree::Append(const Hash& leaf) {
  // The reader cannot fail here: every index it asks for is already stored.
  Result<std::vector<Hash>> added = StoredHashesForLeaf(size_, leaf, reader());
  for (const Hash& h : *added) stored_.push_back(h);
  ++size_;
}

HashReader MemoryTree::reader() const {
  return [this](std::span<const int64_t> indexes) -> Result<std::vector<Hash>> {
    std::vector<Hash> out;
    out.reserve(indexes.size());
    for (int64_t i : indexes) {
      if (i < 0 || static_cast<size_t>(i) >= stored_.size()) return NotFound("tlog/missing-hash");
      out.push_back(stored_[static_cast<size_t>(i)]);
    }
    return out;
  };
}

}  // namespace gz::tlog
