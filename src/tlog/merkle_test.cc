// RFC 6962 test vectors (design note section 5), the C2SP shape check, and every (index, size)
// and (old, new) pair up to 70 leaves against a naive recursive reference of the RFC text.
#include "tlog/merkle.h"

#include <gtest/gtest.h>

#include "tlog/tiles.h"

namespace gz::tlog {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}
Hash H(std::string_view hex) { return *HashFromBytes(Unhex(hex)); }

const std::vector<std::string>& Leaves() {
  static const std::vector<std::string> leaves = {Unhex(""),         Unhex("00"),       Unhex("10"),
                                                  Unhex("2021"),     Unhex("3031"),     Unhex("40414243"),
                                                  Unhex("5051525354555657"), Unhex("606162636465666768696a6b6c6d6e6f")};
  return leaves;
}

const char* kRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryTree Rfc() {
  MemoryTree t;
  for (const std::string& d : Leaves()) t.Append(LeafHash(d));
  return t;
}

TEST(Merkle, LeafHashesAndRootsOfEveryPrefix) {
  EXPECT_EQ(HashHex(LeafHash(Leaves()[0])), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(HashHex(LeafHash(Leaves()[7])), "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1");
  MemoryTree t = Rfc();
  for (int64_t n = 0; n <= 8; ++n) EXPECT_EQ(HashHex(*TreeHash(n, t.reader())), kRoots[n]) << n;
  EXPECT_EQ(HashHex(EmptyTreeHash()), kRoots[0]);  // never 32 zero bytes
}

TEST(Merkle, InclusionVectors) {
  MemoryTree t = Rfc();
  Hash L0 = LeafHash(Leaves()[0]), L1 = LeafHash(Leaves()[1]), L4 = LeafHash(Leaves()[4]);
  Hash N23 = H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  Hash N47 = H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  Hash N67 = H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  Hash N03 = H(kRoots[4]), N01 = H(kRoots[2]);
  EXPECT_EQ(*ProveInclusion(0, 1, t.reader()), std::vector<Hash>{});
  EXPECT_EQ(*ProveInclusion(0, 8, t.reader()), (std::vector<Hash>{L1, N23, N47}));
  EXPECT_EQ(*ProveInclusion(5, 8, t.reader()), (std::vector<Hash>{L4, N67, N03}));
  EXPECT_EQ(*ProveInclusion(2, 3, t.reader()), (std::vector<Hash>{N01}));
  EXPECT_EQ(*ProveInclusion(1, 5, t.reader()), (std::vector<Hash>{L0, N23, L4}));
  EXPECT_EQ(ProveInclusion(8, 8, t.reader()).status().slug(), "tlog/bad-range");
}

TEST(Merkle, ConsistencyVectors) {
  MemoryTree t = Rfc();
  Hash L1 = LeafHash(Leaves()[1]), L4 = LeafHash(Leaves()[4]), L6 = LeafHash(Leaves()[6]);
  Hash N23 = H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  Hash N45 = H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
  Hash N47 = H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  Hash N67 = H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  Hash N03 = H(kRoots[4]);
  EXPECT_EQ(*ProveConsistency(1, 1, t.reader()), std::vector<Hash>{});
  EXPECT_EQ(*ProveConsistency(1, 8, t.reader()), (std::vector<Hash>{L1, N23, N47}));
  EXPECT_EQ(*ProveConsistency(6, 8, t.reader()), (std::vector<Hash>{N45, N67, N03}));
  EXPECT_EQ(*ProveConsistency(2, 5, t.reader()), (std::vector<Hash>{N23, L4}));
  EXPECT_EQ(*ProveConsistency(6, 7, t.reader()), (std::vector<Hash>{N45, L6, N03}));
}

// The RFC's recursive definitions, written as literally as possible, over leaf hashes.
Hash Mth(const std::vector<Hash>& d, int64_t lo, int64_t hi) {
  if (hi - lo == 0) return EmptyTreeHash();
  if (hi - lo == 1) return d[lo];
  int64_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return NodeHash(Mth(d, lo, lo + k), Mth(d, lo + k, hi));
}
std::vector<Hash> Path(const std::vector<Hash>& d, int64_t m, int64_t lo, int64_t hi) {
  if (hi - lo == 1) return {};
  int64_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  std::vector<Hash> p;
  if (m < k) {
    p = Path(d, m, lo, lo + k);
    p.push_back(Mth(d, lo + k, hi));
  } else {
    p = Path(d, m - k, lo + k, hi);
    p.push_back(Mth(d, lo, lo + k));
  }
  return p;
}
std::vector<Hash> Subproof(const std::vector<Hash>& d, int64_t m, int64_t lo, int64_t hi, bool b) {
  if (m == hi - lo) return b ? std::vector<Hash>{} : std::vector<Hash>{Mth(d, lo, hi)};
  int64_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  std::vector<Hash> p;
  if (m <= k) {
    p = Subproof(d, m, lo, lo + k, b);
    p.push_back(Mth(d, lo + k, hi));
  } else {
    p = Subproof(d, m - k, lo + k, hi, false);
    p.push_back(Mth(d, lo, lo + k));
  }
  return p;
}

TEST(Merkle, EveryPairUpTo70AgainstTheRecursiveDefinition) {
  std::vector<Hash> d;
  MemoryTree t;
  for (int i = 0; i < 70; ++i) {
    d.push_back(LeafHash("leaf " + std::to_string(i)));
    t.Append(d.back());
  }
  EXPECT_EQ(t.stored().size(), static_cast<size_t>(StoredHashCount(70)));
  for (int64_t n = 1; n <= 70; ++n) {
    Hash root = Mth(d, 0, n);
    ASSERT_EQ(*TreeHash(n, t.reader()), root) << n;
    for (int64_t m = 0; m < n; ++m) {
      std::vector<Hash> p = *ProveInclusion(m, n, t.reader());
      ASSERT_EQ(p, Path(d, m, 0, n)) << m << "/" << n;
      ASSERT_TRUE(VerifyInclusion(m, n, d[m], p, root));
      ASSERT_FALSE(VerifyInclusion(m, n, d[(m + 1) % n == m ? 0 : (m + 1) % n], p, root) && n > 1);
      if (!p.empty()) {
        std::vector<Hash> bad = p;
        bad[p.size() / 2][3] ^= 1;
        ASSERT_FALSE(VerifyInclusion(m, n, d[m], bad, root));
        bad = p;
        bad.push_back(root);
        ASSERT_FALSE(VerifyInclusion(m, n, d[m], bad, root));
      }
    }
    for (int64_t m = 1; m <= n; ++m) {
      std::vector<Hash> p = *ProveConsistency(m, n, t.reader());
      ASSERT_EQ(p, m == n ? std::vector<Hash>{} : Subproof(d, m, 0, n, true)) << m << "->" << n;
      Hash old_root = Mth(d, 0, m);
      ASSERT_TRUE(VerifyConsistency(m, old_root, n, root, p)) << m << "->" << n;
      if (m < n) {
        std::vector<Hash> bad = p;
        bad.back()[0] ^= 0x80;
        ASSERT_FALSE(VerifyConsistency(m, old_root, n, root, bad));
        ASSERT_FALSE(VerifyConsistency(m, root, n, root, p));
      }
    }
  }
}

TEST(Merkle, StoredHashIndexingMatchesGo) {
  // Values of Go's tlog.StoredHashIndex / StoredHashCount.
  EXPECT_EQ(StoredHashIndex(0, 0), 0);
  EXPECT_EQ(StoredHashIndex(0, 1), 1);
  EXPECT_EQ(StoredHashIndex(1, 0), 2);
  EXPECT_EQ(StoredHashIndex(0, 2), 3);
  EXPECT_EQ(StoredHashIndex(2, 0), 6);
  EXPECT_EQ(StoredHashCount(1000000), 1999993);
  for (int64_t i = 0; i < 5000; ++i) {
    int level;
    int64_t n;
    SplitStoredHashIndex(i, &level, &n);
    ASSERT_EQ(StoredHashIndex(level, n), i);
  }
}

TEST(Tiles, PathsAndWhichTilesExist) {
  EXPECT_EQ(TilePath({0, 0, 256, false}), "tile/0/000");
  EXPECT_EQ(TilePath({0, 999, 256, false}), "tile/0/999");
  EXPECT_EQ(TilePath({1, 1000, 256, false}), "tile/1/x001/000");
  EXPECT_EQ(TilePath({0, 1234067, 256, true}), "tile/entries/x001/x234/067");
  EXPECT_EQ(TilePath({0, 0, 3, true}), "tile/entries/000.p/3");
  EXPECT_EQ(TilePath({2, 5, 17, false}), "tile/2/005.p/17");
  for (const char* ok : {"tile/0/000", "tile/entries/x001/x234/067", "tile/3/x001/000.p/255"}) {
    Result<Tile> t = ParseTilePath(ok);
    ASSERT_TRUE(t.ok()) << ok;
    EXPECT_EQ(TilePath(*t), ok);
  }
  for (const char* bad : {"tile/0/00", "tile/00/000", "tile/0/001.p/0", "tile/0/001.p/256", "tile/0/001.p/01",
                          "tile/0/x000/001", "tile/0/001/002", "tile/64/000", "tile/0/0001", "tile/entries/x001"})
    EXPECT_FALSE(ParseTilePath(bad).ok()) << bad;

  std::vector<Tile> t = TilesForSize(70000);
  int full0 = 0;
  for (const Tile& x : t) full0 += x.level == 0 && x.full();
  EXPECT_EQ(full0, 273);
  EXPECT_TRUE(std::count(t.begin(), t.end(), Tile{0, 273, 112, false}));
  EXPECT_TRUE(std::count(t.begin(), t.end(), Tile{1, 0, 256, false}));
  EXPECT_TRUE(std::count(t.begin(), t.end(), Tile{1, 1, 17, false}));
  EXPECT_TRUE(std::count(t.begin(), t.end(), Tile{2, 0, 1, false}));
  EXPECT_EQ(t.size(), 273u + 1 + 1 + 1 + 1);
  EXPECT_EQ(TilesForSize(256), (std::vector<Tile>{{0, 0, 256, false}, {1, 0, 1, false}}));
  EXPECT_EQ(TilesForSize(3), (std::vector<Tile>{{0, 0, 3, false}}));
  EXPECT_TRUE(TileExistsAt({0, 0, 3, false}, 3));
  EXPECT_FALSE(TileExistsAt({0, 0, 2, false}, 3));
  EXPECT_TRUE(TileServable({0, 0, 2, false}, 3));
  EXPECT_FALSE(TileServable({0, 0, 4, false}, 3));
}

TEST(Tiles, HigherTilesHoldTheRootsOfFullTilesBelow) {
  MemoryTree t;
  for (int i = 0; i < 256 * 3 + 5; ++i) t.Append(LeafHash(std::to_string(i)));
  std::string level0 = *ReadTileData({0, 1, 256, false}, t.reader());
  std::string level1 = *ReadTileData({1, 0, 3, false}, t.reader());
  EXPECT_EQ(level1.size(), 96u);
  EXPECT_EQ(HashBytes(SubtreeOfTile(level0, 0, 256)), level1.substr(32, 32));
  EXPECT_EQ(level0.substr(0, 32), HashBytes(LeafHash("256")));
}

TEST(Tiles, EntryBundles) {
  Result<std::string> b = EncodeBundle({"ab", std::string(300, 'x')});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->substr(0, 4), std::string("\x00\x02" "ab", 4));
  EXPECT_EQ(static_cast<uint8_t>((*b)[4]), 1);
  EXPECT_EQ(static_cast<uint8_t>((*b)[5]), 44);
  EXPECT_EQ(*DecodeBundle(*b), (std::vector<std::string>{"ab", std::string(300, 'x')}));
  EXPECT_FALSE(EncodeBundle({std::string(65536, 'x')}).ok());
  EXPECT_FALSE(EncodeBundle({""}).ok());
  EXPECT_FALSE(DecodeBundle(std::string("\x00\x05" "ab", 4)).ok());
}

}  // namespace
}  // namespace gz::tlog
