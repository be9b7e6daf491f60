// CSV export of audit records, safe to open in a spreadsheet.
//
// Layer: audit domain. RFC 4180 (CRLF line ends, every cell quoted, '"' doubled), UTF-8 with a
// byte-order mark so that Excel and WPS read Chinese text correctly. Formula injection (CWE-1236)
// is neutralised: a cell whose text starts with = + - @ TAB CR, or with the full-width ＝ ＋ － ＠
// (which spreadsheets in a Chinese locale also treat as formula starts), gets a leading apostrophe.
#pragma once

#include <string>
#include <string_view>

#include "modules/audit/audit_record.h"

namespace gz::audit {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// An export stops after this many records; the response says so (and where to continue).
inline constexpr int64_t kMaxExportRows = 100'000;

// The cell text with the apostrophe added when it would start a formula (not yet quoted).
std::string NeutraliseCell(std::string_view text);
// Appends `text` as one quoted, neutralised cell (no separator).
void AppendCsvCell(std::string& out, std::string_view text);

// The header line (BOM first), and one line per record; both end with CRLF.
std::string AuditCsvHeader();
void AppendAuditCsvRow(std::string& out, const AuditRecord& record);

}  // namespace gz::audit
