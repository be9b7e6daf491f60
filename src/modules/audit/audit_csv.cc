// Layer: audit domain (see audit_csv.h).
#include "modules/audit/audit_csv.h"

#include <chrono>

#include "core/clock.h"
#include "crypto/secrets.h"

namespace gz::audit {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void AppendCells(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view c : cells) {
    if (!first) out += ',';
    first = false;
    AppendCsvCell(out, c);
  }
  out += "\r\n";
}

}  // namespace

std::string NeutraliseCell(std::string_view text) {
  static constexpr std::string_view kFullWidth[] = {"\xEF\xBC\x9D" /* ＝ */, "\xEF\xBC\x8B" /* ＋ */,
                                                    "\xEF\xBC\x8D" /* － */, "\xEF\xBC\xA0" /* ＠ */};
  bool risky = false;
  if (!text.empty()) {
    char c = text.front();
    risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    for (std::string_view fw : kFullWidth) risky = risky || StartsWith(text, fw);
  }
  std::string out;
  out.reserve(text.size() + 1);
  if (risky) out += '\'';
  out.append(text);
  return out;
}

void AppendCsvCell(std::string& out, std::string_view text) {
  std::string cell = NeutraliseCell(text);
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string AuditCsvHeader() {
  std::string out(kUtf8Bom);
  AppendCells(out, {"seq", "at", "at_ms", "action", "outcome", "actor_account", "acting_for_account", "consent_id",
                    "roles", "division", "object_type", "object_id", "purpose", "request_id", "details", "prev_hash",
                    "hash"});
  return out;
}

void AppendAuditCsvRow(std::string& out, const AuditRecord& r) {
  const access::AuditEvent& e = r.event;
  const std::string at = FormatRfc3339(WallTime(std::chrono::milliseconds(r.at_ms)));
  AppendCells(out, {std::to_string(r.seq), at, std::to_string(r.at_ms), e.action, e.outcome,
                    std::to_string(e.actor_account), std::to_string(e.acting_for_account), std::to_string(e.consent_id),
                    e.roles, e.division, e.object_type, e.object_id, e.purpose, e.request_id, e.details,
                    crypto::HexEncode(r.prev_hash), crypto::HexEncode(r.hash)});
}

}  // namespace gz::audit
