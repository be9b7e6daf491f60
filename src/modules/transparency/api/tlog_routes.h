// The transparency log's public routes: the C2SP tlog-tiles layout under /tlog/ and JSON proofs
// under /api/v1/tlog/. No sign-in: the log exists so that anyone can check it.
//
// Layer: transparency api (thin: parse, call TransparencyLog, format).
//
//   GET /tlog/checkpoint                       signed checkpoint (text/plain; cache seconds)
//   GET /tlog/verifier-key                     note verifier key (text/plain)
//   GET /tlog/tile/<L>/<N>[.p/<W>]             hash tiles (immutable)
//   GET /tlog/tile/entries/<N>[.p/<W>]         entry bundles (immutable)
//   GET /api/v1/tlog/inclusion?index=N[&tree_size=S]
//   GET /api/v1/tlog/consistency?from=A&to=B
//   GET /api/v1/tlog/entries/{index}
// <N> takes 1 to 4 path segments (x001/x234/067 ...), so the router gets one pattern per count:
// up to 256^1 * 10^12 leaves, far beyond a county's log.
#pragma once

#include "http/router.h"
#include "modules/transparency/transparency_log.h"

namespace gz::transparency {

void RegisterTlogRoutes(http::Router& router, TransparencyLog& log);

}  // namespace gz::transparency
