// XmlStream: expat, configured for files from strangers, fed chunk by chunk from a ZIP entry.
//
// Layer: tabular (internal; the only file that includes expat.h is xml_stream.cc).
// A document with a DOCTYPE is refused outright (reason "doctype"): Office never writes one, and
// refusing it closes entity expansion ("billion laughs") and external entities (file and network
// reads) at the root, whatever expat's own defaults are. Elements nested deeper than
// ReadLimits::max_xml_depth are refused ("xml-too-deep"). Names reach the visitor without their
// namespace prefix ("x:c" -> "c"): producers differ in prefixes, never in local names.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular::internal {

class XmlVisitor {
 public:
  virtual ~XmlVisitor() = default;
  // `attrs` holds name/value pairs, names without prefix, and ends with nullptr.
  virtual Status Start(std::string_view name, const char** attrs) = 0;
  virtual Status End(std::string_view name) = 0;
  virtual Status Text(std::string_view text) = 0;
};

// The value of attribute `name` (without prefix) in an expat attribute list, or nullptr.
const char* FindAttr(const char** attrs, std::string_view name);

class XmlStream {
 public:
  // `part` names the ZIP entry, for log notes only.
  XmlStream(XmlVisitor& visitor, const ReadLimits& limits, std::string_view part);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Feeds the next chunk; the first failure (from XML or from the visitor) sticks.
  Status Feed(std::string_view chunk);
  // Ends the document: fails if it is incomplete.
  Status Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gz::tabular::internal
