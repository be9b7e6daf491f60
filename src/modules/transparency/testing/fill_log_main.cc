// gz_tlog_fill: appends test entries to the transparency log of a data folder's SQLite store.
// For the interoperability and CLI tests only (built with the tests, never installed, not a
// gongzhi command): the product appends entries only through the modules that publish them.
//
//   gz_tlog_fill <sqlite file> <count> [seed]
//
// Entries vary in length (1 byte to 65,535 bytes) and content, text and binary, so bundles and
// tiles are exercised with every shape.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "modules/transparency/sql/log_sql.h"
#include "storage/sqlite/sqlite_db.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gz_tlog_fill <sqlite file> <count> [seed]\n");
    return 2;
  }
  auto db = gz::storage::sqlite::OpenSqlite({.path = argv[1]});
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  long count = std::atol(argv[2]);
  std::mt19937_64 rng(argc > 3 ? std::atoll(argv[3]) : 1);
  for (long i = 0; i < count; ++i) {
    std::string entry;
    switch (rng() % 10) {
      case 0: entry = std::string(1, static_cast<char>(rng() & 0xff)); break;
      case 1: entry = std::string(65535, static_cast<char>('a' + rng() % 26)); break;
      case 2:
        for (int k = 0; k < 100; ++k) entry.push_back(static_cast<char>(rng() & 0xff));
        break;
      default:
        entry = "{\"kind\":\"finance\",\"village\":\"420114001205\",\"n\":" + std::to_string(rng() % 100000) + "}";
    }
    gz::Status s = (*db)->Write([&](gz::storage::Tx& tx) {
      return gz::transparency::AppendEntryInTx(tx, "420114001205", entry).status();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  return 0;
}
