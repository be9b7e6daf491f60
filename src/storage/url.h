// Database URLs: which backend to open and where, from one configuration string.
//
// Layer: storage (no driver headers). app/ parses GZ_DATABASE_URL (or the --database flag) with
// ParseDatabaseUrl() and opens the backend it names; logs show only Masked().
//
// Accepted forms:
//   sqlite:///var/lib/gongzhi/gz.db      absolute path (empty authority, like file:///)
//   sqlite:////var/lib/gongzhi/gz.db     the same (SQLAlchemy's spelling); leading slashes collapse
//   sqlite:/var/lib/gongzhi/gz.db        also absolute (no authority at all)
//   sqlite:var/gz.db                     path relative to the working directory
//   postgresql://user:pass@host:5432/db?sslmode=verify-full   (also postgres://; issue #8)
//
// Refused, each with a reason:
//   sqlite://host/path or sqlite://x.db  an authority is not a path (SQLAlchemy reads
//                                        sqlite:///x.db as relative, RFC 8089 as absolute: with a
//                                        non-empty authority we cannot tell which the writer meant)
//   sqlite::memory:, sqlite:             no file: an in-memory store cannot be shared by the
//                                        connection pool and loses every write on exit
//   ?query or #fragment on sqlite        no SQLite options are taken from the URL
//   postgres URLs without a database name, with a bad port, an unknown sslmode, whitespace
//
// The SQLite path is percent-decoded (sqlite:///srv/my%20data/gz.db); raw spaces and non-ASCII
// (sqlite:///srv/数据/gz.db) are accepted as written. The PostgreSQL URL is kept as given, because
// libpq parses the URI form itself (multiple hosts, every libpq parameter).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::storage {

struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  // kSqlite: the file path, percent-decoded; absolute or relative to the working directory.
  std::string sqlite_path;
  // kPostgres: the URL as given, to be passed to libpq as its conninfo. Holds the password.
  std::string postgres_conninfo;

  // The URL with any password (in the user info or as a `password=` parameter) replaced by
  // "***", for logs and Db::Describe(). Never contains the password.
  std::string Masked() const;
};

// Parses a database URL of one of the forms above.
// Returns kInvalidArgument "storage/bad-database-url" with an argument "reason" (English, never
// containing the URL itself, since it may hold a password).
Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

}  // namespace gz::storage
