// expat behind XmlVisitor. Layer: tabular (internal).
#include "tabular/xml_stream.h"

#include <expat.h>

#include <climits>
#include <string>

#include "tabular/problems.h"
#include "tabular/table_builder.h"

namespace gz::tabular::internal {
namespace {

std::string_view LocalName(const char* name) {
  std::string_view view(name);
  const size_t colon = view.rfind(':');
  return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

Status BadXml(std::string_view reason, std::string note) {
  return InvalidArgument(std::string(problems::kBadXlsx), std::move(note)).With("reason", std::string(reason));
}

}  // namespace

const char* FindAttr(const char** attrs, std::string_view name) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (LocalName(attrs[i]) == name) return attrs[i + 1];
  }
  return nullptr;
}

struct XmlStream::Impl {
  XML_Parser parser = nullptr;
  XmlVisitor* visitor = nullptr;
  const ReadLimits* limits = nullptr;
  std::string part;
  int depth = 0;
  Status status;  // the first failure raised inside a callback

  // Records the failure and stops expat; later callbacks of the same buffer are not delivered.
  void Fail(Status failure) {
    if (status.ok()) status = std::move(failure);
    XML_StopParser(parser, XML_FALSE);
  }

  // The callbacks run inside expat, which is C: an exception must not unwind through it.
  template <typename Call>
  void Deliver(Call&& call) {
    Status s = NoThrow([&] { return call(); });
    if (!s.ok()) Fail(std::move(s));
  }

  static void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* self = static_cast<Impl*>(data);
    if (!self->status.ok()) return;
    if (++self->depth > self->limits->max_xml_depth) {
      self->Fail(BadXml("xml-too-deep", self->part + ": nested deeper than " + std::to_string(self->limits->max_xml_depth)));
      return;
    }
    self->Deliver([&] { return self->visitor->Start(LocalName(name), attrs); });
  }
  static void OnEnd(void* data, const XML_Char* name) {
    auto* self = static_cast<Impl*>(data);
    if (!self->status.ok()) return;
    --self->depth;
    self->Deliver([&] { return self->visitor->End(LocalName(name)); });
  }
  static void OnText(void* data, const XML_Char* text, int len) {
    auto* self = static_cast<Impl*>(data);
    if (!self->status.ok()) return;
    self->Deliver([&] { return self->visitor->Text(std::string_view(text, static_cast<size_t>(len))); });
  }
  static void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* self = static_cast<Impl*>(data);
    self->Fail(BadXml("doctype", self->part + ": has a DOCTYPE (refused: entities)"));
  }
  static void OnEntityDecl(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                           const XML_Char*, const XML_Char*) {
    auto* self = static_cast<Impl*>(data);
    self->Fail(BadXml("doctype", self->part + ": declares an entity"));
  }
  static int OnExternalEntity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) {
    return XML_STATUS_ERROR;  // never fetch anything
  }

  Status FromParser(XML_Status rc) {
    if (!status.ok()) return status;
    if (rc == XML_STATUS_ERROR) {
      status = BadXml("bad-xml", part + ": " + XML_ErrorString(XML_GetErrorCode(parser)) + " at line " +
                                     std::to_string(XML_GetCurrentLineNumber(parser)));
    }
    return status;
  }
};

XmlStream::XmlStream(XmlVisitor& visitor, const ReadLimits& limits, std::string_view part)
    : impl_(std::make_unique<Impl>()) {
  impl_->visitor = &visitor;
  impl_->limits = &limits;
  impl_->part = std::string(part);
  impl_->parser = XML_ParserCreate(nullptr);
  if (!impl_->parser) {
    impl_->status = Internal("expat: cannot create a parser");
    return;
  }
  XML_Parser p = impl_->parser;
  XML_SetUserData(p, impl_.get());
  XML_SetElementHandler(p, &Impl::OnStart, &Impl::OnEnd);
  XML_SetCharacterDataHandler(p, &Impl::OnText);
  XML_SetStartDoctypeDeclHandler(p, &Impl::OnDoctype);
  XML_SetEntityDeclHandler(p, &Impl::OnEntityDecl);
  XML_SetExternalEntityRefHandler(p, &Impl::OnExternalEntity);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() {
  if (impl_->parser) XML_ParserFree(impl_->parser);
}

Status XmlStream::Feed(std::string_view chunk) {
  if (!impl_->status.ok()) return impl_->status;
  // Chunks come from a 64 KiB buffer, far below INT_MAX.
  if (chunk.size() > static_cast<size_t>(INT_MAX)) return Internal("XML chunk too large");
  return impl_->FromParser(XML_Parse(impl_->parser, chunk.data(), static_cast<int>(chunk.size()), XML_FALSE));
}

Status XmlStream::Finish() {
  if (!impl_->status.ok()) return impl_->status;
  return impl_->FromParser(XML_Parse(impl_->parser, nullptr, 0, XML_TRUE));
}

}  // namespace gz::tabular::internal
