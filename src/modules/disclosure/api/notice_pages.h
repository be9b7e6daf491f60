// HTML pages of published items: the verification page a villager opens from the QR code of a
// printed notice, its script, and the printable notices (A4/A3) themselves.
//
// Layer: disclosure api. Chinese first; every text from the item is HTML-escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/disclosure/item.h"

namespace gz::disclosure {

struct PageItem {
  Item item;
  std::vector<int64_t> corrected_by;
  std::string verify_url;  // absolute, printed as a QR code
};

// The verification page of one published item: the content, the log index and a script
// (/v/verify.js) that fetches the entry and its inclusion proof and says 已验证 / 验证失败.
std::string RenderVerifyPage(const PageItem& page);
// The script of the verification page (WebCrypto SHA-256, RFC 9162 inclusion check).
std::string_view VerifyScript();
// A printable notice of `items` on `paper` ("A4" or "A3"); `heading` names a bundle ("" for one item).
// `verifier_key` (the log's note verifier key) is printed at the foot, so that a reader can compare
// it with the key the verification page shows: the board is a channel the server cannot rewrite.
std::string RenderNotice(const std::vector<PageItem>& items, std::string_view paper, std::string_view heading,
                         std::string_view verifier_key = {});

std::string HtmlEscape(std::string_view text);
// "12,345.60" from fen.
std::string YuanText(int64_t fen);

}  // namespace gz::disclosure
