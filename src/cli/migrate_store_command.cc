// gongzhi migrate-store: move a county's store to another backend (SQLite -> PostgreSQL, issue #8)
// and prove that nothing changed on the way.
//
//   gongzhi migrate-store --to postgresql://... [--from sqlite:///...] [--data-dir DIR]
//   gongzhi migrate-store --to postgresql://... --verify-only
//
// Steps: the source must be at this binary's schema version (--migrate-source brings it there);
// the target must be a new, empty database; the binary's migrations create the schema on the
// target; the tables of both are read from their catalogs and must be the same (a table the
// migrations do not create stops the command: nothing is skipped silently); every table is
// copied in foreign-key order from one read snapshot of the source, in bounded batches, values
// as they are (ids, sealed bytes); PostgreSQL sequences are moved past the copied ids. Then the
// verification, also run alone by --verify-only: rows and a digest per table equal on both
// sides (storage/copy_store.h), and the transparency log rebuilt from the entries on each side,
// with the same size and root, every signed checkpoint verifying with the log's key from the
// data dir. Keys stay in the data dir: the same --data-dir serves the new store.
//
// Exit codes: 0 copied (or verified) and equal; 1 refused, failed, or any difference; 2 usage.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "app/application.h"
#include "cli/command.h"
#include "core/clock.h"
#include "modules/transparency/signing_key.h"
#include "modules/transparency/sql/log_sql.h"
#include "modules/transparency/transparency_log.h"
#include "storage/copy_store.h"
#include "storage/migrate.h"
#include "storage/postgres/postgres_db.h"
#include "storage/store_facts.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/url.h"
#include "tlog/note.h"

namespace gz::cli {
namespace {

constexpr std::string_view kBookkeeping = "schema_migrations";

struct Options {
  std::string from, to;
  bool verify_only = false;
  bool migrate_source = false;
  int batch_rows = 5000;
};

// One clear line for the person at the terminal, exit code 1.
int Refuse(const std::string& text) {
  std::fprintf(stderr, "gongzhi migrate-store: %s\n", text.c_str());
  return 1;
}

struct Opened {
  std::unique_ptr<storage::Db> db;
  std::string label;  // the URL without a password
};

// Opens one side. A copy runs long statements (a table streamed while batches are written), so
// the server's 30 s statement timeout of the serving pool does not apply here.
Result<Opened> OpenSide(const storage::DatabaseUrl& url, bool must_exist) {
  Opened out{nullptr, url.Masked()};
  if (url.kind == storage::DatabaseUrl::Kind::kSqlite) {
    std::error_code ec;
    if (must_exist && !std::filesystem::exists(url.sqlite_path, ec))
      return Status(Code::kNotFound, "migrate-store/no-source").With("path", url.sqlite_path);
    storage::sqlite::SqliteOptions options;
    options.path = url.sqlite_path;
    options.readers = 2;
    GZ_ASSIGN_OR_RETURN(out.db, storage::sqlite::OpenSqlite(options));
  } else {
    storage::postgres::PostgresOptions options;
    options.conninfo = url.postgres_conninfo;
    options.pool_size = 4;
    options.statement_timeout_ms = 24 * 3600 * 1000;
    options.lock_timeout_ms = 60000;
    GZ_ASSIGN_OR_RETURN(out.db, storage::postgres::OpenPostgres(options));
  }
  return out;
}

Result<std::vector<storage::TableSchema>> TablesOf(storage::Db& db) {
  std::vector<storage::TableSchema> tables;
  GZ_RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(tables, storage::ReadTables(tx));
    return Status::Ok();
  }));
  return tables;
}

bool HasTable(const std::vector<storage::TableSchema>& tables, std::string_view name) {
  for (const auto& t : tables)
    if (t.name == name) return true;
  return false;
}

// The store's schema version against the binary's: what is pending, what is unknown. Reads
// only (CheckMigrations would create the bookkeeping table on a store that has none).
struct SchemaVersion {
  std::vector<std::string> pending, unknown;
};
Result<SchemaVersion> VersionOf(storage::Db& db) {
  std::set<std::pair<std::string, int64_t>> applied;
  GZ_RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT module, version FROM schema_migrations"));
    for (const storage::Row& r : rs.rows) applied.emplace(r.Text(0), r.Int(1));
    return Status::Ok();
  }));
  SchemaVersion v;
  std::set<std::pair<std::string, int64_t>> known;
  for (const storage::Migration& m : app::Application::AllMigrations()) {
    known.emplace(std::string(m.module), m.version);
    if (!applied.count({std::string(m.module), m.version}))
      v.pending.push_back(std::string(m.module) + "/" + std::to_string(m.version));
  }
  for (const auto& [module, version] : applied)
    if (!known.count({module, version})) v.unknown.push_back(module + "/" + std::to_string(version));
  return v;
}

std::string JoinFirst(const std::vector<std::string>& items, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

// The transparency log of one side, rebuilt from its entries.
struct LogState {
  int64_t size = 0;
  tlog::Hash root{};
  int64_t checkpoints = 0;
  std::optional<tlog::Checkpoint> newest;
};
Result<LogState> CheckLog(storage::Db& db, const tlog::VerifierKey& key) {
  transparency::SqlLogStore store(db);
  LogState state;
  GZ_RETURN_IF_ERROR(store.Read([&](transparency::LogReader& reader) -> Status {
    GZ_ASSIGN_OR_RETURN(transparency::StoredLogReport report, transparency::VerifyStoredLog(reader, {key}));
    GZ_ASSIGN_OR_RETURN(state.size, reader.Size());
    GZ_ASSIGN_OR_RETURN(state.root, tlog::TreeHash(state.size, reader.hash_reader()));
    state.checkpoints = report.checkpoints;
    state.newest = report.newest;
    return Status::Ok();
  }));
  return state;
}

std::string B64(const tlog::Hash& h) { return tlog::Base64Encode(tlog::HashBytes(h)); }

Result<std::vector<storage::TableDigest>> DigestAll(storage::Db& db, const std::vector<storage::TableSchema>& tables) {
  std::vector<storage::TableDigest> out;
  GZ_RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
    for (const storage::TableSchema& t : tables) {
      GZ_ASSIGN_OR_RETURN(storage::TableDigest d, storage::DigestTable(tx, t));
      out.push_back(std::move(d));
    }
    return Status::Ok();
  }));
  return out;
}

// The verification: prints the per-table report and the log's; returns the number of differences.
int Verify(storage::Db& source, storage::Db& target, const std::vector<storage::TableSchema>& tables,
           const tlog::VerifierKey& key) {
  std::fprintf(stderr, "verifying: digesting %zu tables on both sides...\n", tables.size());
  auto from = DigestAll(source, tables);
  if (!from.ok()) return Refuse("cannot read the source for the verification: " + from.status().ToString());
  auto to = DigestAll(target, tables);
  if (!to.ok()) return Refuse("cannot read the target for the verification: " + to.status().ToString());
  int differences = 0;
  int64_t total_rows = 0;
  std::printf("%-36s %12s %12s  %-9s %s\n", "table", "source rows", "target rows", "result", "sha256 (source)");
  for (size_t i = 0; i < tables.size(); ++i) {
    const storage::TableDigest& a = (*from)[i];
    const storage::TableDigest& b = (*to)[i];
    const char* result = a.rows != b.rows ? "ROWS DIFFER" : a.sha256_hex != b.sha256_hex ? "DIFFERENT" : "ok";
    if (a.rows != b.rows || a.sha256_hex != b.sha256_hex) ++differences;
    total_rows += a.rows;
    std::printf("%-36s %12lld %12lld  %-9s %s\n", a.table.c_str(), static_cast<long long>(a.rows),
                static_cast<long long>(b.rows), result, a.sha256_hex.substr(0, 16).c_str());
  }
  std::printf("%zu tables, %lld rows: %s\n", tables.size(), static_cast<long long>(total_rows),
              differences ? "DIFFERENCES FOUND" : "every table equal");

  auto log_from = CheckLog(source, key);
  auto log_to = CheckLog(target, key);
  if (!log_from.ok()) {
    std::printf("transparency log: the SOURCE's log does not verify: %s\n", log_from.status().ToString().c_str());
    ++differences;
  }
  if (!log_to.ok()) {
    std::printf("transparency log: the TARGET's log does not verify: %s\n", log_to.status().ToString().c_str());
    ++differences;
  }
  if (log_from.ok() && log_to.ok()) {
    bool same = log_from->size == log_to->size && log_from->root == log_to->root &&
                log_from->checkpoints == log_to->checkpoints;
    std::printf("transparency log: source size %lld root %s; target size %lld root %s: %s\n",
                static_cast<long long>(log_from->size), B64(log_from->root).c_str(),
                static_cast<long long>(log_to->size), B64(log_to->root).c_str(), same ? "same" : "DIFFERENT");
    if (log_to->newest)
      std::printf("transparency log: %lld signed checkpoint(s) verify on the target with %s; the newest: size %lld root %s\n",
                  static_cast<long long>(log_to->checkpoints), key.name.c_str(),
                  static_cast<long long>(log_to->newest->size), B64(log_to->newest->root).c_str());
    else
      std::printf("transparency log: no signed checkpoint yet (the server signs one when it starts)\n");
    if (!same) ++differences;
  }
  return differences;
}

int Run(const SettingFlags& flags, const Options& o) {
  auto config = ResolveConfig(flags, "migrate-store", false);
  if (!config.ok()) return ReportFailure("configuration", config.status());
  std::string from_text = o.from.empty() ? config->database_url : o.from;
  auto from_url = storage::ParseDatabaseUrl(from_text);
  if (!from_url.ok()) return Refuse("--from: " + from_url.status().ToString());
  auto to_url = storage::ParseDatabaseUrl(o.to);
  if (!to_url.ok()) return Refuse("--to: " + to_url.status().ToString());
  if (from_url->kind == to_url->kind && from_url->sqlite_path == to_url->sqlite_path &&
      from_url->postgres_conninfo == to_url->postgres_conninfo)
    return Refuse("--from and --to name the same store");

  // The log's key checks the signed checkpoints; it (and the field keys that open sealed personal
  // data) live in the data dir, not in the database.
  std::filesystem::path key_path = transparency::DefaultSigningKeyPath(config->data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(key_path, ec))
    return Refuse("the data dir " + config->data_dir + " has no " + key_path.string() +
                  ": run migrate-store with the county's --data-dir (the keys stay there and serve the new store too)");
  auto signer = transparency::LoadSigningKey(key_path);
  if (!signer.ok()) return ReportFailure("the transparency log's key", signer.status());
  tlog::VerifierKey verifier = tlog::VerifierOf(*signer);

  std::fprintf(stderr, "source: %s\ntarget: %s\n", from_url->Masked().c_str(), to_url->Masked().c_str());
  auto source = OpenSide(*from_url, /*must_exist=*/true);
  if (!source.ok()) {
    if (source.status().slug() == "migrate-store/no-source")
      return Refuse("the source store " + from_url->sqlite_path + " does not exist (check --from or --data-dir)");
    return Refuse("cannot open the source " + from_url->Masked() + ": " + source.status().ToString());
  }
  auto target = OpenSide(*to_url, /*must_exist=*/false);
  if (!target.ok())
    return Refuse("cannot reach the target " + to_url->Masked() + ": " + target.status().ToString() +
                  (to_url->kind == storage::DatabaseUrl::Kind::kPostgres
                       ? " (is PostgreSQL running, does the database exist — CREATE DATABASE — and may this user connect?)"
                       : ""));
  storage::Db& src = *source->db;
  storage::Db& dst = *target->db;

  // The source: a gongzhi store at this binary's schema version.
  auto source_tables = TablesOf(src);
  if (!source_tables.ok()) return Refuse("cannot read the source's tables: " + source_tables.status().ToString());
  if (!HasTable(*source_tables, kBookkeeping))
    return Refuse("the source " + source->label + " is not a gongzhi store (it has no schema_migrations table)");
  auto version = VersionOf(src);
  if (!version.ok()) return Refuse("cannot read the source's schema version: " + version.status().ToString());
  if (!version->unknown.empty())
    return Refuse("the source was migrated by a newer gongzhi (" + JoinFirst(version->unknown) +
                  "): use that gongzhi's migrate-store");
  if (!version->pending.empty()) {
    if (!o.migrate_source || o.verify_only)
      return Refuse("the source is at an older schema version (" + std::to_string(version->pending.size()) +
                    " migration(s) pending: " + JoinFirst(version->pending) +
                    "); run `gongzhi migrate --database <source>` first, or pass --migrate-source");
    int applied = 0;
    Status s = storage::ApplyMigrations(src, app::Application::AllMigrations(), SystemClock::Instance(), &applied);
    if (!s.ok()) return ReportFailure("cannot migrate the source", s);
    std::fprintf(stderr, "source: %d migration(s) applied\n", applied);
    source_tables = TablesOf(src);
    if (!source_tables.ok()) return Refuse("cannot read the source's tables: " + source_tables.status().ToString());
  }

  auto target_tables = TablesOf(dst);
  if (!target_tables.ok()) return Refuse("cannot read the target's tables: " + target_tables.status().ToString());
  if (!o.verify_only) {
    // Only a new, empty database: copying into one that holds anything could mix two counties'
    // data or hide a half-finished earlier run.
    std::vector<std::string> present;
    for (const auto& t : *target_tables) present.push_back(t.name);
    bool only_empty_bookkeeping = present.empty();
    if (present.size() == 1 && present[0] == kBookkeeping) {
      auto rows = [&]() -> Result<std::vector<std::string>> {
        std::vector<std::string> out;
        GZ_RETURN_IF_ERROR(dst.Read([&](storage::Tx& tx) -> Status {
          GZ_ASSIGN_OR_RETURN(out, storage::NonEmptyTables(tx, *target_tables));
          return Status::Ok();
        }));
        return out;
      }();
      only_empty_bookkeeping = rows.ok() && rows->empty();
    }
    if (!only_empty_bookkeeping)
      return Refuse("the target " + target->label + " is not empty (" + std::to_string(present.size()) +
                    " table(s): " + JoinFirst(present) +
                    "); migrate-store copies into a new, empty database only (CREATE DATABASE ...; or drop this one)");
    int applied = 0;
    Status s = storage::ApplyMigrations(dst, app::Application::AllMigrations(), SystemClock::Instance(), &applied);
    if (!s.ok()) return ReportFailure("cannot create the schema on the target", s);
    std::fprintf(stderr, "target: %d migration(s) applied\n", applied);
    // store_facts is bookkeeping made on first use, not by a migration (storage/store_facts.h):
    // made here when the source has it, so its rows (the public identity of the county's keys,
    // which move with the data dir) are copied and checked like any table's.
    bool source_has_facts = false;
    for (const storage::TableSchema& t : *source_tables) source_has_facts |= t.name == "store_facts";
    if (source_has_facts) {
      auto made = storage::ReadStoreFacts(dst, "");
      if (!made.ok()) return ReportFailure("cannot create store_facts on the target", made.status());
    }
    target_tables = TablesOf(dst);
    if (!target_tables.ok()) return Refuse("cannot read the target's tables: " + target_tables.status().ToString());
  }

  // The source's tables must be exactly those the migrations made: a table nobody declared (a
  // newer module, one made by hand) would otherwise be left behind without a word.
  std::vector<std::string> diff = storage::CompareTables(*source_tables, *target_tables);
  if (!diff.empty()) {
    std::fprintf(stderr, "gongzhi migrate-store: the source's tables differ from the ones this gongzhi's migrations create:\n");
    for (const std::string& d : diff) std::fprintf(stderr, "  %s\n", d.c_str());
    return Refuse(o.verify_only ? "cannot verify stores whose tables differ"
                                : "refusing to copy: nothing would carry the rows of a table the migrations do not know "
                                  "(the target now holds only the empty schema; drop it before trying again)");
  }
  auto ordered = storage::OrderForCopy(*source_tables);
  if (!ordered.ok()) return Refuse("cannot order the tables: " + ordered.status().ToString());

  if (!o.verify_only) {
    std::vector<std::string> seeded;
    Status s = dst.Read([&](storage::Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(seeded, storage::NonEmptyTables(tx, *ordered));
      return Status::Ok();
    });
    if (!s.ok()) return Refuse("cannot read the target: " + s.ToString());
    const bool terminal = StderrIsTerminal();
    storage::CopyOptions options;
    options.batch_rows = o.batch_rows;
    int64_t copied_total = 0;
    auto started = std::chrono::steady_clock::now();
    options.progress = [&](const storage::CopyProgress& p) {
      if (p.done) {
        copied_total += p.copied;
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::fprintf(stderr, "%scopied %-36s %10lld rows   (%lld rows in all, %.1f s)\n", terminal ? "\r" : "",
                     p.table.c_str(), static_cast<long long>(p.copied), static_cast<long long>(copied_total), seconds);
      } else if (terminal) {
        std::fprintf(stderr, "\rcopying %-36s %10lld / %lld rows", p.table.c_str(), static_cast<long long>(p.copied),
                     static_cast<long long>(p.total));
      } else if (p.copied % 100000 < o.batch_rows) {
        std::fprintf(stderr, "copying %s: %lld / %lld rows\n", p.table.c_str(), static_cast<long long>(p.copied),
                     static_cast<long long>(p.total));
      }
    };
    std::fprintf(stderr, "copying %zu tables in foreign-key order...\n", ordered->size());
    s = storage::CopyTables(src, dst, *ordered, seeded, options);
    if (!s.ok())
      return Refuse("the copy failed (the target holds part of the data: drop it and start again on a new database): " +
                    s.ToString());
    auto sequences = storage::ResetSequences(dst);
    if (!sequences.ok()) return Refuse("cannot reset the target's sequences: " + sequences.status().ToString());
    if (*sequences) std::fprintf(stderr, "target: %d sequence(s) moved past the copied ids\n", *sequences);
  }

  int differences = Verify(src, dst, *ordered, verifier);
  if (differences) {
    std::printf("FAILED: %d difference(s) between %s and %s\n", differences, source->label.c_str(), target->label.c_str());
    return 1;
  }
  std::printf("OK: %s holds the same data as %s%s\n", target->label.c_str(), source->label.c_str(),
              o.verify_only ? "" : "; serve it with the same --data-dir and --database set to the target");
  return 0;
}

}  // namespace

Command AddMigrateStoreCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "migrate-store", "Move the store to another database (SQLite -> PostgreSQL) and verify every table and the log");
  auto flags = std::make_shared<SettingFlags>();
  auto o = std::make_shared<Options>();
  cmd->add_option("--from", o->from,
                  "the store to copy (default: --database, else <data-dir>/gongzhi.db): sqlite:///path or postgresql://...");
  cmd->add_option("--to", o->to, "the new, empty database: postgresql://user:pw@host/db (or sqlite:///path)")->required();
  cmd->add_flag("--verify-only", o->verify_only, "copy nothing: compare the two stores (rows, digests, the log) again");
  cmd->add_flag("--migrate-source", o->migrate_source, "apply pending migrations to the source first");
  cmd->add_option("--batch-rows", o->batch_rows, "rows per write transaction on the target")->check(CLI::Range(1, 100000));
  flags->AddTo(cmd, {"config", "data_dir", "database", "log_level"});
  return {cmd, [flags, o] { return Run(*flags, *o); }};
}

}  // namespace gz::cli
