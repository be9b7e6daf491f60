#include "modules/appeals/routing/text_classifier.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace gz::appeals::routing {
namespace {

// A small synthetic history written for this test (no real appeals): each category has its own
// topic words, every text is padded with words shared by all categories, and a quarter of the
// texts also carry one topic word of ANOTHER category, so that no single word decides.
const std::vector<std::vector<std::string>> kTopics = {
    {"停水", "自来水", "水管破裂", "水压太低", "水龙头没水", "供水管道"},    // 0 water
    {"路面坑洼", "修路", "道路塌陷", "村道积水", "桥面开裂", "路基下沉"},    // 1 roads
    {"路灯不亮", "灯泡坏了", "晚上很黑", "照明线路", "太阳能灯", "灯杆倒了"},  // 2 lights
    {"垃圾成堆", "没人清运", "臭气熏天", "垃圾桶满了", "污水横流", "苍蝇很多"},  // 3 sanitation
};
const std::vector<std::string> kShared = {"村里", "请尽快处理", "已经一个星期", "希望领导重视", "我们组",
                                          "反映一个问题", "很不方便", "谢谢", "村口", "老人小孩"};

struct Labelled {
  std::string text;
  int label;
};

std::vector<Labelled> Generate(int per_label, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::vector<Labelled> out;
  for (int i = 0; i < per_label; ++i) {
    for (int label = 0; label < static_cast<int>(kTopics.size()); ++label) {
      std::string t = pick(kShared) + pick(kTopics[label]) + "，" + pick(kShared) + pick(kShared);
      if (rng() % 2) t += "，" + pick(kTopics[label]);
      if (rng() % 4 == 0) t += "，" + pick(kTopics[(label + 1 + rng() % 3) % kTopics.size()]);
      t += "。" + pick(kShared);
      out.push_back({t, label});
    }
  }
  return out;
}

double Accuracy(const TextClassifier& m, const std::vector<Labelled>& test) {
  int right = 0;
  for (const Labelled& l : test) right += RankLabels(m.Probabilities(l.text))[0] == l.label;
  return static_cast<double>(right) / test.size();
}

TextClassifier TrainOn(const std::vector<Labelled>& data, ClassifierKind kind, int labels = 4) {
  std::vector<Example> examples;
  for (const Labelled& l : data) examples.push_back(Example{l.text, l.label});
  ClassifierOptions o;
  o.kind = kind;
  return TextClassifier::Train(examples, labels, o);
}

class BothKinds : public ::testing::TestWithParam<ClassifierKind> {};

TEST_P(BothKinds, LearnsTopicsFarAboveChanceOnHeldOutTexts) {
  const std::vector<Labelled> train = Generate(15, 1);  // 60 texts
  const std::vector<Labelled> test = Generate(25, 2);   // 100 others, never seen
  TextClassifier m = TrainOn(train, GetParam());
  // Chance is 25%; the majority class is no better (balanced). An untrained or broken model
  // (constant answer, labels mixed up, features ignored) stays near 25%.
  EXPECT_GE(Accuracy(m, test), 0.85);
}

TEST_P(BothKinds, ProbabilitiesAreADistributionAndTrainingIsDeterministic) {
  const std::vector<Labelled> train = Generate(10, 3);
  TextClassifier a = TrainOn(train, GetParam());
  TextClassifier b = TrainOn(train, GetParam());
  for (const std::string text : {"水管破裂，家里停水了", "垃圾没人清运", "ab", "。。。"}) {
    std::vector<double> p = a.Probabilities(text);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-9);
    for (double v : p) EXPECT_TRUE(v >= 0 && v <= 1);
    EXPECT_EQ(p, b.Probabilities(text));
  }
  EXPECT_EQ(RankLabels(a.Probabilities("水管破裂，家里停水了，水龙头没水"))[0], 0);
  EXPECT_EQ(RankLabels(a.Probabilities("路灯不亮，灯泡坏了"))[0], 2);
  EXPECT_GT(a.stored_buckets(), 0u);
  EXPECT_GT(a.MemoryBytes(), a.stored_buckets() * 4);
}

INSTANTIATE_TEST_SUITE_P(Routing, BothKinds, ::testing::Values(ClassifierKind::kNaiveBayes, ClassifierKind::kLogistic),
                         [](const auto& info) {
                           return info.param == ClassifierKind::kNaiveBayes ? "NaiveBayes" : "Logistic";
                         });

TEST(TextClassifier, LabelsWithoutExamplesAreNotSuggestedByNaiveBayes) {
  std::vector<Labelled> train = Generate(10, 4);
  std::erase_if(train, [](const Labelled& l) { return l.label == 3; });
  TextClassifier m = TrainOn(train, ClassifierKind::kNaiveBayes);
  std::vector<double> p = m.Probabilities("垃圾成堆，没人清运，臭气熏天");
  EXPECT_LT(p[3], 1e-12);
  EXPECT_NE(RankLabels(p)[0], 3);
}

TEST(TextClassifier, TemperatureChangesConfidenceNotOrder) {
  const std::vector<Labelled> train = Generate(10, 5);
  std::vector<Example> examples;
  for (const Labelled& l : train) examples.push_back(Example{l.text, l.label});
  ClassifierOptions sharp;
  sharp.kind = ClassifierKind::kNaiveBayes;
  sharp.nb_temperature = 1;
  ClassifierOptions soft = sharp;
  soft.nb_temperature = 30;
  TextClassifier a = TextClassifier::Train(examples, 4, sharp);
  TextClassifier b = TextClassifier::Train(examples, 4, soft);
  for (const Labelled& l : Generate(5, 6)) {
    std::vector<double> pa = a.Probabilities(l.text), pb = b.Probabilities(l.text);
    EXPECT_EQ(RankLabels(pa), RankLabels(pb));
    EXPECT_GE(pa[RankLabels(pa)[0]], pb[RankLabels(pb)[0]]);
  }
}

TEST(TextClassifier, UntrainedAndEmptyInputs) {
  EXPECT_TRUE(TextClassifier().Probabilities("停水").empty());
  EXPECT_EQ(TextClassifier::Train({}, 0, {}).label_count(), 0);
  // One label, no examples: still a distribution over that one label.
  TextClassifier one = TextClassifier::Train({}, 1, {});
  EXPECT_EQ(one.Probabilities("停水"), std::vector<double>{1.0});
  EXPECT_EQ(RankLabels({0.1, 0.7, 0.2}), (std::vector<int>{1, 2, 0}));
}

}  // namespace
}  // namespace gz::appeals::routing
