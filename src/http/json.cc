#include "http/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <new>
#include <unordered_set>
#include <vector>

#include "http/problem.h"

namespace gz::http {
namespace {

namespace json = boost::json;

// Boost.JSON's own value-building handler (detail/handler.hpp), plus what it lacks: duplicate
// keys and non-finite numbers stop the parse, so the parser reports where they are.
class Builder {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  enum class Failure { kNone, kDuplicateKey, kNumberOutOfRange };

  Builder() { st_.reset(); }

  json::value Release() { return st_.release(); }
  Failure failure() const { return failure_; }
  const std::string& duplicate_key() const { return key_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    keys_.pop_back();
    st_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    st_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) return Fail(Failure::kDuplicateKey, ec);
    key_.clear();
    st_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st_.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    st_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    st_.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    // 1e400 would become infinity, which JSON cannot carry back out.
    if (!std::isfinite(d)) return Fail(Failure::kNumberOutOfRange, ec);
    st_.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st_.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool Fail(Failure f, json::error_code& ec) {
    failure_ = f;
    ec = json::make_error_code(json::error::syntax);
    return false;
  }

  json::value_stack st_;
  std::vector<std::unordered_set<std::string>> keys_;  // keys seen, per open object
  std::string key_;                                    // the key being read
  Failure failure_ = Failure::kNone;
};

// 1-based line and character column of byte `offset` in `text`.
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters: skip UTF-8 continuation bytes
      ++column;
    }
  }
  return {line, column};
}

Status ParseError(std::string_view slug, std::string_view text, size_t offset, std::string reason) {
  auto [line, column] = LineAndColumn(text, offset);
  Status status = InvalidArgument(std::string(slug), reason);
  status.With("line", std::to_string(line))
      .With("column", std::to_string(column))
      .With("offset", std::to_string(offset))
      .With("reason", std::move(reason));
  return status;
}

}  // namespace

Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits) {
  try {
    json::parse_options options;
    options.max_depth = limits.max_depth;
    json::basic_parser<Builder> parser(options);
    json::error_code ec;
    size_t consumed = parser.write_some(/*more=*/false, text.data(), text.size(), ec);
    if (ec) {
      const Builder& b = parser.handler();
      if (b.failure() == Builder::Failure::kDuplicateKey) {
        Status s = ParseError(problems::kDuplicateJsonKey, text, consumed, "duplicate key");
        return std::move(s).With("key", b.duplicate_key().substr(0, 64));
      }
      if (b.failure() == Builder::Failure::kNumberOutOfRange)
        return ParseError(problems::kMalformedJson, text, consumed, "number out of range");
      if (ec == json::error::too_deep) {
        Status s = ParseError(problems::kJsonTooDeep, text, consumed, ec.message());
        return std::move(s).With("max_depth", std::to_string(limits.max_depth));
      }
      return ParseError(problems::kMalformedJson, text, consumed, ec.message());
    }
    if (consumed < text.size())
      return ParseError(problems::kMalformedJson, text, consumed, "extra data after the JSON value");
    return parser.handler().Release();
  } catch (const std::bad_alloc&) {
    return Internal("out of memory while parsing JSON");
  } catch (const std::exception& e) {
    // Only the value stack throws (a string or array beyond max_size); treat it as bad input.
    return ParseError(problems::kMalformedJson, text, 0, e.what());
  }
}

Result<boost::json::object> ParseJsonObject(const Request& request, const JsonLimits& limits) {
  GZ_ASSIGN_OR_RETURN(json::value value, ParseJson(request.body, limits));
  if (!value.is_object()) return InvalidArgument(std::string(problems::kExpectedObject));
  return std::move(value.as_object());
}

Response JsonResponse(int status, const boost::json::value& value) {
  return Response::Json(status, json::serialize(value));
}

Response JsonResponse(int status, const boost::json::object& object) {
  return Response::Json(status, json::serialize(object));
}

namespace {

Status FieldError(std::string_view slug, std::string_view key) {
  return InvalidArgument(std::string(slug)).With("field", std::string(key.substr(0, 64)));
}
Status BadField(std::string_view key, std::string reason) {
  return FieldError(problems::kBadField, key).With("reason", std::move(reason));
}

Result<std::string> CheckedString(std::string_view key, const json::value& v, size_t max_bytes) {
  if (!v.is_string()) return BadField(key, "not-a-string");
  const json::string& s = v.get_string();
  if (s.size() > max_bytes) return BadField(key, "too-long").With("limit", std::to_string(max_bytes));
  if (std::string_view(s).find('\0') != std::string_view::npos) return BadField(key, "control-character");
  return std::string(s);
}

}  // namespace

Status JsonFields::Only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : object_) {
    bool known = false;
    for (std::string_view a : allowed) known |= kv.key() == a;
    if (!known) return FieldError(problems::kUnknownField, kv.key());
  }
  return Status::Ok();
}

bool JsonFields::Has(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && !it->value().is_null();
}

Result<std::string> JsonFields::String(std::string_view key, size_t max_bytes) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return FieldError(problems::kMissingField, key);
  return CheckedString(key, it->value(), max_bytes);
}

Result<std::optional<std::string>> JsonFields::OptionalString(std::string_view key, size_t max_bytes) const {
  if (!Has(key)) return std::optional<std::string>();
  GZ_ASSIGN_OR_RETURN(std::string s, CheckedString(key, object_.at(key), max_bytes));
  return std::optional<std::string>(std::move(s));
}

Result<int64_t> JsonFields::Integer(std::string_view key, int64_t min, int64_t max) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return FieldError(problems::kMissingField, key);
  const json::value& v = it->value();
  int64_t n = 0;
  if (v.is_int64()) n = v.get_int64();
  else if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) n = static_cast<int64_t>(v.get_uint64());
  else if (v.is_uint64()) return BadField(key, "out-of-range");
  else return BadField(key, "not-an-integer");
  if (n < min || n > max) return BadField(key, "out-of-range");
  return n;
}

Result<std::optional<int64_t>> JsonFields::OptionalInteger(std::string_view key, int64_t min, int64_t max) const {
  if (!Has(key)) return std::optional<int64_t>();
  GZ_ASSIGN_OR_RETURN(int64_t n, Integer(key, min, max));
  return std::optional<int64_t>(n);
}

Result<bool> JsonFields::Bool(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return FieldError(problems::kMissingField, key);
  if (!it->value().is_bool()) return BadField(key, "not-a-boolean");
  return it->value().get_bool();
}

Result<std::optional<bool>> JsonFields::OptionalBool(std::string_view key) const {
  if (!Has(key)) return std::optional<bool>();
  GZ_ASSIGN_OR_RETURN(bool b, Bool(key));
  return std::optional<bool>(b);
}

Result<std::vector<std::string>> JsonFields::StringArray(std::string_view key, size_t max_items,
                                                         size_t max_bytes) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return FieldError(problems::kMissingField, key);
  if (!it->value().is_array()) return BadField(key, "not-an-array");
  const json::array& a = it->value().get_array();
  if (a.size() > max_items) return BadField(key, "too-many-items").With("limit", std::to_string(max_items));
  std::vector<std::string> out;
  out.reserve(a.size());
  for (const json::value& v : a) {
    GZ_ASSIGN_OR_RETURN(std::string s, CheckedString(key, v, max_bytes));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gz::http
