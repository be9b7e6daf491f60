// Layer: transparency api (see tlog_routes.h).
#include "modules/transparency/api/tlog_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "http/json.h"
#include "modules/transparency/problems.h"
#include "tlog/note.h"

namespace gz::transparency {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kShort = "public, max-age=2";
constexpr std::string_view kProofCache = "public, max-age=60";
constexpr int kMaxNumberSegments = 4;

Status BadRange(std::string reason) {
  return InvalidArgument(std::string(problems::kBadRange)).With("reason", std::move(reason));
}

// A decimal query parameter 0..2^62.
Result<int64_t> Number(const http::Request& req, std::string_view name) {
  std::string text = req.QueryParam(name);
  int64_t v = 0;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return BadRange(std::string(name) + "-not-a-number");
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

std::string B64(const tlog::Hash& h) { return tlog::Base64Encode(tlog::HashBytes(h)); }

boost::json::array ProofJson(const std::vector<tlog::Hash>& proof) {
  boost::json::array a;
  for (const tlog::Hash& h : proof) a.emplace_back(B64(h));
  return a;
}

http::Response Cached(http::Response r, std::string_view cache_control) {
  r.SetHeader("Cache-Control", cache_control);
  r.SetHeader("Access-Control-Allow-Origin", "*");
  return r;
}

Result<http::Response> ServeTile(TransparencyLog& log, const http::Request& req) {
  // The path after "/tlog/" is exactly a C2SP tile path; ParseTilePath refuses every other
  // spelling, so each tile has one URL.
  constexpr std::string_view kPrefix = "/tlog/";
  if (!req.path.starts_with(kPrefix)) return NotFound(std::string(problems::kTileNotFound));
  Result<tlog::Tile> tile = tlog::ParseTilePath(std::string_view(req.path).substr(kPrefix.size()));
  if (!tile.ok()) return NotFound(std::string(problems::kTileNotFound));
  GZ_ASSIGN_OR_RETURN(std::string data, log.TileData(*tile));
  return Cached(http::Response::Text(200, std::move(data), "application/octet-stream"), kImmutable);
}

std::string NumberPattern(int segments) {
  std::string p;
  for (int i = 0; i < segments; ++i) p += "/{n" + std::to_string(i) + "}";
  return p;
}

}  // namespace

void RegisterTlogRoutes(http::Router& router, TransparencyLog& log) {
  router.Add({http::Method::kGet, "/tlog/checkpoint", "tlog.checkpoint", "public",
              "The newest signed checkpoint of the transparency log (C2SP tlog-checkpoint in a signed note)", false, 0,
              [&log](http::Request&) -> Result<http::Response> {
                GZ_ASSIGN_OR_RETURN(SignedCheckpoint latest, log.Latest());
                return Cached(http::Response::Text(200, latest.note), kShort);
              }});
  router.Add({http::Method::kGet, "/tlog/verifier-key", "tlog.verifier_key", "public",
              "The log's Ed25519 note verifier key (name+id+base64 key)", false, 0,
              [&log](http::Request&) -> Result<http::Response> {
                return Cached(http::Response::Text(200, log.verifier_key() + "\n"), kProofCache);
              }});
  // <N> with 1..4 segments, each optionally followed by ".p/<W>" (one more segment).
  for (int segments = 1; segments <= kMaxNumberSegments + 1; ++segments) {
    std::string suffix = NumberPattern(segments);
    router.Add({http::Method::kGet, "/tlog/tile/{level}" + suffix, "tlog.tile_" + std::to_string(segments), "public",
                "A C2SP hash tile (or partial tile): " + std::to_string(segments) + " path segment(s) after the level",
                false, 0, [&log](http::Request& req) { return ServeTile(log, req); }});
    router.Add({http::Method::kGet, "/tlog/tile/entries" + suffix, "tlog.entries_" + std::to_string(segments), "public",
                "A C2SP entry bundle (or partial bundle): " + std::to_string(segments) + " path segment(s)", false, 0,
                [&log](http::Request& req) { return ServeTile(log, req); }});
  }
  router.Add({http::Method::kGet, "/api/v1/tlog/inclusion", "tlog.inclusion", "public",
              "Inclusion proof of entry `index` in the tree of `tree_size` (default: the newest signed size)", false, 0,
              [&log](http::Request& req) -> Result<http::Response> {
                GZ_ASSIGN_OR_RETURN(int64_t index, Number(req, "index"));
                std::optional<int64_t> size;
                if (req.HasQueryParam("tree_size")) {
                  GZ_ASSIGN_OR_RETURN(int64_t s, Number(req, "tree_size"));
                  size = s;
                }
                GZ_ASSIGN_OR_RETURN(InclusionAnswer a, log.Inclusion(index, size));
                boost::json::object o;
                o["index"] = std::to_string(a.index);
                o["tree_size"] = std::to_string(a.tree_size);
                o["leaf_hash"] = B64(a.leaf_hash);
                o["root_hash"] = B64(a.root);
                o["proof"] = ProofJson(a.proof);
                if (a.checkpoint) o["checkpoint"] = *a.checkpoint;
                else o["checkpoint"] = nullptr;
                return Cached(http::JsonResponse(200, o), size ? kImmutable : kShort);
              }});
  router.Add({http::Method::kGet, "/api/v1/tlog/consistency", "tlog.consistency", "public",
              "Consistency proof between two tree sizes the log has signed", false, 0,
              [&log](http::Request& req) -> Result<http::Response> {
                GZ_ASSIGN_OR_RETURN(int64_t from, Number(req, "from"));
                GZ_ASSIGN_OR_RETURN(int64_t to, Number(req, "to"));
                GZ_ASSIGN_OR_RETURN(std::vector<tlog::Hash> proof, log.Consistency(from, to));
                boost::json::object o;
                o["from"] = std::to_string(from);
                o["to"] = std::to_string(to);
                o["proof"] = ProofJson(proof);
                return Cached(http::JsonResponse(200, o), kImmutable);
              }});
  router.Add({http::Method::kGet, "/api/v1/tlog/entries/{index}", "tlog.entry", "public",
              "One log entry (base64) with its village and leaf hash", false, 0,
              [&log](http::Request& req) -> Result<http::Response> {
                std::string_view text = req.PathParam("index");
                int64_t index = 0;
                if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos)
                  return BadRange("index-not-a-number");
                std::from_chars(text.data(), text.data() + text.size(), index);
                GZ_ASSIGN_OR_RETURN(EntryAnswer a, log.Entry(index));
                boost::json::object o;
                o["index"] = std::to_string(a.entry.index);
                o["village"] = a.entry.village;
                o["entry"] = tlog::Base64Encode(a.entry.entry);
                o["leaf_hash"] = B64(a.leaf_hash);
                return Cached(http::JsonResponse(200, o), kImmutable);
              }});
}

}  // namespace gz::transparency
