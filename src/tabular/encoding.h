// Text encodings of CSV files: strict UTF-8 checks, and GB18030 <-> UTF-8 through glibc's iconv.
//
// Layer: tabular (internal). Excel and WPS on a Chinese Windows save "CSV (comma delimited)" in
// the system code page, GBK, which GB18030 extends; only "CSV UTF-8" gives UTF-8. iconv is part
// of glibc, so GB18030 costs no dependency.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gz::tabular::internal {

struct Utf8Census {
  size_t valid_multibyte = 0;  // well-formed sequences of 2 to 4 bytes
  size_t invalid = 0;          // bytes that are not part of a well-formed sequence
  size_t first_invalid = std::string_view::npos;  // byte offset of the first one
};

// Checks `text` against Unicode's well-formed UTF-8 (no overlong forms, no surrogates, nothing
// past U+10FFFF).
Utf8Census CensusUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return CensusUtf8(text).invalid == 0; }

// Converts GB18030 (which includes GBK and GB2312) to UTF-8. Returns false, with *bad_offset the
// offset of the first byte that is not GB18030, when `in` is not GB18030 or iconv is missing.
bool Gb18030ToUtf8(std::string_view in, std::string* out, size_t* bad_offset);
// The other way, for tests and for callers who must hand GBK to an old system.
bool Utf8ToGb18030(std::string_view in, std::string* out);

}  // namespace gz::tabular::internal
