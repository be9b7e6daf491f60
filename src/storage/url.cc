// Parsing of database URLs (storage/url.h). Hand-written rather than Boost.URL because libpq's
// URI form allows a comma-separated host list, which RFC 3986 parsers reject.
#include "storage/url.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "storage/problems.h"

namespace gz::storage {
namespace {

Status Bad(std::string reason) {
  return InvalidArgument(std::string(problems::kBadDatabaseUrl)).With("reason", std::move(reason));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The pieces of a postgres URL, as views into the original text.
struct PgParts {
  std::string_view scheme;       // "postgresql" or "postgres", as written
  std::string_view userinfo;     // "user:pass" (empty if no '@')
  bool has_userinfo = false;
  std::string_view hosts;        // "h1:5432,h2"
  std::string_view path;         // "/db" or ""
  std::string_view query;        // "sslmode=require" (without '?')
  bool has_query = false;
};

PgParts SplitPostgres(std::string_view url) {
  PgParts p;
  size_t colon = url.find("://");
  p.scheme = url.substr(0, colon);
  std::string_view rest = url.substr(colon + 3);
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    p.query = rest.substr(q + 1);
    p.has_query = true;
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) p.path = rest.substr(slash);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    p.userinfo = authority.substr(0, at);
    p.has_userinfo = true;
    p.hosts = authority.substr(at + 1);
  } else {
    p.hosts = authority;
  }
  return p;
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  int v = std::stoi(std::string(port));  // cannot throw: 1-5 digits
  return v >= 1 && v <= 65535;
}

// Checks one "host", "host:port", "[v6]" or "[v6]:port" of the host list ("" is libpq's default).
std::optional<std::string> CheckHost(std::string_view host) {
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in an IPv6 host";
    std::string_view after = host.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "unexpected text after an IPv6 host";
      port = after.substr(1);
      if (!ValidPort(port)) return "the port must be a number from 1 to 65535";
    }
    return std::nullopt;
  }
  if (size_t colon = host.find(':'); colon != std::string_view::npos) {
    if (!ValidPort(host.substr(colon + 1))) return "the port must be a number from 1 to 65535";
  }
  return std::nullopt;
}

Result<DatabaseUrl> ParsePostgres(std::string_view url) {
  for (char c : url)
    if (c == ' ' || c == '\t') return Bad("a PostgreSQL URL cannot contain spaces (write %20)");
  if (url.find('#') != std::string_view::npos) return Bad("a PostgreSQL URL cannot have a #fragment");
  PgParts p = SplitPostgres(url);
  if (!PercentDecode(url)) return Bad("bad percent-escape (% must be followed by two hex digits)");
  if (p.has_userinfo && p.userinfo.find('@') != std::string_view::npos)
    return Bad("'@' in the user name or password must be written %40");
  for (std::string_view host : SplitOn(p.hosts, ','))
    if (auto why = CheckHost(host)) return Bad(*why);

  std::string dbname;
  if (p.path.size() > 1) {
    std::string_view raw = p.path.substr(1);
    if (raw.find('/') != std::string_view::npos) return Bad("the database name cannot contain '/'");
    dbname = *PercentDecode(raw);
  }
  if (p.has_query) {
    for (std::string_view pair : SplitOn(p.query, '&')) {
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) return Bad("each query parameter must be key=value");
      std::string key = *PercentDecode(pair.substr(0, eq));
      std::string value = *PercentDecode(pair.substr(eq + 1));
      if (key == "dbname") dbname = value;
      if (key == "sslmode") {
        static constexpr std::string_view kModes[] = {"disable", "allow", "prefer", "require",
                                                      "verify-ca", "verify-full"};
        if (std::find(std::begin(kModes), std::end(kModes), value) == std::end(kModes))
          return Bad("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
      }
    }
  }
  if (dbname.empty()) return Bad("a PostgreSQL URL must name the database (postgresql://host/dbname)");

  DatabaseUrl out;
  out.kind = DatabaseUrl::Kind::kPostgres;
  out.postgres_conninfo = std::string(url);
  return out;
}

Result<DatabaseUrl> ParseSqlite(std::string_view url) {
  std::string_view rest = url.substr(url.find(':') + 1);
  if (rest.find('?') != std::string_view::npos || rest.find('#') != std::string_view::npos)
    return Bad("a sqlite URL takes no ?options or #fragment");
  bool absolute = false;
  if (rest.substr(0, 2) == "//") {
    std::string_view after = rest.substr(2);
    if (after.empty() || after.front() != '/')
      return Bad("use sqlite:///absolute/path.db or sqlite:relative/path.db (no host after sqlite://)");
    absolute = true;
    while (after.size() > 1 && after[1] == '/') after.remove_prefix(1);  // "////x" -> "/x"
    rest = after;
  }
  std::optional<std::string> path = PercentDecode(rest);
  if (!path) return Bad("bad percent-escape (% must be followed by two hex digits)");
  if (path->find('\0') != std::string::npos) return Bad("the path cannot contain a NUL byte");
  if (path->empty() || *path == "/") return Bad("the sqlite URL names no file");
  if (*path == ":memory:" || path->rfind("file:", 0) == 0 || (!absolute && path->front() == ':'))
    return Bad("in-memory and URI-style SQLite names are not supported; name a file");
  if (path->back() == '/') return Bad("the sqlite path names a directory, not a file");
  DatabaseUrl out;
  out.kind = DatabaseUrl::Kind::kSqlite;
  out.sqlite_path = std::move(*path);
  return out;
}

}  // namespace

std::string DatabaseUrl::Masked() const {
  if (kind == Kind::kSqlite)
    return (!sqlite_path.empty() && sqlite_path.front() == '/' ? "sqlite://" : "sqlite:") + sqlite_path;
  PgParts p = SplitPostgres(postgres_conninfo);
  std::string out(p.scheme);
  out += "://";
  if (p.has_userinfo) {
    size_t colon = p.userinfo.find(':');
    out += p.userinfo.substr(0, colon);
    if (colon != std::string_view::npos) out += ":***";
    out += '@';
  }
  out += p.hosts;
  out += p.path;
  if (p.has_query) {
    out += '?';
    bool first = true;
    for (std::string_view pair : SplitOn(p.query, '&')) {
      if (!first) out += '&';
      first = false;
      size_t eq = pair.find('=');
      std::optional<std::string> key = PercentDecode(pair.substr(0, eq));
      if (eq != std::string_view::npos && key && *key == "password") {
        out += pair.substr(0, eq);
        out += "=***";
      } else {
        out += pair;
      }
    }
  }
  return out;
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  if (url.empty()) return Bad("the database URL is empty");
  if (HasControl(url)) return Bad("the database URL contains a control character");
  size_t colon = url.find(':');
  if (colon == std::string_view::npos) return Bad("the database URL has no scheme (sqlite: or postgresql:)");
  std::string scheme = Lower(url.substr(0, colon));
  if (scheme == "sqlite") return ParseSqlite(url);
  if (scheme == "postgresql" || scheme == "postgres") {
    if (url.substr(colon, 3) != "://") return Bad("a PostgreSQL URL starts with postgresql://");
    return ParsePostgres(url);
  }
  return Bad("unknown scheme; use sqlite: or postgresql:");
}

}  // namespace gz::storage
