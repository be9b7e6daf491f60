// Structured logging: one JSON object per line on stderr.
//
// Layer: core. Fields are typed so that numbers stay numbers in the JSON. Never log personal
// data (names, ID numbers, phone numbers, free text written by villagers) or secrets; config
// values that may hold secrets go through MaskSecrets() first. Thread-safe: each line is
// written with one write(2) call.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace gz::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  std::variant<std::string, int64_t, double, bool> value;
};

void SetMinLevel(Level level);
Level MinLevel();
// Parses "debug", "info", "warn", "error"; returns false on anything else.
bool ParseLevel(std::string_view text, Level* out);

// Writes {"ts":"...","level":"info","event":"<event>", fields...}.
void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {});
// The same, for a field list built at run time.
void WriteFields(Level level, std::string_view event, const Field* fields, size_t count);

inline void Debug(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kDebug, e, f); }
inline void Info(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kInfo, e, f); }
inline void Warn(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kWarn, e, f); }
inline void Error(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kError, e, f); }

// Appends `text` to `out` as the inside of a JSON string (quotes not included). Control
// characters, quotes and backslashes are escaped, invalid UTF-8 becomes U+FFFD, so a hostile
// value cannot forge a log line.
void AppendJsonEscaped(std::string& out, std::string_view text);

// For tests: capture log lines instead of writing them to stderr. Pass nullptr to restore.
void CaptureForTest(std::string* sink);

}  // namespace gz::log
