// The masking rules of docs/security-masking.md, including the awkward inputs: one-character
// names, compound surnames, characters outside the BMP, and bytes that are not UTF-8.
#include "modules/residents/masking.h"

#include <gtest/gtest.h>

namespace gz::residents {
namespace {

// True if `s` is valid UTF-8 (what every mask must return, whatever it was given).
bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

TEST(Masking, IdNumberKeepsRegionAndLastFour) {
  EXPECT_EQ(MaskIdNumber("420102199001011234"), "420102********1234");
  EXPECT_EQ(MaskIdNumber("42010219900101123X"), "420102********123X");
  EXPECT_EQ(MaskIdNumber("420102900101123"), "420102*****1123");  // an old 15-digit number
  EXPECT_EQ(MaskIdNumber("12345678901234"), "123456****1234");    // exactly 4 hidden
  EXPECT_EQ(MaskIdNumber("1234567890123"), "*************");      // too short to show anything
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(Masking, PhoneKeepsNetworkAndLastFour) {
  EXPECT_EQ(MaskPhone("15400000001"), "154****0001");
  EXPECT_EQ(MaskPhone("+8615400000001"), "+86*******0001");
  EXPECT_EQ(MaskPhone("123456789012"), "123*****9012");
  EXPECT_EQ(MaskPhone("12345678"), "********");  // too short to hide 4 digits: all hidden
}

TEST(Masking, NameKeepsTheSurname) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("王建国"), "王**");
  EXPECT_EQ(MaskName("欧阳修"), "欧阳*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧阳**");
  EXPECT_EQ(MaskName("欧阳"), "欧*");   // a compound surname alone keeps only its first character
  EXPECT_EQ(MaskName("张"), "*");       // a 1-character name shows nothing
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("阿卜杜拉·买买提"), "阿*******");
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
}

TEST(Masking, CharactersOutsideTheBmpCountAsOne) {
  // 𠀀 (U+20000) and 𪚥 (U+2A6A5): 4 bytes each in UTF-8.
  EXPECT_EQ(MaskName("𠀀明"), "𠀀*");
  EXPECT_EQ(MaskName("王𪚥𪚥"), "王**");
  EXPECT_EQ(MaskName("𪚥"), "*");
  EXPECT_EQ(CountCharacters("王𪚥"), 2u);
  EXPECT_EQ(MaskAddress("3组𠀀12号"), "3组𠀀**号");
}

TEST(Masking, InvalidUtf8IsNeverCopied) {
  const std::vector<std::string> broken = {
      "\xff",           "\xe5\xbc",        // truncated 张
      "\xe5\xbc\xa0\xff\xfe",               // 张 + garbage
      "\xc0\xaf",       "\xed\xa0\x80",    // overlong '/', a UTF-16 surrogate
      "\xf4\x90\x80\x80",                  // above U+10FFFF
      std::string("\x80\x80\x80", 3), std::string("\0a", 2),
  };
  for (const std::string& s : broken) {
    for (auto mask : {MaskName, MaskIdNumber, MaskPhone, MaskAddress}) {
      const std::string out = mask(s);
      EXPECT_TRUE(ValidUtf8(out)) << "input bytes: " << s.size();
      EXPECT_EQ(out.find('\0'), std::string::npos);
      for (unsigned char c : out) EXPECT_TRUE(c >= 0x20 || c == '*') << static_cast<int>(c);
    }
  }
  EXPECT_EQ(MaskName("\xff\xe5\xbc\xa0"), "**");       // broken first byte: nothing kept
  EXPECT_EQ(MaskName("\xe5\xbc\xa0\xff"), "张*");      // the broken byte is one masked character
  EXPECT_EQ(MaskIdNumber("420102\xff\xff\xff\xff\xff\xff\xff\xff" "1234"), "420102********1234");
  EXPECT_EQ(MaskIdNumber("42010\xff" "199001011234"), "42010*********1234");
}

TEST(Masking, AddressKeepsTheGroupAndMasksHouseNumbers) {
  EXPECT_EQ(MaskAddress("3组45号"), "3组**号");
  EXPECT_EQ(MaskAddress("成功村5组128号"), "成功村5组**号");
  EXPECT_EQ(MaskAddress("七组二十五号"), "七组**号");
  EXPECT_EQ(MaskAddress("3组张家湾12-3号"), "3组张家湾**号");
  EXPECT_EQ(MaskAddress("第二生产队１２号"), "第二生产队**号");
  EXPECT_EQ(MaskAddress("2组3组4号"), "2组3组**号");  // the last group marker counts
  EXPECT_EQ(MaskAddress("幸福路88号3栋2单元401室"), "幸福路**号**栋**单元**室");  // no group: every number
  EXPECT_EQ(MaskAddress(""), "");
}

}  // namespace
}  // namespace gz::residents
