// The address a request came from when reverse proxies (nginx, deploy/nginx/gongzhi.conf) stand in
// front of the server: every connection then comes from the proxy, and the sign-in rate limiter
// (per client address) would put a whole county in one bucket, and /metrics (loopback callers)
// would answer anyone the local proxy forwards.
//
// Layer: http (no Beast). The operator names the proxies (--trusted-proxies); X-Forwarded-For is
// read only when the connection comes from one of them, and then only as far as the chain of
// trusted hops goes: the answer is the rightmost address the proxies did not vouch for, so a
// client cannot choose its address by sending X-Forwarded-For itself (nginx's
// $proxy_add_x_forwarded_for appends the real peer to whatever the client sent).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::http {

class TrustedProxies {
 public:
  // A comma-separated list of addresses and networks: "127.0.0.1, ::1, 10.0.0.0/8, fd00::/8".
  // Empty: no proxy is trusted. kInvalidArgument "http/bad-trusted-proxies" (argument "entry")
  // for anything that is not an IPv4/IPv6 address with an optional prefix length.
  static Result<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return networks_.empty(); }
  // True if `address` (text as the server reports peers, IPv4-mapped IPv6 included) is in one of
  // the networks. Unparseable text is never trusted.
  bool Contains(std::string_view address) const;

  // The client's address: `peer` itself unless it is a trusted proxy; then the rightmost entry of
  // `x_forwarded_for` that is not a trusted proxy (all trusted: the leftmost). A malformed entry
  // ends the walk at the last trusted hop, since nothing left of it can be believed.
  std::string ClientAddress(std::string_view peer, std::string_view x_forwarded_for) const;

 private:
  struct Network {
    std::array<uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
    int prefix_bits = 128;
  };
  std::vector<Network> networks_;
};

}  // namespace gz::http
