#include "app/web_assets.h"

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "crypto/secrets.h"

namespace gz::app {
namespace {

namespace fs = std::filesystem;

Status RootError(const std::string& path, const std::string& reason) {
  return FailedPrecondition("app/web-root").With("path", path).With("reason", reason);
}

std::string_view Extension(std::string_view name) {
  size_t slash = name.rfind('/');
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot + 1);
}

std::string ContentType(std::string_view name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json; charset=utf-8"},
      {"webmanifest", "application/manifest+json; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"txt", "text/plain; charset=utf-8"},
      {"map", "application/json; charset=utf-8"},
  }};
  std::string_view ext = Extension(name);
  for (const auto& [e, type] : kTypes)
    if (e == ext) return std::string(type);
  return "application/octet-stream";
}

// A strong validator from the content (the first 16 bytes of SHA-256, hex).
std::string ContentTag(const std::string& bytes) { return "\"" + crypto::HexEncode(crypto::Sha256(bytes).substr(0, 16)) + "\""; }

Result<std::string> ReadWhole(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return RootError(path.string(), "cannot open");
  std::string bytes;
  std::array<char, 65536> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    bytes.append(buffer.data(), static_cast<size_t>(in.gcount()));
    if (bytes.size() > limit) return RootError(path.string(), "file larger than the limit");
  }
  return bytes;
}

// Vite puts content-hashed names under assets/: they never change, so they may be cached forever.
bool IsHashedAsset(std::string_view name) { return name.starts_with("assets/"); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// True when `if_none_match` (a list of entity tags, or "*") names `etag`; weak tags compare
// weakly (RFC 9110 §13.1.2).
bool Matches(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view tag = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace

AcceptedCodings ParseAcceptEncoding(std::string_view header) {
  AcceptedCodings out;
  bool star = false, br_listed = false, gzip_listed = false;
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    bool acceptable = true;
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        std::string_view q = Trim(param.substr(2));
        // q=0, 0.0, 0.00, 0.000 refuse the coding; anything else accepts it.
        acceptable = !(q.starts_with("0") && q.find_first_not_of("0.") == std::string_view::npos);
      }
    }
    if (EqualsIgnoreCase(coding, "br")) {
      br_listed = true;
      out.br = acceptable;
    } else if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      gzip_listed = true;
      out.gzip = acceptable;
    } else if (coding == "*") {
      star = acceptable;
    }
  }
  if (star && !br_listed) out.br = true;
  if (star && !gzip_listed) out.gzip = true;
  return out;
}

bool WebAssets::IsServerPath(std::string_view path) {
  static constexpr std::array<std::string_view, 9> kPrefixes = {
      "/api", "/open311", "/tlog", "/metrics", "/healthz", "/readyz", "/.well-known", "/problems", "/v1"};
  for (std::string_view prefix : kPrefixes) {
    if (path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/' ||
                                     path[prefix.size()] == '.'))
      return true;
  }
  return false;
}

Result<WebAssets> WebAssets::Load(const std::string& root, const WebAssetLimits& limits) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return RootError(root, "not a folder");
  WebAssets assets;
  assets.max_path_bytes_ = limits.max_path_bytes;
  std::map<std::string, std::string> encoded;  // "x.js.gz" -> bytes, attached after the walk
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return RootError(root, ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return RootError(root, ec.message());
    fs::file_status status = it->symlink_status(ec);
    if (ec || !fs::is_regular_file(status)) continue;  // links and specials are never served
    std::string name = fs::relative(it->path(), root, ec).generic_string();
    if (ec || name.empty() || name.size() > limits.max_path_bytes || name.starts_with(".")) continue;
    if (assets.files_.size() + encoded.size() >= limits.max_files) return RootError(root, "too many files");
    GZ_ASSIGN_OR_RETURN(std::string bytes, ReadWhole(it->path(), limits.max_file_bytes));
    assets.total_bytes_ += bytes.size();
    if (assets.total_bytes_ > limits.max_total_bytes) return RootError(root, "files larger than the limit in total");
    std::string_view ext = Extension(name);
    if (ext == "gz" || ext == "br") {
      encoded.emplace(std::move(name), std::move(bytes));
      continue;
    }
    File file;
    file.content_type = ContentType(name);
    file.etag = ContentTag(bytes);
    file.identity = std::move(bytes);
    assets.files_.emplace(std::move(name), std::move(file));
  }
  for (auto& [name, bytes] : encoded) {
    std::string_view ext = Extension(name);
    auto original = assets.files_.find(std::string_view(name).substr(0, name.size() - ext.size() - 1));
    if (original == assets.files_.end()) continue;  // a compressed file without its original: not served
    (ext == "br" ? original->second.brotli : original->second.gzip) = std::move(bytes);
  }
  if (!assets.files_.contains("index.html")) return RootError(root, "no index.html (run the web build)");
  return assets;
}

http::Response WebAssets::Answer(const std::string& name, const File& file, std::string_view accept_encoding,
                                 std::string_view if_none_match) const {
  http::Response r;
  r.SetHeader("Content-Type", file.content_type);
  r.SetHeader("Cache-Control", IsHashedAsset(name) ? "public, max-age=31536000, immutable" : "no-cache");
  if (file.gzip || file.brotli) r.SetHeader("Vary", "Accept-Encoding");
  AcceptedCodings accepted = ParseAcceptEncoding(accept_encoding);
  const std::string* body = &file.identity;
  std::string coding;
  if (accepted.br && file.brotli) {
    body = &*file.brotli;
    coding = "br";
  } else if (accepted.gzip && file.gzip) {
    body = &*file.gzip;
    coding = "gzip";
  }
  // Each representation has its own tag: a cache must not mix a gzip body with a plain one.
  std::string etag = file.etag;
  if (!coding.empty()) etag.insert(etag.size() - 1, "-" + coding);
  r.SetHeader("ETag", etag);
  if (!if_none_match.empty() && Matches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (!coding.empty()) r.SetHeader("Content-Encoding", coding);
  r.body = *body;
  return r;
}

std::optional<http::Response> WebAssets::Serve(std::string_view path, std::string_view accept_encoding,
                                               std::string_view if_none_match) const {
  if (path.empty() || path.front() != '/' || path.size() > max_path_bytes_ || IsServerPath(path)) return std::nullopt;
  std::string_view name = path.substr(1);
  if (name.empty()) name = "index.html";
  if (auto it = files_.find(name); it != files_.end()) return Answer(it->first, it->second, accept_encoding, if_none_match);
  // A missing file (it has an extension, or lies under assets/) is a 404, not the app: a stale
  // chunk name must fail loudly instead of being parsed as HTML.
  std::string_view last = name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
  if (name.starts_with("assets/") || last.find('.') != std::string_view::npos) return std::nullopt;
  auto index = files_.find(std::string_view("index.html"));
  return Answer(index->first, index->second, accept_encoding, if_none_match);
}

}  // namespace gz::app
