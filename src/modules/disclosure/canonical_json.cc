// Layer: disclosure domain (see canonical_json.h).
#include "modules/disclosure/canonical_json.h"

namespace gz::disclosure {

CanonicalValue CanonicalValue::Null() { return CanonicalValue(); }
CanonicalValue CanonicalValue::Int(int64_t v) {
  CanonicalValue c;
  c.type_ = Type::kInt;
  c.int_ = v;
  return c;
}
CanonicalValue CanonicalValue::Bool(bool v) {
  CanonicalValue c;
  c.type_ = Type::kBool;
  c.int_ = v ? 1 : 0;
  return c;
}
CanonicalValue CanonicalValue::String(std::string_view s) {
  CanonicalValue c;
  c.type_ = Type::kString;
  c.text_ = std::string(s);
  return c;
}
CanonicalValue CanonicalValue::Array() {
  CanonicalValue c;
  c.type_ = Type::kArray;
  return c;
}
CanonicalValue CanonicalValue::Object() {
  CanonicalValue c;
  c.type_ = Type::kObject;
  return c;
}

CanonicalValue& CanonicalValue::Push(CanonicalValue v) {
  items_.push_back(std::move(v));
  return *this;
}

CanonicalValue& CanonicalValue::Set(std::string key, CanonicalValue v) {
  fields_.insert_or_assign(std::move(key), std::move(v));
  return *this;
}

void AppendCanonicalString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void CanonicalValue::AppendTo(std::string& out) const {
  switch (type_) {
    case Type::kNull: out += "null"; return;
    case Type::kInt: out += std::to_string(int_); return;
    case Type::kBool: out += int_ ? "true" : "false"; return;
    case Type::kString: AppendCanonicalString(out, text_); return;
    case Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (const CanonicalValue& v : items_) {
        if (!first) out.push_back(',');
        first = false;
        v.AppendTo(out);
      }
      out.push_back(']');
      return;
    }
    case Type::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : fields_) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, k);
        out.push_back(':');
        v.AppendTo(out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string CanonicalValue::Serialize() const {
  std::string out;
  AppendTo(out);
  return out;
}

}  // namespace gz::disclosure
