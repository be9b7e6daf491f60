// Schema migrations (storage/migrate.h): bookkeeping, ordering and the newer-store check.
#include "storage/migrate.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "storage/problems.h"

namespace gz::storage {
namespace {

// BIGINT, not INTEGER: PostgreSQL's INTEGER is 32 bits, too small for epoch milliseconds; in
// SQLite both names give the same 64-bit integer column.
constexpr std::string_view kCreateBookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "module TEXT NOT NULL, "
    "version INTEGER NOT NULL, "
    "name TEXT NOT NULL, "
    "applied_at_ms BIGINT NOT NULL, "
    "PRIMARY KEY (module, version))";

using Key = std::pair<std::string, int>;

std::string KeyText(const Key& k) { return k.first + "/" + std::to_string(k.second); }

// Rejects a list the binary should never have been built with: a bad version, a duplicate, or
// a gap (a migration that was forgotten in the list).
Status ValidateKnown(const std::vector<Migration>& known) {
  std::map<std::string, std::set<int>, std::less<>> versions;
  for (const Migration& m : known) {
    Key key(std::string(m.module), m.version);
    if (m.module.empty() || m.name.empty()) return Internal("a migration has no module or no name");
    if (m.version < 1) return Internal("migration " + KeyText(key) + ": versions start at 1");
    if (!versions[key.first].insert(m.version).second) return Internal("migration " + KeyText(key) + " is listed twice");
  }
  for (const auto& [module, set] : versions) {
    if (*set.rbegin() != static_cast<int>(set.size()))
      return Internal("the migrations of module " + module + " are not numbered 1.." + std::to_string(set.size()));
  }
  return Status::Ok();
}

std::string_view SqlFor(const Migration& m, Dialect d) { return d == Dialect::kSqlite ? m.sqlite : m.postgres; }
std::string_view DialectName(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgres"; }

Result<std::set<Key>> AppliedKeys(Tx& tx) {
  GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT module, version FROM schema_migrations"));
  std::set<Key> applied;
  for (const Row& row : rs.rows) applied.emplace(row.Text(0), static_cast<int>(row.Int(1)));
  return applied;
}

}  // namespace

// ApplyMigrations() once the store lock is held.
static Status ApplyMigrationsLocked(Db& db, const std::vector<Migration>& known, const Clock& clock, int* applied);

Result<MigrationState> CheckMigrations(Db& db, const std::vector<Migration>& known) {
  GZ_RETURN_IF_ERROR(ValidateKnown(known));
  GZ_RETURN_IF_ERROR(db.Write([](Tx& tx) { return tx.ExecScript(kCreateBookkeeping); }));

  std::set<Key> applied;
  GZ_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    GZ_ASSIGN_OR_RETURN(applied, AppliedKeys(tx));
    return Status::Ok();
  }));

  // Order: module registration order (first appearance in `known`), then version.
  std::map<std::string_view, size_t> module_rank;
  for (const Migration& m : known) module_rank.emplace(m.module, module_rank.size());

  MigrationState state;
  std::set<Key> known_keys;
  for (const Migration& m : known) {
    Key key(std::string(m.module), m.version);
    known_keys.insert(key);
    if (applied.count(key)) {
      ++state.applied;
    } else {
      state.pending.push_back(&m);
    }
  }
  std::stable_sort(state.pending.begin(), state.pending.end(), [&](const Migration* a, const Migration* b) {
    return std::pair(module_rank[a->module], a->version) < std::pair(module_rank[b->module], b->version);
  });
  for (const Key& key : applied)
    if (!known_keys.count(key)) state.unknown.push_back(KeyText(key));
  return state;
}

Status ApplyMigrations(Db& db, const std::vector<Migration>& known, const Clock& clock, int* applied) {
  if (applied) *applied = 0;
  // Several nodes starting at once against an empty PostgreSQL database: the first applies the
  // schema, the others wait here and then find nothing pending. Without the lock, two
  // CREATE TABLEs of the same table collide on the catalog (a unique violation, not a
  // serialization failure that Write() would retry). A long migration of a large store may
  // keep the others waiting for a while, hence the generous wait.
  return db.WithStoreLock("schema_migrations", std::chrono::minutes(30),
                          [&] { return ApplyMigrationsLocked(db, known, clock, applied); });
}

static Status ApplyMigrationsLocked(Db& db, const std::vector<Migration>& known, const Clock& clock, int* applied) {
  GZ_ASSIGN_OR_RETURN(MigrationState state, CheckMigrations(db, known));
  if (!state.unknown.empty()) {
    std::string list;
    for (const std::string& k : state.unknown) list += (list.empty() ? "" : ", ") + k;
    return FailedPrecondition(std::string(problems::kStoreNewerThanBinary),
                              "the store was migrated by a newer gongzhi; refusing to touch it")
        .With("migrations", list);
  }
  // Refuse before applying anything, rather than stop half-way through the list.
  for (const Migration* m : state.pending) {
    if (SqlFor(*m, db.dialect()).empty()) {
      return Internal("migration " + std::string(m->module) + "/" + std::to_string(m->version) +
                      " has no SQL for " + std::string(DialectName(db.dialect())));
    }
  }

  for (const Migration* m : state.pending) {
    std::string label = std::string(m->module) + "/" + std::to_string(m->version) + " " + std::string(m->name);
    bool ran = false;
    Status s = db.Write([&](Tx& tx) -> Status {
      // Another process may have applied it since CheckMigrations(); the write lock is ours now.
      GZ_ASSIGN_OR_RETURN(ResultSet done, tx.Query("SELECT 1 FROM schema_migrations WHERE module = $1 AND version = $2",
                                                   {std::string(m->module), int64_t{m->version}}));
      if (!done.empty()) return Status::Ok();
      GZ_RETURN_IF_ERROR(tx.ExecScript(SqlFor(*m, tx.dialect())));
      int64_t now_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
      GZ_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO schema_migrations (module, version, name, applied_at_ms) VALUES ($1, $2, $3, $4)",
          {std::string(m->module), int64_t{m->version}, std::string(m->name), now_ms}).status());
      ran = true;
      return Status::Ok();
    });
    if (!s.ok()) {
      return Status(Code::kInternal, std::string(problems::kMigrationFailed), label + ": " + s.ToString())
          .With("migration", std::string(m->module) + "/" + std::to_string(m->version));
    }
    if (ran && applied) ++*applied;
  }
  return Status::Ok();
}

}  // namespace gz::storage
