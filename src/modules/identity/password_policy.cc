#include "modules/identity/password_policy.h"

#include <algorithm>

#include "modules/identity/problems.h"

namespace gz::identity {

// Defined in the file CMake generates from /usr/share/john/password.lst (john-data).
extern const char kOpenwallPasswordList[];

namespace {

// Passwords seen again and again in Chinese leaks (CSDN 2011, 12306, Tianya...), and pinyin words
// people build passwords from. Entries shorter than 8 characters still matter: they are the
// stems people pad ("woaini" -> "woaini1314" is listed separately). Lower case.
constexpr std::string_view kChinesePatterns[] = {
    "123456", "12345678", "123456789", "1234567890", "5201314", "52013141314", "5201314520", "1314520", "1314521",
    "520520", "5211314", "7758521", "7758258", "woaini", "woaini1314", "woaini520", "woaini521", "woainima",
    "aini1314", "iloveyou", "iloveyou1314", "qq123456", "qq5201314", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t",
    "qwe123456", "123qwe", "123qweasd", "qweasdzxc", "asd123456", "zxc123456", "a123456", "a12345678",
    "a123456789", "123456a", "123456789a", "aa123456", "abc123456", "wo123456", "111111", "11111111", "000000",
    "00000000", "888888", "88888888", "666666", "66666666", "11223344", "12344321", "147258", "147258369",
    "147852369", "159357", "159753", "12369874", "987654321", "31415926", "3.1415926", "123123123", "112233",
    "woshishui", "nihao123", "nihaoma", "baobao", "baobei", "baobei520", "laogong", "laopo", "laopo520",
    "wodemima", "mima1234", "mimamima", "zhang123", "wang123", "li123456", "zhangwei", "wangwei", "liuyang",
    "wangjing", "lijing", "zhangmin", "zhongguo", "zhonghua", "china123", "beijing", "shanghai", "shenzhen",
    "wuhan", "wuhan123", "hubei", "caidian", "huawei", "xiaomi", "taobao", "weixin", "qqqqqq", "qqqqqqqq",
    "asdfghjkl", "zxcvbnm", "qwertyuiop", "cunmin", "cunweihui", "zhengfu", "dangyuan", "gongzhi",
    "gongzhi123", "admin123", "admin888", "root1234", "password", "passw0rd", "p@ssw0rd", "mima", "mima123",
};

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string RemoveAll(std::string text, std::string_view word) {
  if (word.empty()) return text;
  for (size_t pos; (pos = text.find(word)) != std::string::npos;) text.erase(pos, word.size());
  return text;
}

Status Weak(std::string reason) {
  return InvalidArgument(std::string(problems::kWeakPassword)).With("reason", std::move(reason));
}

}  // namespace

size_t Utf8Length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

const PasswordPolicy& PasswordPolicy::Default() {
  static const PasswordPolicy policy = [] {
    PasswordPolicy p;
    std::string_view list = kOpenwallPasswordList;
    while (!list.empty()) {
      size_t nl = list.find('\n');
      std::string_view line = list.substr(0, nl);
      list = nl == std::string_view::npos ? std::string_view() : list.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.starts_with("#!comment")) continue;
      p.Add(line);
    }
    for (std::string_view e : kChinesePatterns) p.Add(e);
    return p;
  }();
  return policy;
}

PasswordPolicy::PasswordPolicy(const std::vector<std::string>& entries) {
  for (const auto& e : entries) Add(e);
  for (std::string_view e : kChinesePatterns) Add(e);
}

void PasswordPolicy::Add(std::string_view entry) { blocked_.insert(LowerAscii(entry)); }

bool PasswordPolicy::IsBlocked(std::string_view password) const { return blocked_.count(LowerAscii(password)) > 0; }

Status PasswordPolicy::Check(std::string_view password, bool staff, const std::vector<std::string>& context) const {
  const size_t min = staff ? kMinPasswordCharsStaff : kMinPasswordCharsVillager;
  if (password.size() > kMaxPasswordBytes) return Weak("too-long").With("max", std::to_string(kMaxPasswordBytes));
  for (unsigned char c : password)
    if (c < 0x20 || c == 0x7f) return Weak("control-character");
  if (Utf8Length(password) < min) return Weak("too-short").With("min", std::to_string(min));
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); }))
    return Weak("repeated");
  if (IsBlocked(password)) return Weak("blocked");
  std::string rest = LowerAscii(password);
  std::vector<std::string> words = {"gongzhi"};
  for (const auto& c : context)
    if (!c.empty()) words.push_back(LowerAscii(c));
  bool had_context = false;
  for (const auto& w : words) {
    std::string removed = RemoveAll(rest, w);
    had_context = had_context || removed.size() != rest.size();
    rest = std::move(removed);
  }
  if (had_context && (Utf8Length(rest) < 6 || IsBlocked(rest))) return Weak("context");
  return Status::Ok();
}

}  // namespace gz::identity
