// A minimal HTTP/1.1 GET client for the verifier and the witness (plain http:// only).
//
// Layer: cli. Deliberately small: one request per connection (Connection: close), Content-Length
// or chunked bodies, a size cap and timeouts. TLS belongs to a fronting proxy or to fetching the
// tiles with any other tool; the log's security does not depend on the transport (everything
// fetched is checked against the signed checkpoint).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::cli {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// `base` is "http://host[:port][/prefix]"; `path` starts with '/'. Errors: kInvalidArgument
// "tlog/bad-url" (https:// or malformed), kUnavailable "tlog/fetch-failed" (with "reason").
Result<HttpAnswer> HttpGet(std::string_view base, std::string_view path);

}  // namespace gz::cli
