// UTF-8 census and iconv conversions. Layer: tabular (internal).
#include "tabular/encoding.h"

#include <errno.h>
#include <iconv.h>

namespace gz::tabular::internal {
namespace {

// Length of the well-formed UTF-8 sequence at text[i], or 0 (Unicode 15, table 3-7).
size_t SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// Runs iconv over all of `in`. Returns false with *bad_offset set on an invalid or incomplete
// sequence (or on any other failure, with *bad_offset 0).
bool Convert(const char* to, const char* from, std::string_view in, std::string* out, size_t* bad_offset) {
  out->clear();
  iconv_t cd = ::iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    if (bad_offset) *bad_offset = 0;
    return false;
  }
  // GB18030 never takes more than 2 UTF-8 bytes per input byte (4 bytes -> at most 4, 2 -> 3,
  // 1 -> 1), and UTF-8 never more than 4/3 GB18030 bytes per byte; E2BIG grows it anyway.
  out->resize(in.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(in.data());  // iconv's signature; it does not write
  size_t in_left = in.size();
  size_t used = 0;
  bool ok = true;
  while (in_left > 0) {
    char* out_ptr = out->data() + used;
    size_t out_left = out->size() - used;
    const size_t rc = ::iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    used = out->size() - out_left;
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out->resize(out->size() * 2);
      continue;
    }
    if (bad_offset) *bad_offset = static_cast<size_t>(in_ptr - in.data());
    ok = false;
    break;
  }
  ::iconv_close(cd);
  out->resize(ok ? used : 0);
  return ok;
}

}  // namespace

Utf8Census CensusUtf8(std::string_view text) {
  Utf8Census census;
  for (size_t i = 0; i < text.size();) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) {
      ++census.invalid;
      if (census.first_invalid == std::string_view::npos) census.first_invalid = i;
      ++i;
      continue;
    }
    if (n > 1) ++census.valid_multibyte;
    i += n;
  }
  return census;
}

bool Gb18030ToUtf8(std::string_view in, std::string* out, size_t* bad_offset) {
  return Convert("UTF-8", "GB18030", in, out, bad_offset);
}

bool Utf8ToGb18030(std::string_view in, std::string* out) {
  return Convert("GB18030", "UTF-8", in, out, nullptr);
}

}  // namespace gz::tabular::internal
