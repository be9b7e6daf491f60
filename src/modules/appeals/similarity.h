// How alike two appeal texts are, for "similar open appeals" (相似诉求) before filing.
//
// Layer: appeals domain (standard library only). Chinese has no spaces, so words are not the
// unit: the Dice coefficient of the texts' character bigrams (letters, digits and CJK characters;
// punctuation and spaces separate), which finds "村口路灯不亮" and "路灯坏了村口很黑" alike. It is
// a ranking aid shown to people, who decide themselves whether to join; nothing is merged
// automatically.
#pragma once

#include <string>
#include <string_view>

namespace gz::appeals {

// 0 (nothing shared) .. 1 (the same bigrams). Texts with fewer than one bigram score 0.
double TextSimilarity(std::string_view a, std::string_view b);

// The first `max_chars` characters of `text` (whole UTF-8 characters), with "…" when cut, control
// characters and line breaks turned into spaces.
std::string Excerpt(std::string_view text, size_t max_chars);

}  // namespace gz::appeals
