#include "modules/residents/synthetic_names.h"

#include <array>
#include <vector>

namespace gz::residents {
namespace {

struct Surname {
  std::string_view text;
  int weight;  // share of the population in 1/10,000
};

// The 100 most common surnames of mainland China with their approximate shares, after the 2006
// study of the Chinese Academy of Sciences (袁义达 et al.; the top ten: 李 7.94%, 王 7.41%,
// 张 7.07%, 刘 5.38%, 陈 4.53%, 杨 3.08%, 赵 2.29%, 黄 2.23%, 周 2.12%, 吴 2.05%). Ranks 11-100
// follow the same ranking; their shares are rounded. Simplified forms as written on ID cards
// (肖, 闫).
constexpr Surname kSurnames[] = {
    {"李", 794}, {"王", 741}, {"张", 707}, {"刘", 538}, {"陈", 453}, {"杨", 308}, {"赵", 229}, {"黄", 223},
    {"周", 212}, {"吴", 205}, {"徐", 167}, {"孙", 154}, {"胡", 131}, {"朱", 126}, {"高", 121}, {"林", 118},
    {"何", 117}, {"郭", 115}, {"马", 105}, {"罗", 86},  {"梁", 83},  {"宋", 81},  {"郑", 78},  {"谢", 72},
    {"韩", 68},  {"唐", 65},  {"冯", 64},  {"于", 62},  {"董", 61},  {"肖", 59},  {"程", 57},  {"曹", 57},
    {"袁", 54},  {"邓", 54},  {"许", 54},  {"傅", 51},  {"沈", 50},  {"曾", 50},  {"彭", 50},  {"吕", 47},
    {"苏", 46},  {"卢", 46},  {"蒋", 46},  {"蔡", 45},  {"贾", 42},  {"丁", 42},  {"魏", 41},  {"薛", 40},
    {"叶", 39},  {"闫", 38},  {"余", 37},  {"潘", 37},  {"杜", 36},  {"戴", 35},  {"夏", 35},  {"钟", 35},
    {"汪", 34},  {"田", 33},  {"任", 33},  {"姜", 32},  {"范", 31},  {"方", 31},  {"石", 30},  {"姚", 30},
    {"谭", 29},  {"廖", 29},  {"邹", 28},  {"熊", 27},  {"金", 27},  {"陆", 26},  {"郝", 26},  {"孔", 25},
    {"白", 25},  {"崔", 24},  {"康", 24},  {"毛", 24},  {"邱", 24},  {"秦", 23},  {"江", 23},  {"史", 22},
    {"顾", 22},  {"侯", 22},  {"邵", 22},  {"孟", 21},  {"龙", 21},  {"万", 21},  {"段", 21},  {"雷", 20},
    {"钱", 20},  {"汤", 19},  {"尹", 19},  {"黎", 19},  {"易", 19},  {"常", 18},  {"武", 18},  {"乔", 18},
    {"贺", 18},  {"赖", 17},  {"龚", 17},  {"文", 16},
};
static_assert(std::size(kSurnames) == 100);

std::vector<int> SurnameWeights() {
  std::vector<int> w;
  for (const Surname& s : kSurnames) w.push_back(s.weight);
  return w;
}

// Common given-name characters by generation and gender: first and second characters of
// two-character names, and one-character names. Typical of birth cohorts (建国 and 秀英 for the
// 1950s, 伟 and 丽 for the 1970s-80s, 子轩 and 梓涵 for the 2010s).
struct NamePool {
  std::span<const std::string_view> first;
  std::span<const std::string_view> second;
  std::span<const std::string_view> single;
  double single_share;
};

#define GZ_POOL(name, ...) constexpr std::string_view name[] = {__VA_ARGS__}
GZ_POOL(kM1First, "建", "国", "德", "明", "志", "福", "永", "长", "金", "文", "树", "庆", "家", "学", "春", "保", "有", "兴", "正", "光");
GZ_POOL(kM1Second, "华", "民", "国", "强", "林", "生", "才", "山", "发", "荣", "成", "忠", "义", "清", "平", "贵", "军", "良", "海", "祥");
GZ_POOL(kM1Single, "强", "军", "林", "华", "明", "勇", "斌", "刚", "平", "忠", "山", "荣");
GZ_POOL(kM2First, "建", "国", "志", "卫", "红", "小", "晓", "海", "文", "永", "俊", "立", "新", "学", "振", "伟", "宏", "金", "红", "向");
GZ_POOL(kM2Second, "军", "兵", "伟", "华", "平", "东", "明", "勇", "强", "斌", "峰", "林", "涛", "刚", "杰", "辉", "波", "亮", "武", "生");
GZ_POOL(kM2Single, "伟", "军", "勇", "斌", "涛", "波", "辉", "刚", "峰", "强", "磊", "杰", "兵", "东");
GZ_POOL(kM3First, "小", "晓", "海", "志", "俊", "文", "家", "鹏", "子", "嘉", "天", "明", "建", "永", "金", "思", "浩", "宏");
GZ_POOL(kM3Second, "伟", "杰", "磊", "鹏", "涛", "超", "明", "飞", "亮", "浩", "宇", "龙", "鑫", "凯", "帅", "阳", "斌", "健", "峰", "辉");
GZ_POOL(kM3Single, "伟", "磊", "杰", "涛", "超", "鹏", "浩", "鑫", "凯", "帅", "宇", "亮", "飞", "勇", "斌", "健");
GZ_POOL(kM4First, "子", "浩", "宇", "梓", "俊", "一", "嘉", "明", "博", "皓", "思", "文", "天", "家", "睿", "泽", "奕", "宏", "铭", "锦");
GZ_POOL(kM4Second, "轩", "宇", "豪", "航", "然", "睿", "泽", "杰", "博", "晨", "阳", "辰", "熙", "铭", "瑞", "哲", "鸣", "诚", "远", "凡");
GZ_POOL(kM4Single, "浩", "宇", "轩", "航", "睿", "博", "杰", "晨", "阳", "鑫", "哲", "凯");
GZ_POOL(kF1First, "秀", "桂", "玉", "淑", "凤", "翠", "金", "素", "春", "冬", "美", "兰", "月", "爱");
GZ_POOL(kF1Second, "英", "兰", "珍", "芳", "华", "梅", "荣", "莲", "花", "琴", "云", "霞", "娥", "香", "芝", "凤");
GZ_POOL(kF1Single, "英", "兰", "珍", "芳", "梅", "华", "霞", "琴", "莲", "凤");
GZ_POOL(kF2First, "秀", "丽", "红", "艳", "小", "春", "晓", "玉", "美", "海", "建", "桂", "金", "雪", "爱");
GZ_POOL(kF2Second, "华", "红", "英", "琴", "芳", "萍", "梅", "霞", "燕", "玲", "娟", "丽", "平", "敏", "莉", "云");
GZ_POOL(kF2Single, "红", "燕", "萍", "霞", "芳", "丽", "娟", "敏", "玲", "静", "琴", "梅");
GZ_POOL(kF3First, "晓", "丽", "静", "雪", "小", "佳", "婷", "思", "文", "海", "欣", "慧", "春", "美", "梦", "雅");
GZ_POOL(kF3Second, "婷", "静", "丽", "娟", "敏", "燕", "丹", "倩", "艳", "琳", "颖", "雪", "洁", "莉", "娜", "玲", "慧");
GZ_POOL(kF3Single, "静", "丽", "敏", "婷", "娟", "艳", "丹", "倩", "颖", "洁", "娜", "琳", "燕", "雪");
GZ_POOL(kF4First, "梓", "欣", "子", "雨", "思", "诗", "佳", "一", "可", "紫", "语", "嘉", "若", "晓", "心", "芷");
GZ_POOL(kF4Second, "涵", "怡", "萱", "彤", "琪", "悦", "然", "琳", "瑶", "妍", "宁", "雯", "欣", "桐", "希", "菲");
GZ_POOL(kF4Single, "涵", "怡", "萱", "彤", "琪", "悦", "瑶", "妍", "雯", "菲");
#undef GZ_POOL

const NamePool& PoolFor(Gender g, int birth_year) {
  static const NamePool kPools[2][4] = {
      {{kM1First, kM1Second, kM1Single, 0.30}, {kM2First, kM2Second, kM2Single, 0.35},
       {kM3First, kM3Second, kM3Single, 0.30}, {kM4First, kM4Second, kM4Single, 0.12}},
      {{kF1First, kF1Second, kF1Single, 0.25}, {kF2First, kF2Second, kF2Single, 0.35},
       {kF3First, kF3Second, kF3Single, 0.30}, {kF4First, kF4Second, kF4Single, 0.12}},
  };
  const int era = birth_year < 1960 ? 0 : birth_year < 1980 ? 1 : birth_year < 2000 ? 2 : 3;
  return kPools[g == Gender::kMale ? 0 : 1][era];
}

}  // namespace

std::string_view PickSurname(SyntheticRng& rng) {
  static const std::vector<int> weights = SurnameWeights();
  return kSurnames[rng.Weighted(weights)].text;
}

std::string PickGivenName(SyntheticRng& rng, Gender gender, int birth_year) {
  const NamePool& pool = PoolFor(gender, birth_year);
  if (rng.Chance(pool.single_share)) return std::string(rng.Pick(pool.single));
  const std::string_view first = rng.Pick(pool.first);
  std::string_view second = rng.Pick(pool.second);
  for (int i = 0; i < 4 && second == first; ++i) second = rng.Pick(pool.second);  // "伟伟" reads as a nickname
  return std::string(first) + std::string(second);
}

size_t SurnameCount() { return std::size(kSurnames); }

bool IsListedSurname(std::string_view s) {
  for (const Surname& x : kSurnames)
    if (x.text == s) return true;
  return false;
}

}  // namespace gz::residents
