// CanonicalJson: the one JSON writer whose bytes are part of a public record (the transparency
// log's entries, docs/disclosure.md "Log entry format"). Deterministic by construction: object
// keys sorted by their UTF-8 bytes, no whitespace, integers only (no floats exist in the model),
// strings escaped minimally (only `"` `\` and U+0000..U+001F, the latter as \u00xx lower-case).
//
// Layer: disclosure domain (standard library only).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gz::disclosure {

class CanonicalValue {
 public:
  static CanonicalValue Null();
  static CanonicalValue Int(int64_t v);
  static CanonicalValue Bool(bool v);
  static CanonicalValue String(std::string_view s);
  static CanonicalValue Array();
  static CanonicalValue Object();

  // Arrays: appends. Objects: sets a key (replacing). Return *this for chaining.
  CanonicalValue& Push(CanonicalValue v);
  CanonicalValue& Set(std::string key, CanonicalValue v);

  std::string Serialize() const;
  void AppendTo(std::string& out) const;

 private:
  enum class Type { kNull, kInt, kBool, kString, kArray, kObject };
  Type type_ = Type::kNull;
  int64_t int_ = 0;
  std::string text_;
  std::vector<CanonicalValue> items_;
  std::map<std::string, CanonicalValue> fields_;  // std::map orders std::string keys bytewise
};

// Appends `s` as a canonical JSON string (with quotes). `s` must be valid UTF-8 (callers check).
void AppendCanonicalString(std::string& out, std::string_view s);

}  // namespace gz::disclosure
