#include "app/system_routes.h"

#include <boost/json.hpp>

#include "access/policy.h"
#include "access/role.h"
#include "http/json.h"

namespace gz::app {

const ProblemText kSystemProblems[] = {
    {"system/not-ready", "服务尚未就绪", "数据存储不可用或尚未完成升级：{reason}", "Not ready",
     "The store is unreachable or not fully migrated: {reason}"},
    {"system/metrics-forbidden", "无权读取运行指标", "运行指标仅对本机或持有令牌的监控系统开放",
     "Metrics are not public", "Metrics are served to loopback callers or to holders of the metrics token only"},
};
const size_t kSystemProblemCount = std::size(kSystemProblems);

namespace {

bool IsLoopback(std::string_view addr) {
  return addr.starts_with("127.") || addr == "::1" || addr.starts_with("::ffff:127.");
}

// Constant-time comparison, so the token cannot be guessed byte by byte from response times.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The store's write counters (storage/db.h): committed writes / commits is what group commit
// achieves, one fsync for several acknowledged writes.
std::string StorageMetrics(const storage::Db& db) {
  const storage::WriteCounters c = db.write_counters();
  std::string out;
  auto counter = [&out](const char* name, const char* help, int64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(value) + "\n";
  };
  counter("gz_storage_writes_total", "Store write transactions requested (callbacks run).", c.writes);
  counter("gz_storage_committed_writes_total", "Store writes acknowledged after a durable commit.", c.committed_writes);
  counter("gz_storage_commits_total", "Store commits (one fsync each on SQLite; group commit shares one among several writes).",
          c.commits);
  return out;
}

}  // namespace

void RegisterSystemRoutes(http::Router& router, SystemRouteDeps deps) {
  router.Add({http::Method::kGet, "/healthz", "system.health", "public", "Liveness: the process serves requests", false, 0,
              [version = deps.version](http::Request&) -> Result<http::Response> {
                return http::JsonResponse(200, boost::json::object{{"status", "ok"}, {"version", version}});
              }});

  router.Add({http::Method::kGet, "/readyz", "system.ready", "public",
              "Readiness: the store answers and is fully migrated", false, 0,
              [deps](http::Request&) -> Result<http::Response> {
                Status ping = deps.db->Ping();
                if (!ping.ok())
                  return Unavailable("system/not-ready", ping.ToString()).With("reason", "store unreachable");
                auto state = storage::CheckMigrations(*deps.db, *deps.migrations);
                if (!state.ok())
                  return Unavailable("system/not-ready", state.status().ToString()).With("reason", "store unreadable");
                if (!state->pending.empty())
                  return Unavailable("system/not-ready")
                      .With("reason", std::to_string(state->pending.size()) + " migration(s) pending");
                if (!state->unknown.empty())
                  return Unavailable("system/not-ready").With("reason", "store is newer than this binary");
                return http::JsonResponse(
                    200, boost::json::object{{"status", "ready"}, {"migrations", state->applied}});
              }});

  router.Add({http::Method::kGet, "/metrics", "system.metrics", "system.metrics",
              "Prometheus metrics (loopback callers, or Authorization: Bearer <metrics token>)", false, 0,
              [deps](http::Request& req) -> Result<http::Response> {
                bool allowed = false;
                if (!deps.metrics_token.empty()) {
                  std::string_view auth = req.Header("authorization");
                  allowed = auth.starts_with("Bearer ") && SameSecret(auth.substr(7), deps.metrics_token);
                } else {
                  // A local reverse proxy connects from loopback too: what it forwards (it says
                  // so in these headers) is not a local caller, trusted proxies configured or not.
                  allowed = IsLoopback(req.remote_addr) && !req.HasHeader("x-forwarded-for") &&
                            !req.HasHeader("x-real-ip") && !req.HasHeader("forwarded");
                }
                if (!allowed) return PermissionDenied("system/metrics-forbidden");
                return http::Response::Text(200, deps.metrics->RenderPrometheus() + StorageMetrics(*deps.db),
                                            "text/plain; version=0.0.4; charset=utf-8");
              }});

  router.Add({http::Method::kGet, "/api/v1/access-policy", "system.access_policy", "public",
              "The authorization policy: every permission, who holds it, and the permission of every route",
              false, 0, [router = deps.router](http::Request&) -> Result<http::Response> {
                boost::json::array permissions;
                for (const access::Permission& p : access::PolicyTable()) {
                  boost::json::array rules;
                  for (const access::Rule& r : p.rules) {
                    std::string_view reach = r.reach == access::Reach::kAny     ? "any"
                                             : r.reach == access::Reach::kScope ? "scope"
                                                                                : "self";
                    rules.push_back({{"role", access::RoleCode(r.role)}, {"reach", reach}});
                  }
                  std::string_view audience = p.audience == access::Audience::kPublic     ? "public"
                                              : p.audience == access::Audience::kSignedIn ? "signed_in"
                                                                                          : "roles";
                  permissions.push_back({{"name", p.name},
                                         {"audience", audience},
                                         {"rules", std::move(rules)},
                                         {"delegable", p.delegable},
                                         {"summary", p.summary}});
                }
                boost::json::array routes;
                if (router != nullptr)
                  for (const http::Route& r : router->routes())
                    routes.push_back({{"method", http::MethodName(r.method)},
                                      {"pattern", r.pattern},
                                      {"operation_id", r.operation_id},
                                      {"permission", r.permission}});
                boost::json::array roles;
                for (access::Role role : access::AllRoles())
                  roles.push_back({{"code", access::RoleCode(role)},
                                   {"name_zh", access::RoleNameZh(role)},
                                   {"name_en", access::RoleNameEn(role)},
                                   {"staff", access::IsStaff(role)}});
                http::Response res = http::JsonResponse(
                    200, boost::json::object{{"roles", std::move(roles)},
                                             {"permissions", std::move(permissions)},
                                             {"routes", std::move(routes)}});
                res.SetHeader("Cache-Control", "public, max-age=300");
                return res;
              }});

  router.Add({http::Method::kGet, "/api/openapi.json", "system.openapi", "public",
              "This API described in OpenAPI 3.1", false, 0, [](http::Request&) -> Result<http::Response> {
                http::Response r = http::Response::Json(200, std::string(OpenApiDocument()));
                r.SetHeader("Cache-Control", "public, max-age=300");
                return r;
              }});
}

}  // namespace gz::app
