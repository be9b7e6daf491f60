// gongzhi serve: migrate the store, optionally prepare the demo county, and serve HTTP until
// SIGTERM or SIGINT (in-flight requests finish, then exit 0).
#include <cstdio>
#include <filesystem>

#include "access/role.h"
#include "app/application.h"
#include "app/version.h"
#include "cli/command.h"
#include "core/log.h"
#include "server/server.h"

namespace gz::cli {
namespace {

void PrintBanner(const app::Config& config, uint16_t port, const app::DemoReport* demo) {
  std::string base = "http://" + (config.listen_address == "0.0.0.0" ? std::string("127.0.0.1") : config.listen_address) +
                     ":" + std::to_string(port);
  std::printf("\n共治 gongzhi %.*s is serving on %s\n", static_cast<int>(app::Version().size()), app::Version().data(),
              base.c_str());
  if (demo) {
    std::printf("Demo county %s: %lld townships and villages, %lld households, %lld residents (synthetic).\n",
                config.demo_county.c_str(), static_cast<long long>(demo->divisions_in_county),
                static_cast<long long>(demo->households), static_cast<long long>(demo->residents));
    if (demo->accounts.empty()) {
      std::printf("Demo accounts: none (they are defined for the demo county 420114).\n");
    } else {
      std::printf("Demo accounts (password %.*s; staff also need the TOTP code of their secret):\n",
                  static_cast<int>(identity::kDemoPassword.size()), identity::kDemoPassword.data());
      for (const identity::DemoAccount& a : demo->accounts) {
        std::string_view role = access::RoleCode(a.role);
        std::printf("  %s  %-17.*s %s %-10s %s\n", a.phone.c_str(), static_cast<int>(role.size()), role.data(),
                    a.scope.c_str(), a.scope_name.c_str(), a.totp_secret.empty() ? "-" : a.totp_secret.c_str());
      }
      std::printf("Sign in: POST %s/api/v1/auth/sign-in {\"phone\",\"password\",\"totp\",\"client\":\"bearer\"}\n",
                  base.c_str());
    }
  }
  std::printf("Open:\n");
  std::error_code ec;
  if (!config.web_root.empty() && std::filesystem::exists(std::filesystem::path(config.web_root) / "index.html", ec))
    std::printf("  %s/                                  the web app (villagers and staff)\n", base.c_str());
  std::printf("  %s/api/v1/divisions/%s             the county with its ancestors\n", base.c_str(), config.demo_county.c_str());
  std::printf("  %s/api/v1/divisions/%s/children    its townships\n", base.c_str(), config.demo_county.c_str());
  std::printf("  %s/api/openapi.json                  every endpoint (OpenAPI 3.1)\n", base.c_str());
  std::printf("  %s/tlog/checkpoint                   the transparency log (check it: gongzhi verify --url %s)\n",
              base.c_str(), base.c_str());
  std::printf("  %s/healthz  %s/readyz  %s/metrics\n", base.c_str(), base.c_str(), base.c_str());
  std::printf("Stop with Ctrl-C.\n\n");
  std::fflush(stdout);
}

}  // namespace

Command AddServeCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("serve", "Serve the HTTP API (migrates the store first)");
  auto flags = std::make_shared<SettingFlags>();
  flags->AddTo(cmd, {"config", "listen", "data_dir", "database", "demo", "demo_county", "divisions_source", "web_root", "threads",
                     "log_level", "max_body_bytes", "max_header_bytes", "header_timeout", "request_timeout",
                     "idle_timeout", "shutdown_grace", "metrics_token", "trusted_proxies", "division_cache_seconds", "field_cipher", "session_idle_staff_minutes",
                     "session_idle_villager_minutes", "session_absolute_hours", "cookie_secure", "sign_in_per_minute", "sms_outbox", "public_url",
                     "appeal_reopen_limit", "appeal_rating_window_hours", "appeal_contest_limit", "appeal_max_open",
                     "appeal_sweep_seconds", "appeal_suggest_min_history", "appeal_suggest_retrain_minutes",
                     "tlog_origin", "tlog_sign_delay_ms"});
  return {cmd, [flags] {
            int exit_code = 1;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "serve", /*log_config=*/true, &exit_code);
            if (!opened) return exit_code;
            const app::Config* config = &opened->config;
            app::Application& app = *opened->app;
            log::Info("migrated", {{"applied", opened->migrations_applied}});

            app::DemoReport demo;
            if (config->demo) {
              auto report = app.PrepareDemo([](const divisions::ImportProgress& p) {
                if (p.file_done)
                  log::Info("demo.import_progress", {{"file", p.file}, {"rows_read", p.rows_read}, {"kept", p.kept_total}});
              });
              if (!report.ok()) return ReportFailure("cannot prepare the demo county", report.status());
              demo = *report;
              log::Info("demo.ready", {{"county", config->demo_county},
                                       {"divisions_imported", demo.divisions_imported},
                                       {"residents_seeded", demo.residents_seeded},
                                       {"households", demo.households},
                                       {"residents", demo.residents}});
            }

            if (Status s = app.StartBackgroundWork(); !s.ok()) return ReportFailure("cannot start background work", s);

            server::ServerOptions options;
            options.address = config->listen_address;
            options.port = config->listen_port;
            options.threads = config->threads;
            // Routes that take files (consent evidence, register imports) declare larger limits;
            // the server reads up to the largest and the dispatcher applies each route's own.
            options.max_body_bytes = app.router().LargestBodyLimit(config->max_body_bytes);
            options.body_limit_for = [&app, default_limit = config->max_body_bytes](http::Method method,
                                                                                   std::string_view path) {
              http::Router::Match match = app.router().Find(method, path, nullptr);
              return match.route != nullptr && match.route->max_body_bytes != 0 ? match.route->max_body_bytes
                                                                                 : default_limit;
            };
            options.max_header_bytes = config->max_header_bytes;
            options.header_timeout = config->header_timeout;
            options.request_timeout = config->request_timeout;
            options.idle_timeout = config->idle_timeout;
            options.shutdown_grace = config->shutdown_grace;
            server::Server server(options, [&app](http::Request& r) { return app.Handle(r); }, app.metrics());
            if (Status s = server.Listen(); !s.ok()) return ReportFailure("cannot listen", s);
            log::Info("listening", {{"address", config->listen_address}, {"port", static_cast<int>(server.port())}});
            PrintBanner(*config, server.port(), config->demo ? &demo : nullptr);
            server.Run(/*handle_signals=*/true);
            // The sweep writes to the store: stop it before the Application closes the store.
            app.StopBackgroundWork();
            log::Info("stopped");
            return 0;
          }};
}

}  // namespace gz::cli
