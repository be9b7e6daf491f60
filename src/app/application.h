// The composition root: the only code that knows every module and every storage backend.
//
// Layer: app. Open() prepares the data directory and the store; the CLI commands and the server
// then use the same Application, so `gongzhi serve --demo` and `gongzhi import-divisions` +
// `gongzhi seed-demo` take exactly the same code path.
#pragma once

#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "core/status.h"
#include "http/client_address.h"
#include "http/dispatcher.h"
#include "http/metrics.h"
#include "http/router.h"
#include "modules/divisions/importer.h"
#include "modules/identity/account_service.h"
#include "modules/identity/seed_demo_accounts.h"
#include "modules/open311/client_service.h"
#include "storage/db.h"
#include "storage/migrate.h"

namespace gz::transparency {
class TransparencyLog;
}

namespace gz::app {

class WebAssets;

// What the demo preparation did, for the start-up banner and logs.
struct DemoReport {
  bool divisions_imported = false;  // false: the county was already there
  int64_t divisions_in_county = 0;  // townships + villages
  bool residents_seeded = false;
  int64_t households = 0;
  int64_t residents = 0;
  std::vector<identity::DemoAccount> accounts;  // the demo accounts of every role (identity)
};

class Application {
 public:
  // Creates the data directory (0700) if missing, opens the store named by the config.
  // Errors: kUnavailable "storage/cannot-open", kInvalidArgument "storage/bad-database-url",
  // "app/data-dir" when the folder cannot be created.
  static Result<std::unique_ptr<Application>> Open(const Config& config);
  ~Application();

  const Config& config() const { return config_; }
  storage::Db& db() { return *db_; }

  // Every module's migrations, in dependency order.
  const std::vector<storage::Migration>& migrations() const { return AllMigrations(); }
  // Every module's migrations, in the order they are applied.
  static const std::vector<storage::Migration>& AllMigrations();
  // Applies pending migrations; refuses a store written by a newer gongzhi.
  Status Migrate(int* applied);

  // Imports divisions from config().divisions_source: the subtree of `scope` (with its
  // ancestors), or the whole country. Idempotent. `progress` is called now and then.
  Result<divisions::ImportReport> ImportDivisions(const std::optional<divisions::DivisionCode>& scope,
                                                  const divisions::ProgressFn& progress);

  // Seeds synthetic households and residents into every village of `county_code` that has none.
  Result<DemoReport> SeedDemo(std::string_view county_code);
  // `serve --demo`: imports the demo county if missing, then seeds it (both idempotent).
  Result<DemoReport> PrepareDemo(const divisions::ProgressFn& progress);

  // The background work of a serving process, started once the store is migrated: register
  // imports (fails jobs a restart interrupted, purges expired uploads, starts its runner) and
  // the appeal deadline sweep.
  Status StartBackgroundWork();
  // Stops the appeal sweep (waits for a running sweep); idempotent. The destructor does it too.
  void StopBackgroundWork();

  // HTTP: the route table, and the entry point the server calls for each request.
  const http::Router& router() const { return router_; }
  http::Metrics& metrics() { return metrics_; }
  http::Response Handle(http::Request& request) const;

  // Accounts administration for the CLI (`gongzhi account`): the same rules as the routes.
  identity::AccountService& accounts();
  // The transparency log, for the CLI (`gongzhi tlog`, `gongzhi verify --data-dir`).
  transparency::TransparencyLog& transparency_log();
  // Open311 clients' keys for the CLI (`gongzhi api-key`): the same service as the routes.
  open311::ClientService& open311_clients();

 private:
  Status ServeWebApp();
  explicit Application(Config config);
  Status Initialize();
  // The 12-digit codes of every village-level unit below `county`.
  Result<std::vector<std::string>> VillagesOf(const divisions::DivisionCode& county);
  void RegisterRoutes();

  Config config_;
  std::unique_ptr<storage::Db> db_;
  struct Modules;  // the services of every module, defined in application.cc
  std::unique_ptr<Modules> modules_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  // Whose X-Forwarded-For names the client (config trusted_proxies); empty: the peer is.
  http::TrustedProxies trusted_proxies_;
  // The built web app served at `/` (null: none); shared with the dispatcher's fallback route.
  std::shared_ptr<const WebAssets> web_;
};

}  // namespace gz::app
