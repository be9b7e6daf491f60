#include "storage/url.h"

#include <gtest/gtest.h>

namespace gz::storage {
namespace {

using Kind = DatabaseUrl::Kind;

DatabaseUrl MustParse(std::string_view url) {
  Result<DatabaseUrl> r = ParseDatabaseUrl(url);
  EXPECT_TRUE(r.ok()) << url << ": " << r.status().ToString();
  return r.ok() ? *r : DatabaseUrl{};
}

// The reason of a refused URL (and checks the code and slug).
std::string Refused(std::string_view url) {
  Result<DatabaseUrl> r = ParseDatabaseUrl(url);
  EXPECT_FALSE(r.ok()) << url << " was accepted";
  if (r.ok()) return {};
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().slug(), "storage/bad-database-url");
  EXPECT_FALSE(r.status().Arg("reason").empty());
  return std::string(r.status().Arg("reason"));
}

TEST(DatabaseUrlTest, SqliteThreeSlashesIsAbsolute) {
  DatabaseUrl u = MustParse("sqlite:///var/lib/gongzhi/gz.db");
  EXPECT_EQ(u.kind, Kind::kSqlite);
  EXPECT_EQ(u.sqlite_path, "/var/lib/gongzhi/gz.db");
  EXPECT_EQ(u.Masked(), "sqlite:///var/lib/gongzhi/gz.db");
}

TEST(DatabaseUrlTest, SqliteFourSlashesAndOneSlashAreAbsoluteToo) {
  EXPECT_EQ(MustParse("sqlite:////var/gz.db").sqlite_path, "/var/gz.db");
  EXPECT_EQ(MustParse("sqlite:/var/gz.db").sqlite_path, "/var/gz.db");
}

TEST(DatabaseUrlTest, SqliteWithoutSlashesIsRelative) {
  DatabaseUrl u = MustParse("sqlite:var/gz.db");
  EXPECT_EQ(u.sqlite_path, "var/gz.db");
  EXPECT_EQ(u.Masked(), "sqlite:var/gz.db");
  EXPECT_EQ(MustParse("sqlite:gz.db").sqlite_path, "gz.db");
}

TEST(DatabaseUrlTest, SchemeIsCaseInsensitive) {
  EXPECT_EQ(MustParse("SQLite:///x.db").sqlite_path, "/x.db");
  EXPECT_EQ(MustParse("PostgreSQL://h/db").kind, Kind::kPostgres);
}

TEST(DatabaseUrlTest, SqlitePathIsPercentDecodedAndChineseIsKept) {
  EXPECT_EQ(MustParse("sqlite:///srv/my%20data/gz.db").sqlite_path, "/srv/my data/gz.db");
  EXPECT_EQ(MustParse("sqlite:///srv/数据/蔡甸.db").sqlite_path, "/srv/数据/蔡甸.db");
}

TEST(DatabaseUrlTest, SqliteWithAnAuthorityIsRefusedAsAmbiguous) {
  EXPECT_NE(Refused("sqlite://relative.db").find("sqlite:///"), std::string::npos);
  Refused("sqlite://localhost/var/gz.db");
}

TEST(DatabaseUrlTest, SqliteWithoutAFileIsRefused) {
  Refused("sqlite:");
  Refused("sqlite://");
  Refused("sqlite:///");
  Refused("sqlite::memory:");
  Refused("sqlite:///var/lib/");
  Refused("sqlite:file:x.db");
}

TEST(DatabaseUrlTest, SqliteOptionsBadEscapesAndNulAreRefused) {
  Refused("sqlite:///x.db?mode=ro");
  Refused("sqlite:///x.db#frag");
  Refused("sqlite:///x%2.db");
  Refused("sqlite:///x%zz.db");
  Refused("sqlite:///x%00.db");
}

TEST(DatabaseUrlTest, PostgresKeepsTheUrlForLibpqAndMasksThePassword) {
  std::string url = "postgresql://gz:s3cr%40t@db.example:5432/gongzhi?sslmode=verify-full";
  DatabaseUrl u = MustParse(url);
  EXPECT_EQ(u.kind, Kind::kPostgres);
  EXPECT_EQ(u.postgres_conninfo, url);
  EXPECT_EQ(u.Masked(), "postgresql://gz:***@db.example:5432/gongzhi?sslmode=verify-full");
  EXPECT_EQ(u.Masked().find("s3cr"), std::string::npos);
}

TEST(DatabaseUrlTest, PostgresShortSchemeAndVariants) {
  EXPECT_EQ(MustParse("postgres://gz@localhost/gongzhi").Masked(), "postgres://gz@localhost/gongzhi");
  EXPECT_EQ(MustParse("postgresql://h1:5432,h2:5433/gz").kind, Kind::kPostgres);  // libpq host list
  EXPECT_EQ(MustParse("postgresql://[::1]:5432/gz").kind, Kind::kPostgres);
  EXPECT_EQ(MustParse("postgresql:///gz?host=/var/run/postgresql").kind, Kind::kPostgres);  // socket
  EXPECT_EQ(MustParse("postgresql://localhost?dbname=gz").kind, Kind::kPostgres);
}

TEST(DatabaseUrlTest, PasswordAsQueryParameterIsMaskedToo) {
  DatabaseUrl u = MustParse("postgresql://localhost/gz?user=a&password=hunter2&sslmode=require");
  EXPECT_EQ(u.Masked(), "postgresql://localhost/gz?user=a&password=***&sslmode=require");
}

TEST(DatabaseUrlTest, BadPostgresUrlsAreRefusedWithoutEchoingThePassword) {
  EXPECT_NE(Refused("postgresql://localhost").find("database"), std::string::npos);
  Refused("postgresql://localhost/");
  Refused("postgresql://h:0/gz");
  Refused("postgresql://h:70000/gz");
  Refused("postgresql://h:54x/gz");
  Refused("postgresql://[::1/gz");
  Refused("postgresql://h/gz?sslmode=sometimes");
  Refused("postgresql://h/gz?sslmode");
  Refused("postgresql://h/a/b");
  Refused("postgresql://h/gz#x");
  Refused("postgresql:h/gz");
  std::string reason = Refused("postgresql://u:p@ss@h/gz");
  EXPECT_EQ(reason.find("p@ss"), std::string::npos);
  reason = Refused("postgresql://u:topsecret@h/gz?sslmode=bogus");
  EXPECT_EQ(reason.find("topsecret"), std::string::npos);
  Refused("postgresql://u:pa ss@h/gz");
}

TEST(DatabaseUrlTest, UnknownSchemesAndControlCharactersAreRefused) {
  Refused("");
  Refused("/var/gz.db");
  Refused("mysql://h/gz");
  Refused("sqlite:///x.db\n");
  Refused(std::string_view("sqlite:///x\0.db", 15));
}

}  // namespace
}  // namespace gz::storage
