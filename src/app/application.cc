#include "app/application.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "app/messages.h"
#include "app/system_routes.h"
#include "app/version.h"
#include "core/log.h"
#include "modules/divisions/api/division_routes.h"
#include "modules/divisions/division_service.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "crypto/key_file.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/url.h"

namespace gz::app {

struct Application::Modules {
  Modules(storage::Db& db, crypto::FieldCipher field_cipher, int division_cache_seconds)
      : cipher(std::move(field_cipher)),
        division_store(db),
        divisions(division_store),
        division_answers(SystemClock::Instance(), std::chrono::seconds(division_cache_seconds), 32u << 20),
        resident_store(db) {}
  crypto::FieldCipher cipher;
  divisions::SqlDivisionStore division_store;
  divisions::DivisionService divisions;
  // Finished answers of the public division routes (decision 0009): 32 MiB of bodies.
  http::ResponseCache division_answers;
  residents::SqlResidentStore resident_store;
};

namespace {

Status DataDirError(const std::string& path, const std::string& reason) {
  return Status(Code::kUnavailable, "app/data-dir").With("path", path).With("reason", reason);
}

// Creates `path` (and parents) with owner-only permissions: the folder holds the store and keys.
Status EnsureDataDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return DataDirError(path, ec.message());
  if (!std::filesystem::is_directory(path, ec)) return DataDirError(path, "not a folder");
  ::chmod(path.c_str(), 0700);
  return Status::Ok();
}

}  // namespace

Application::Application(Config config) : config_(std::move(config)) {}
Application::~Application() = default;

Result<std::unique_ptr<Application>> Application::Open(const Config& config) {
  std::unique_ptr<Application> app(new Application(config));
  GZ_RETURN_IF_ERROR(app->Initialize());
  return app;
}

Status Application::Initialize() {
  GZ_RETURN_IF_ERROR(EnsureDataDir(config_.data_dir));
  GZ_ASSIGN_OR_RETURN(storage::DatabaseUrl url, storage::ParseDatabaseUrl(config_.database_url));
  if (url.kind != storage::DatabaseUrl::Kind::kSqlite)
    return InvalidArgument("storage/bad-database-url")
        .With("reason", "PostgreSQL is not supported by this build yet (issue #8); use sqlite:///path/file.db");
  storage::sqlite::SqliteOptions options;
  options.path = url.sqlite_path;
  GZ_ASSIGN_OR_RETURN(db_, storage::sqlite::OpenSqlite(options));
  // Personal data is sealed with keys kept beside (not inside) the store; see
  // docs/decisions/0004-personal-data-encryption.md.
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  GZ_ASSIGN_OR_RETURN(crypto::KeyRing keys,
                      crypto::LoadOrCreateKeyFile(crypto::DefaultKeyFilePath(config_.data_dir)));
  GZ_ASSIGN_OR_RETURN(crypto::CipherSuite suite, crypto::ParseCipherSuite(config_.field_cipher));
  GZ_ASSIGN_OR_RETURN(crypto::FieldCipher cipher, crypto::FieldCipher::Create(keys, suite));
  log::Info("crypto.field_cipher", {{"suite", std::string(crypto::CipherSuiteName(suite))}});
  modules_ = std::make_unique<Modules>(*db_, std::move(cipher), config_.division_cache_seconds);
  RegisterRoutes();
  dispatcher_ = std::make_unique<http::Dispatcher>(router_, Problems(), metrics_);
  return Status::Ok();
}

const std::vector<storage::Migration>& Application::migrations() const {
  static const std::vector<storage::Migration> all = [] {
    std::vector<storage::Migration> v;
    for (const auto& m : divisions::DivisionMigrations()) v.push_back(m);
    for (const auto& m : residents::ResidentMigrations()) v.push_back(m);
    return v;
  }();
  return all;
}

Status Application::Migrate(int* applied) {
  return storage::ApplyMigrations(*db_, migrations(), SystemClock::Instance(), applied);
}

void Application::RegisterRoutes() {
  RegisterSystemRoutes(router_, SystemRouteDeps{db_.get(), &migrations(), &metrics_, config_.metrics_token,
                                                 std::string(Version()), &router_});
  divisions::RegisterDivisionRoutes(router_, modules_->divisions,
                                    config_.division_cache_seconds > 0 ? &modules_->division_answers : nullptr);
}

http::Response Application::Handle(http::Request& request) const { return dispatcher_->Handle(request); }

Result<divisions::ImportReport> Application::ImportDivisions(const std::optional<divisions::DivisionCode>& scope,
                                                            const divisions::ProgressFn& progress) {
  divisions::ImportOptions options;
  options.source_dir = config_.divisions_source;
  options.scope = scope;
  Result<divisions::ImportReport> report = divisions::ImportDivisions(modules_->division_store, options, progress);
  modules_->division_answers.Clear();  // even after a failure: part of the import may be stored
  return report;
}

Result<DemoReport> Application::SeedDemo(std::string_view county_code) {
  DemoReport report;
  GZ_ASSIGN_OR_RETURN(divisions::DivisionCode county,
                      divisions::ParseScopeCode(county_code, divisions::Level::kCounty));
  auto counts = modules_->divisions.CountByLevel(county);
  if (!counts.ok() || (*counts)[divisions::LevelIndex(divisions::Level::kCounty)] == 0)
    return Status(Code::kFailedPrecondition, "app/demo-county-missing").With("code", std::string(county_code));
  report.divisions_in_county = (*counts)[divisions::LevelIndex(divisions::Level::kTownship)] +
                               (*counts)[divisions::LevelIndex(divisions::Level::kVillage)];
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> villages, VillagesOf(county));
  GZ_ASSIGN_OR_RETURN(residents::SeedReport seeded,
                      residents::SeedDemoResidents(modules_->resident_store, modules_->cipher, villages, {}));
  report.residents_seeded = seeded.villages_seeded > 0;
  GZ_ASSIGN_OR_RETURN(std::vector<residents::VillageCount> counts_by_village,
                      modules_->resident_store.CountByVillage(villages));
  for (const auto& c : counts_by_village) {
    report.households += c.households;
    report.residents += c.residents;
  }
  log::Info("demo.seeded", {{"county", std::string(county_code)},
                            {"villages_seeded", seeded.villages_seeded},
                            {"villages_skipped", seeded.villages_skipped},
                            {"households_added", seeded.households},
                            {"residents_added", seeded.residents}});
  return report;
}

Result<std::vector<std::string>> Application::VillagesOf(const divisions::DivisionCode& county) {
  std::vector<std::string> villages;
  std::vector<divisions::DivisionCode> pending = {county};
  while (!pending.empty()) {
    divisions::DivisionCode parent = pending.back();
    pending.pop_back();
    for (int64_t offset = 0;; offset += divisions::kMaxLimit) {
      divisions::Page page{divisions::kMaxLimit, offset};
      GZ_ASSIGN_OR_RETURN(divisions::ChildList children, modules_->divisions.Children(parent, page));
      for (const auto& child : children.items) {
        if (child.code.level() == divisions::Level::kVillage) villages.push_back(std::string(child.code.canonical()));
        else pending.push_back(child.code);
      }
      if (offset + static_cast<int64_t>(children.items.size()) >= children.total) break;
    }
  }
  return villages;
}

Result<DemoReport> Application::PrepareDemo(const divisions::ProgressFn& progress) {
  GZ_ASSIGN_OR_RETURN(divisions::DivisionCode county,
                      divisions::ParseScopeCode(config_.demo_county, divisions::Level::kCounty));
  bool imported = false;
  auto existing = modules_->divisions.CountByLevel(county);
  if (!existing.ok() || (*existing)[divisions::LevelIndex(divisions::Level::kVillage)] == 0) {
    GZ_ASSIGN_OR_RETURN(divisions::ImportReport import, ImportDivisions(county, progress));
    log::Info("demo.divisions_imported", {{"county", config_.demo_county}, {"divisions", import.divisions()}});
    imported = true;
  }
  GZ_ASSIGN_OR_RETURN(DemoReport report, SeedDemo(config_.demo_county));
  report.divisions_imported = imported;
  return report;
}

}  // namespace gz::app
