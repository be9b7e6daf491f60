// Layer: open311 api (see georeport_format.h).
#include "modules/open311/api/georeport_format.h"

#include <charconv>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/request.h"
#include "modules/open311/problems.h"

namespace gz::open311::format {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 if it is not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF included).
size_t Utf8Sequence(std::string_view text, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v;
  if ((c & 0xE0) == 0xC0) n = 2, v = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, v = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, v = c & 0x07;
  else return 0;
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool XmlChar(uint32_t cp) {
  if (cp < 0x20) return cp == 0x09 || cp == 0x0A || cp == 0x0D;
  return cp != 0xFFFE && cp != 0xFFFF;
}

std::string NumberText(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

Node Node::Text(std::string text) {
  Node n(Kind::kText);
  n.text_ = std::move(text);
  return n;
}

Node Node::Number(double value) {
  if (!std::isfinite(value)) return Null();
  Node n(Kind::kNumber);
  n.number_ = value;
  return n;
}

Node Node::Integer(int64_t value) {
  Node n(Kind::kInteger);
  n.integer_ = value;
  return n;
}

Node Node::Bool(bool value) {
  Node n(Kind::kBool);
  n.bool_ = value;
  return n;
}

Node Node::OptionalText(const std::optional<std::string>& text) { return text ? Text(*text) : Null(); }

Node Node::Array(std::string item) {
  Node n(Kind::kArray);
  n.text_ = std::move(item);
  return n;
}

Node& Node::Add(std::string key, Node value) {
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Node& Node::Push(Node value) {
  items_.push_back(std::move(value));
  return *this;
}

namespace {

// Built with Boost.JSON, whose serializer escapes every string as RFC 8259 requires.
boost::json::value JsonValue(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull: return nullptr;
    case Node::Kind::kText: return boost::json::value(n.text());
    case Node::Kind::kNumber: return boost::json::value(n.number());
    case Node::Kind::kInteger: return boost::json::value(n.integer());
    case Node::Kind::kBool: return boost::json::value(n.boolean());
    case Node::Kind::kObject: {
      boost::json::object o;
      for (const auto& [k, v] : n.members()) o[k] = JsonValue(v);
      return o;
    }
    case Node::Kind::kArray: {
      boost::json::array a;
      for (const Node& v : n.items()) a.push_back(JsonValue(v));
      return a;
    }
  }
  return nullptr;
}

void AppendXml(std::string& out, const Node& n);

}  // namespace

std::string ToJson(const Node& node) { return boost::json::serialize(JsonValue(node)); }

std::string XmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t n = Utf8Sequence(text, i, &cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (!XmlChar(cp)) {
      out += kReplacement;
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";
    } else if (cp == '"') {
      out += "&quot;";
    } else if (cp == '\'') {
      out += "&apos;";
    } else if (cp == '\r') {
      out += "&#13;";  // a literal CR would be normalized away by every parser
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

namespace {

void AppendXml(std::string& out, const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull: return;
    case Node::Kind::kText: out += XmlText(n.text()); return;
    case Node::Kind::kNumber: out += NumberText(n.number()); return;
    case Node::Kind::kInteger: out += std::to_string(n.integer()); return;
    case Node::Kind::kBool: out += n.boolean() ? "true" : "false"; return;
    case Node::Kind::kObject:
      for (const auto& [k, v] : n.members()) {
        out += "<" + k + ">";
        AppendXml(out, v);
        out += "</" + k + ">";
      }
      return;
    case Node::Kind::kArray:
      for (const Node& v : n.items()) {
        out += "<" + n.text() + ">";
        AppendXml(out, v);
        out += "</" + n.text() + ">";
      }
      return;
  }
}

}  // namespace

std::string ToXml(std::string_view root, const Node& node) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
  out += root;
  out += ">";
  AppendXml(out, node);
  out += "</";
  out += root;
  out += ">\n";
  return out;
}

std::optional<std::pair<std::string, Format>> SplitExtension(std::string_view file) {
  const size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string_view ext = file.substr(dot + 1);
  std::string stem(file.substr(0, dot));
  if (ext == "json") return std::make_pair(std::move(stem), Format::kJson);
  if (ext == "xml") return std::make_pair(std::move(stem), Format::kXml);
  return std::nullopt;
}

std::string_view ContentType(Format format) {
  return format == Format::kJson ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
}

http::Response Render(int status, Format format, std::string_view xml_root, const Node& node) {
  if (format == Format::kJson) return http::Response::Json(status, ToJson(node));
  return http::Response::Text(status, ToXml(xml_root, node), ContentType(Format::kXml));
}

Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body, size_t max_pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (out.size() >= max_pairs)
      return InvalidArgument(std::string(problems::kBadParameter)).With("param", "body").With("reason", "too-many");
    const size_t eq = pair.find('=');
    std::string name, value;
    if (!http::PercentDecode(pair.substr(0, eq), &name, true))
      return InvalidArgument(std::string(problems::kBadParameter)).With("param", "body").With("reason", "encoding");
    if (eq != std::string_view::npos && !http::PercentDecode(pair.substr(eq + 1), &value, true))
      return InvalidArgument(std::string(problems::kBadParameter))
          .With("param", name.size() <= 64 ? name : name.substr(0, 64))
          .With("reason", "encoding");
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

bool IsFormContentType(std::string_view content_type) {
  const std::string lower = Lower(content_type);
  std::string_view rest = lower;
  size_t semi = rest.find(';');
  if (Trim(rest.substr(0, semi)) != "application/x-www-form-urlencoded") return false;
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    semi = rest.find(';');
    const std::string_view param = Trim(rest.substr(0, semi));
    if (param.empty()) continue;
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    if (Trim(param.substr(0, eq)) != "charset") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value != "utf-8" && value != "utf8") return false;
  }
  return true;
}

}  // namespace gz::open311::format
