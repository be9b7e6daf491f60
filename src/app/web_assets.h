// The web app's built files (web/dist, made by Vite), served by the binary itself at `/`.
//
// The folder is read once at start into memory: a request can only ever name a file that was
// found there, so no path a client sends can walk out of the folder (and no file added later is
// served). Hashed assets (assets/*, names carry their content hash) are cached for a year as
// immutable; everything else (index.html, the service worker, the manifest) is revalidated on
// every load. Precompressed siblings (x.js.br, x.js.gz, written by the build) are sent when the
// client accepts them. Paths the server owns (/api, /open311, /tlog, /metrics, /healthz, ...)
// are never answered with the app; other paths without a file extension are the app's own
// client-side routes and get index.html.
//
// Layer: app (uses src/http types, no Beast).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gz::app {

struct WebAssetLimits {
  size_t max_files = 4000;
  size_t max_file_bytes = size_t{8} << 20;
  size_t max_total_bytes = size_t{96} << 20;
  size_t max_path_bytes = 512;
};

class WebAssets {
 public:
  // Reads every regular file under `root` (symbolic links are skipped, not followed). Errors:
  // kFailedPrecondition "app/web-root" {path, reason} when the folder or its index.html is
  // missing, or a limit is exceeded.
  static Result<WebAssets> Load(const std::string& root, const WebAssetLimits& limits = {});

  // The answer to a GET or HEAD of `path` (percent-decoded, as http::Request::path), or nullopt
  // when the path is not the app's (the caller answers 404). `accept_encoding` and
  // `if_none_match` are the request's headers.
  std::optional<http::Response> Serve(std::string_view path, std::string_view accept_encoding,
                                      std::string_view if_none_match) const;

  // Paths under these prefixes belong to the server, never to the app.
  static bool IsServerPath(std::string_view path);

  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string content_type;
    std::string etag;
    std::string identity;
    std::optional<std::string> gzip;
    std::optional<std::string> brotli;
  };
  http::Response Answer(const std::string& name, const File& file, std::string_view accept_encoding,
                        std::string_view if_none_match) const;

  std::map<std::string, File, std::less<>> files_;  // by path relative to the root, '/'-separated
  size_t total_bytes_ = 0;
  size_t max_path_bytes_ = 512;
};

// Which codings a client accepts (RFC 9110 §12.5.3): "br" and "gzip", q=0 excluded, "*" counts.
struct AcceptedCodings {
  bool br = false;
  bool gzip = false;
};
AcceptedCodings ParseAcceptEncoding(std::string_view header);

}  // namespace gz::app
