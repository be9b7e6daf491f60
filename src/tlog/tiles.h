// C2SP tlog-tiles: which tiles a tree has, their paths, their bytes, and entry bundles.
//
// Layer: tlog. Tile height is always 8 (C2SP): hash i of tile (L, N) is the tree hash of the
// 256^L leaves starting at leaf (N*256 + i) * 256^L, which is stored hash (8L, N*256 + i), so a
// tile is read straight from the stored-hash array (merkle.h). Paths are relative to the log's
// prefix: "tile/<L>/<N>[.p/<W>]" and "tile/entries/<N>[.p/<W>]", N in groups of three digits,
// every group but the last prefixed with 'x' (1234067 -> x001/x234/067).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tlog/merkle.h"

namespace gz::tlog {

inline constexpr int kTileHeight = 8;
inline constexpr int kTileWidth = 256;
inline constexpr size_t kMaxEntryBytes = 65535;

struct Tile {
  int level = 0;       // 0..63 for hash tiles; entry bundles use level 0 and `entries`
  int64_t n = 0;       // tile number at its level
  int width = 256;     // 1..256; 256 is a full tile
  bool entries = false;
  bool full() const { return width == kTileWidth; }
  bool operator==(const Tile&) const = default;
};

// "tile/0/x001/234.p/5", "tile/entries/000".
std::string TilePath(const Tile& tile);
// Parses a path as TilePath writes it (exactly: no leading zeros elsewhere, W in 1..255, groups
// of three digits). kInvalidArgument "tlog/bad-tile-path" otherwise.
Result<Tile> ParseTilePath(std::string_view path);

// The hash tiles of a tree of `size` leaves (C2SP 9.3): full ones and the partial right edge
// of each level, lowest level first. Entry bundles mirror level 0.
std::vector<Tile> TilesForSize(int64_t size);

// Whether `tile` (hash tile or bundle) exists in a tree of `size` leaves: a full tile once the
// tree covers it, a partial one only at exactly the width the tree has now.
bool TileExistsAt(const Tile& tile, int64_t size);
// Whether `tile` is a tile of some tree of size <= `size` (a full tile, or a partial tile a
// smaller tree had): what a log must keep serving.
bool TileServable(const Tile& tile, int64_t size);

// The stored indexes of the hashes of a hash tile, in order.
std::vector<int64_t> TileHashIndexes(const Tile& tile);
// The bytes of a hash tile: width * 32 bytes.
Result<std::string> ReadTileData(const Tile& tile, const HashReader& reader);

// The hash of the perfect subtree spanned by a FULL tile's 256 hashes (its parent's hash), or by
// any power-of-two prefix of them: hashes[lo..hi) combined as a tree. REQUIRES hi - lo is a
// power of two and lo is aligned to it.
Hash SubtreeOfTile(std::string_view tile_data, int lo, int hi);

// Entry bundle: for each entry uint16_be(len) || entry. EncodeBundle refuses an entry of 0 or
// more than 65,535 bytes (kInvalidArgument "tlog/bad-entry").
Result<std::string> EncodeBundle(const std::vector<std::string>& entries);
void AppendToBundle(std::string* bundle, std::string_view entry);  // REQUIRES 1..65535 bytes
Result<std::vector<std::string>> DecodeBundle(std::string_view bundle);

}  // namespace gz::tlog
