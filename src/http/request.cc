#include "http/request.h"

#include <algorithm>
#include <charconv>

namespace gz::http {

const access::Principal& Request::Caller() const {
  static const access::Principal kAnonymous;
  return principal ? *principal : kAnonymous;
}
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = b(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((b(i + k) & 0xC0) != 0x80) return false;
    if (n == 2 && c < 0xC2) return false;
    if (n == 3 && c == 0xE0 && b(i + 1) < 0xA0) return false;
    if (n == 3 && c == 0xED && b(i + 1) >= 0xA0) return false;
    if (n == 4 && (c > 0xF4 || (c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) >= 0x90)))
      return false;
    i += n;
  }
  return true;
}

// Parses a q-value ("1", "0.8", "1.000"); returns -1 when malformed (RFC 9110 §12.4.2).
double ParseQValue(std::string_view s) {
  if (s.empty() || s.size() > 5) return -1;
  if (s[0] != '0' && s[0] != '1') return -1;
  double q = s[0] - '0';
  if (s.size() == 1) return q;
  if (s[1] != '.') return -1;
  double scale = 0.1;
  for (size_t i = 2; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    if (s[0] == '1' && s[i] != '0') return -1;
    q += (s[i] - '0') * scale;
    scale /= 10;
  }
  return q;
}

// Maps one language-range to a supported language; nullopt-like false when unsupported.
bool MatchLanguage(std::string_view range, Language* out) {
  std::string tag;
  for (char c : range) tag += LowerAscii(c);
  auto primary = std::string_view(tag).substr(0, tag.find('-'));
  // Every Chinese variant gets simplified Chinese: the closest text we have.
  if (primary == "zh") {
    *out = Language::kZh;
    return true;
  }
  if (primary == "en") {
    *out = Language::kEn;
    return true;
  }
  if (tag == "*") {
    *out = Language::kZh;
    return true;
  }
  return false;
}

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view text) {
  // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if (text == MethodName(m)) return m;
  }
  return Method::kOther;
}

std::string_view LanguageTag(Language l) { return l == Language::kEn ? "en" : "zh-CN"; }

Language NegotiateLanguage(std::string_view accept_language) {
  Language best = Language::kZh;
  double best_q = 0;
  std::string_view rest = accept_language;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.empty()) continue;
    size_t semi = item.find(';');
    std::string_view range = Trim(item.substr(0, semi));
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() < 2 || LowerAscii(param[0]) != 'q' || param[1] != '=') continue;
      q = ParseQValue(Trim(param.substr(2)));
      if (q < 0) continue;
    }
    Language lang;
    // Strictly greater: on equal q the earlier range wins (the client's order of preference).
    if (q > 0 && q > best_q && MatchLanguage(range, &lang)) {
      best = lang;
      best_q = q;
    }
  }
  return best;
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return {};
}

namespace {

// Calls fn(raw_name, raw_value) for each "name=value" pair of a query string.
template <typename Fn>
bool ForEachQueryPair(std::string_view query, Fn fn) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (fn(raw_name, raw_value)) return true;
  }
  return false;
}

// Lenient decoding for query strings: a malformed escape stays as written.
std::string DecodeQueryComponent(std::string_view raw) {
  std::string out;
  if (PercentDecode(raw, &out, /*plus_is_space=*/true)) return out;
  out.assign(raw);
  std::replace(out.begin(), out.end(), '+', ' ');
  return out;
}

}  // namespace

std::string Request::QueryParam(std::string_view name) const {
  std::string value;
  ForEachQueryPair(query, [&](std::string_view raw_name, std::string_view raw_value) {
    if (DecodeQueryComponent(raw_name) != name) return false;
    value = DecodeQueryComponent(raw_value);
    return true;
  });
  return value;
}

bool Request::HasQueryParam(std::string_view name) const {
  return ForEachQueryPair(query, [&](std::string_view raw_name, std::string_view) {
    return DecodeQueryComponent(raw_name) == name;
  });
}

bool PercentDecode(std::string_view text, std::string* out, bool plus_is_space) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

Result<Target> ParseTarget(std::string_view target) {
  auto invalid = [&](std::string note) { return InvalidArgument("http/invalid-path", std::move(note)); };
  // Absolute-form must be accepted by servers (RFC 9112 §3.2.2); keep only its path and query.
  std::string from_absolute;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() && EqualsIgnoreCase(target.substr(0, scheme.size()), scheme)) {
      std::string_view rest = target.substr(scheme.size());
      size_t start = rest.find_first_of("/?");
      from_absolute = "/";
      if (start != std::string_view::npos) from_absolute.append(rest.substr(start + (rest[start] == '/')));
      target = from_absolute;
      break;
    }
  }
  if (target.empty() || target[0] != '/') return invalid("request-target is not origin-form");
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  Target out;
  if (q != std::string_view::npos) out.query.assign(target.substr(q + 1));
  // A fragment never reaches a server; if one does, it is not part of the path.
  if (size_t hash = raw_path.find('#'); hash != std::string_view::npos) raw_path = raw_path.substr(0, hash);
  if (!PercentDecode(raw_path, &out.path)) return invalid("malformed percent-encoding");
  if (out.path.find('\0') != std::string::npos) return invalid("NUL in path");
  if (!IsValidUtf8(out.path)) return invalid("path is not UTF-8");
  for (size_t start = 1; start <= out.path.size();) {
    size_t end = out.path.find('/', start);
    if (end == std::string::npos) end = out.path.size();
    std::string_view segment = std::string_view(out.path).substr(start, end - start);
    if (segment == "." || segment == "..") return invalid("dot segment in path");
    start = end + 1;
  }
  return out;
}

std::optional<int64_t> ParsePositiveDecimal(std::string_view text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseNonNegativeDecimal(std::string_view text) {
  if (text == "0") return 0;
  return ParsePositiveDecimal(text);
}

}  // namespace gz::http
