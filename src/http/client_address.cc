#include "http/client_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>

namespace gz::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// IPv4 becomes IPv4-mapped IPv6, so that "127.0.0.1" and "::ffff:127.0.0.1" (a dual-stack socket's
// view of the same peer) compare equal. Also accepts "[v6]" and "a.b.c.d:port" as some proxies
// write them.
std::optional<std::array<uint8_t, 16>> ParseAddress(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos && text.find(':') == text.rfind(':') &&
             text.find('.') != std::string_view::npos) {
    text = text.substr(0, text.find(':'));  // IPv4 with a port
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool IsV4Mapped(const std::array<uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i)
    if (a[i] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view entry = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    auto bad = [&] { return InvalidArgument("http/bad-trusted-proxies").With("entry", std::string(entry)); };
    std::string_view address = entry;
    std::optional<int> prefix;
    if (size_t slash = entry.find('/'); slash != std::string_view::npos) {
      address = entry.substr(0, slash);
      std::string_view bits = entry.substr(slash + 1);
      int n = -1;
      auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
      if (ec != std::errc() || ptr != bits.data() + bits.size()) return bad();
      prefix = n;
    }
    if (address.find('[') != std::string_view::npos) return bad();
    std::optional<std::array<uint8_t, 16>> bytes = ParseAddress(address);
    if (!bytes) return bad();
    const bool v4 = address.find(':') == std::string_view::npos;
    Network net;
    net.bytes = *bytes;
    if (prefix) {
      if (*prefix < 0 || *prefix > (v4 ? 32 : 128)) return bad();
      net.prefix_bits = v4 ? 96 + *prefix : *prefix;
    }
    // Bits beyond the prefix must be zero ("10.1.2.3/8" is a typo more often than a wish).
    for (int bit = net.prefix_bits; bit < 128; ++bit)
      if (net.bytes[bit / 8] & (0x80 >> (bit % 8))) return bad();
    out.networks_.push_back(net);
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view address) const {
  std::optional<std::array<uint8_t, 16>> a = ParseAddress(address);
  if (!a) return false;
  for (const Network& net : networks_) {
    int full = net.prefix_bits / 8;
    if (std::memcmp(a->data(), net.bytes.data(), full) != 0) continue;
    int rest = net.prefix_bits % 8;
    if (rest != 0) {
      uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((a->at(full) & mask) != (net.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer, std::string_view x_forwarded_for) const {
  if (!Contains(peer)) return std::string(peer);
  std::string client(peer);
  std::string_view rest = x_forwarded_for;
  while (!rest.empty()) {
    size_t comma = rest.rfind(',');
    std::string_view entry = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    std::optional<std::array<uint8_t, 16>> bytes = ParseAddress(entry);
    if (!bytes) break;
    // Reported as the server reports peers: IPv4 without the mapping prefix.
    char buf[INET6_ADDRSTRLEN];
    const char* text = IsV4Mapped(*bytes) ? inet_ntop(AF_INET, bytes->data() + 12, buf, sizeof buf)
                                          : inet_ntop(AF_INET6, bytes->data(), buf, sizeof buf);
    if (text == nullptr) break;
    client = text;
    if (!Contains(client)) return client;
    // A trusted hop: keep walking left; if nothing left of it is usable, it is the answer.
  }
  return client;
}

}  // namespace gz::http
