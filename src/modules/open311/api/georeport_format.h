// The two wire formats of GeoReport v2, JSON and XML, from one small document tree; and the
// form-encoded bodies GeoReport POSTs.
//
// Layer: open311 api. The standard requires XML of servers and JSON is what most clients use:
// each resource is built once as a Node and written in the format the path's extension names.
// XML is written by hand because it is simple and must be exact: elements only (no attributes),
// names are ours, and every text is escaped (& < > " ') with the characters XML 1.0 forbids
// (controls other than TAB, LF, CR; U+FFFE, U+FFFF; invalid UTF-8) replaced by U+FFFD, so the
// document is well-formed whatever a villager typed. The tests parse it with expat.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/response.h"

namespace gz::open311::format {

enum class Format { kJson, kXml };

class Node {
 public:
  enum class Kind { kNull, kText, kNumber, kInteger, kBool, kObject, kArray };

  static Node Null() { return Node(Kind::kNull); }
  static Node Text(std::string text);
  static Node Number(double value);
  static Node Integer(int64_t value);
  static Node Bool(bool value);
  // An optional text: null when absent.
  static Node OptionalText(const std::optional<std::string>& text);
  static Node Object() { return Node(Kind::kObject); }
  // `item` names each element of the array in XML ("request" in <service_requests>).
  static Node Array(std::string item);

  // Object members, in order. REQUIRES: kind() == kObject.
  Node& Add(std::string key, Node value);
  // Array items. REQUIRES: kind() == kArray.
  Node& Push(Node value);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }  // kText; kArray: the item name
  double number() const { return number_; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return bool_; }
  const std::vector<std::pair<std::string, Node>>& members() const { return members_; }
  const std::vector<Node>& items() const { return items_; }

 private:
  explicit Node(Kind kind) : kind_(kind) {}

  Kind kind_;
  std::string text_;  // kText; kArray: the item name
  double number_ = 0;
  int64_t integer_ = 0;
  bool bool_ = false;
  std::vector<std::pair<std::string, Node>> members_;
  std::vector<Node> items_;
};

std::string ToJson(const Node& node);
// <?xml version="1.0" encoding="UTF-8"?><root>...</root>. `root` must be an XML name.
std::string ToXml(std::string_view root, const Node& node);
// Escaped character data: what ToXml writes for a text.
std::string XmlText(std::string_view text);

// "requests.json" -> ("requests", kJson); "7.xml" -> ("7", kXml); nullopt otherwise.
std::optional<std::pair<std::string, Format>> SplitExtension(std::string_view file);
std::string_view ContentType(Format format);  // "application/json; charset=utf-8" | "text/xml; charset=utf-8"

// A response in `format`; `xml_root` names the root element.
http::Response Render(int status, Format format, std::string_view xml_root, const Node& node);

// application/x-www-form-urlencoded (the HTML form encoding: '+' is a space). Pairs in order,
// names and values percent-decoded. kInvalidArgument "open311/bad-parameter" {param, reason:
// "encoding"} for a malformed escape, {param: "body", reason: "too-many"} past `max_pairs`.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body, size_t max_pairs);
// True for "application/x-www-form-urlencoded", with parameters allowed (charset=utf-8 or none).
bool IsFormContentType(std::string_view content_type);

}  // namespace gz::open311::format
