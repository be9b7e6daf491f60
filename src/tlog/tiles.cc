// Layer: tlog (see tiles.h).
#include "tlog/tiles.h"

#include <charconv>

namespace gz::tlog {
namespace {

Status BadPath(std::string note) { return InvalidArgument("tlog/bad-tile-path", std::move(note)); }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Decimal without leading zeros ("0" alone is fine); at most 18 digits.
bool ParseDecimal(std::string_view s, int64_t* out) {
  if (!AllDigits(s) || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string ThreeDigits(int64_t v) {
  std::string s = std::to_string(v);
  return std::string(3 - s.size(), '0') + s;
}

int64_t Pow256(int level) { return int64_t{1} << (8 * level); }

}  // namespace

std::string TilePath(const Tile& tile) {
  std::string out = "tile/";
  out += tile.entries ? std::string("entries") : std::to_string(tile.level);
  std::vector<int64_t> groups;
  int64_t n = tile.n;
  do {
    groups.push_back(n % 1000);
    n /= 1000;
  } while (n > 0);
  for (size_t i = groups.size(); i-- > 0;) {
    out += '/';
    if (i > 0) out += 'x';
    out += ThreeDigits(groups[i]);
  }
  if (!tile.full()) out += ".p/" + std::to_string(tile.width);
  return out;
}

Result<Tile> ParseTilePath(std::string_view path) {
  if (!path.starts_with("tile/")) return BadPath("no tile/ prefix");
  path.remove_prefix(5);
  std::vector<std::string_view> parts;
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (parts.size() < 2) return BadPath("too short");
  Tile tile;
  if (parts[0] == "entries") {
    tile.entries = true;
  } else {
    int64_t level = 0;
    if (!ParseDecimal(parts[0], &level) || level > 63) return BadPath("bad level");
    tile.level = static_cast<int>(level);
  }
  size_t end = parts.size();
  // A partial tile: ".../NNN.p/W".
  if (end >= 3 && parts[end - 2].ends_with(".p")) {
    int64_t w = 0;
    if (!ParseDecimal(parts[end - 1], &w) || w < 1 || w > 255) return BadPath("bad width");
    tile.width = static_cast<int>(w);
    parts[end - 2].remove_suffix(2);
    --end;
  }
  if (end - 1 > 6) return BadPath("tile number too long");
  int64_t n = 0;
  for (size_t i = 1; i < end; ++i) {
    std::string_view g = parts[i];
    bool last = i == end - 1;
    if (!last) {
      if (!g.starts_with('x')) return BadPath("group without x");
      g.remove_prefix(1);
    }
    if (g.size() != 3 || !AllDigits(g)) return BadPath("group is not three digits");
    n = n * 1000 + (g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0');
  }
  // x000/001 would be a second spelling of 001.
  if (end - 1 > 1 && parts[1] == "x000") return BadPath("leading zero group");
  tile.n = n;
  return tile;
}

std::vector<Tile> TilesForSize(int64_t size) {
  std::vector<Tile> out;
  for (int level = 0; level < 8; ++level) {
    int64_t c = size / Pow256(level);
    if (c == 0) break;
    for (int64_t n = 0; n < c / kTileWidth; ++n) out.push_back({level, n, kTileWidth, false});
    if (c % kTileWidth != 0) out.push_back({level, c / kTileWidth, static_cast<int>(c % kTileWidth), false});
  }
  return out;
}

bool TileExistsAt(const Tile& tile, int64_t size) {
  int level = tile.entries ? 0 : tile.level;
  if (level > 7) return false;
  int64_t c = size / Pow256(level);
  int64_t end = tile.n * kTileWidth + tile.width;
  if (tile.full()) return end <= c;
  return tile.n == c / kTileWidth && tile.width == c % kTileWidth;
}

bool TileServable(const Tile& tile, int64_t size) {
  int level = tile.entries ? 0 : tile.level;
  if (level > 7) return false;
  int64_t c = size / Pow256(level);
  return tile.n * kTileWidth + tile.width <= c;
}

std::vector<int64_t> TileHashIndexes(const Tile& tile) {
  std::vector<int64_t> indexes;
  indexes.reserve(tile.width);
  for (int i = 0; i < tile.width; ++i)
    indexes.push_back(StoredHashIndex(kTileHeight * tile.level, tile.n * kTileWidth + i));
  return indexes;
}

Result<std::string> ReadTileData(const Tile& tile, const HashReader& reader) {
  std::vector<int64_t> indexes = TileHashIndexes(tile);
  GZ_ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader(indexes));
  if (hashes.size() != indexes.size()) return Internal("hash reader returned a wrong count");
  std::string out;
  out.reserve(hashes.size() * 32);
  for (const Hash& h : hashes) out.append(reinterpret_cast<const char*>(h.data()), 32);
  return out;
}

Hash SubtreeOfTile(std::string_view tile_data, int lo, int hi) {
  std::vector<Hash> level;
  for (int i = lo; i < hi; ++i) {
    Hash h;
    std::copy_n(reinterpret_cast<const uint8_t*>(tile_data.data()) + 32 * i, 32, h.begin());
    level.push_back(h);
  }
  while (level.size() > 1) {
    std::vector<Hash> up;
    for (size_t i = 0; i + 1 < level.size(); i += 2) up.push_back(NodeHash(level[i], level[i + 1]));
    level = std::move(up);
  }
  return level.front();
}

void AppendToBundle(std::string* bundle, std::string_view entry) {
  bundle->push_back(static_cast<char>((entry.size() >> 8) & 0xff));
  bundle->push_back(static_cast<char>(entry.size() & 0xff));
  bundle->append(entry);
}

Result<std::string> EncodeBundle(const std::vector<std::string>& entries) {
  std::string out;
  for (const std::string& e : entries) {
    if (e.empty() || e.size() > kMaxEntryBytes) return InvalidArgument("tlog/bad-entry", "entry size outside 1..65535");
    AppendToBundle(&out, e);
  }
  return out;
}

Result<std::vector<std::string>> DecodeBundle(std::string_view bundle) {
  std::vector<std::string> out;
  while (!bundle.empty()) {
    if (bundle.size() < 2) return InvalidArgument("tlog/bad-bundle", "truncated length");
    size_t len = (static_cast<uint8_t>(bundle[0]) << 8) | static_cast<uint8_t>(bundle[1]);
    bundle.remove_prefix(2);
    if (bundle.size() < len) return InvalidArgument("tlog/bad-bundle", "truncated entry");
    out.emplace_back(bundle.substr(0, len));
    bundle.remove_prefix(len);
    if (out.size() > static_cast<size_t>(kTileWidth)) return InvalidArgument("tlog/bad-bundle", "more than 256 entries");
  }
  return out;
}

}  // namespace gz::tlog
