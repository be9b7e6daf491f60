// Accuracy of the appeal routing classifier (issue #4, "Routing") on real labelled appeals.
//
//   gz_appeal_classifier_eval [--data DIR] [--markdown FILE] [--tune]
//
// DIR (default $GONGZHI_APPEALS_DATA, else ../shared/data/appeals from the working folder) holds
// appeals-sample.csv: 494 messages to a provincial message board, each labelled with one of 7
// first-level categories (see the folder's README.md: evaluation material only; it is read here
// at run time, never copied into the repository, and no text of it is ever printed). Without it
// the program says so and exits 0, so `make bench` runs anywhere.
//
// What "held-out history" means here is what a village lives through: the model is trained on
// the older 80% of the messages (by created_at) and asked about the newest 20%, which it has
// never seen. A 5-fold cross-validation over all messages is reported beside it (less like real
// use, more stable). Each figure stands next to the majority-class baseline (always answer the
// commonest category of the training part) and top-2 accuracy (the right category is one of the
// two the form offers first). A learning curve trains on only the newest N older messages, which
// is how much history a village has: it is what the minimum history of the router rests on.
//
// --tune: 5-fold cross-validation over the OLDER 80% only, for a grid of settings; the held-out
// newest 20% is not looked at, so choosing settings from this table does not leak the test.
//
// Texts are truncated to 2,000 characters, the longest appeal gongzhi accepts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "modules/appeals/appeal.h"
#include "modules/appeals/routing/text_classifier.h"
#include "tabular/csv.h"

namespace {

using gz::appeals::routing::ClassifierKind;
using gz::appeals::routing::ClassifierOptions;
using gz::appeals::routing::Example;
using gz::appeals::routing::RankLabels;
using gz::appeals::routing::TextClassifier;

struct Item {
  std::string text;
  int label = 0;
  std::string created_at;  // "2019/1/5 10:16:20", made sortable below
};

struct Scores {
  int n = 0;
  int top1 = 0;
  int top2 = 0;
  int majority = 0;
  double confidence_sum = 0;    // probability given to the top label
  double log_loss = 0;          // -log p(true label), clipped
  int confident = 0;            // top probability >= 0.5
  int confident_right = 0;
  double train_ms = 0;
  double predict_us = 0;        // per text
  size_t model_bytes = 0;
  void Add(const Scores& o) {
    n += o.n; top1 += o.top1; top2 += o.top2; majority += o.majority; confidence_sum += o.confidence_sum;
    log_loss += o.log_loss; confident += o.confident; confident_right += o.confident_right;
    train_ms += o.train_ms; predict_us += o.predict_us * o.n; model_bytes = std::max(model_bytes, o.model_bytes);
  }
};

// "2019/1/5 10:16:20" -> "2019-01-05 10:16:20" (zero-padded, so strings sort by time).
std::string SortableTime(const std::string& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::sscanf(t.c_str(), "%d/%d/%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
  return buf;
}

std::string Truncate(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return text.substr(0, i);
      ++chars;
    }
  }
  return text;
}

Scores Evaluate(const std::vector<const Item*>& train, const std::vector<const Item*>& test, int labels,
                const ClassifierOptions& options) {
  Scores s;
  std::vector<Example> examples;
  std::vector<int> counts(labels, 0);
  for (const Item* it : train) {
    examples.push_back(Example{it->text, it->label});
    ++counts[it->label];
  }
  const int majority = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  auto t0 = std::chrono::steady_clock::now();
  TextClassifier model = TextClassifier::Train(examples, labels, options);
  auto t1 = std::chrono::steady_clock::now();
  s.train_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  s.model_bytes = model.MemoryBytes();
  for (const Item* it : test) {
    std::vector<double> p = model.Probabilities(it->text);
    std::vector<int> rank = RankLabels(p);
    ++s.n;
    s.top1 += rank[0] == it->label;
    s.top2 += rank[0] == it->label || (rank.size() > 1 && rank[1] == it->label);
    s.majority += majority == it->label;
    s.confidence_sum += p[rank[0]];
    s.log_loss += -std::log(std::max(p[it->label], 1e-12));
    if (p[rank[0]] >= 0.5) {
      ++s.confident;
      s.confident_right += rank[0] == it->label;
    }
  }
  auto t2 = std::chrono::steady_clock::now();
  s.predict_us = test.empty() ? 0 : std::chrono::duration<double, std::micro>(t2 - t1).count() / test.size();
  return s;
}

Scores CrossValidate(const std::vector<const Item*>& items, int labels, const ClassifierOptions& options, int folds) {
  std::vector<const Item*> shuffled = items;
  std::mt19937_64 rng(42);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  Scores total;
  for (int f = 0; f < folds; ++f) {
    std::vector<const Item*> train, test;
    for (size_t i = 0; i < shuffled.size(); ++i) (static_cast<int>(i % folds) == f ? test : train).push_back(shuffled[i]);
    total.Add(Evaluate(train, test, labels, options));
  }
  total.predict_us /= std::max(1, total.n);
  return total;
}

std::string Pct(int num, int den) {
  if (den == 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * num / den);
  return buf;
}

std::string Fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct Setting {
  std::string name;
  ClassifierOptions options;
};

std::vector<Setting> Settings(bool tune) {
  std::vector<Setting> out;
  auto nb = [](double alpha, double temperature, bool binary, int bits, int max_n) {
    ClassifierOptions o;
    o.kind = ClassifierKind::kNaiveBayes;
    o.nb_alpha = alpha;
    o.nb_temperature = temperature;
    o.features.binary = binary;
    o.features.hash_bits = bits;
    o.features.max_n = max_n;
    return o;
  };
  auto lr = [](int epochs, double rate, double l2, int bits, int max_n) {
    ClassifierOptions o;
    o.kind = ClassifierKind::kLogistic;
    o.epochs = epochs;
    o.learning_rate = rate;
    o.l2 = l2;
    o.features.hash_bits = bits;
    o.features.max_n = max_n;
    return o;
  };
  ClassifierOptions production;  // the defaults the router uses
  out.push_back({"router default (" + std::string(production.kind == ClassifierKind::kNaiveBayes ? "naive Bayes" : "logistic") + ")", production});
  if (!tune) {
    out.push_back({"logistic regression, 30 epochs", lr(30, 2.0, 1e-5, 18, 2)});
    out.push_back({"logistic regression, 1-3-grams", lr(10, 2.0, 1e-5, 18, 3)});
    out.push_back({"naive Bayes (α 0.1, T 30)", nb(0.1, 30, false, 18, 2)});
    out.push_back({"naive Bayes, presence not counts", nb(0.1, 30, true, 18, 2)});
    out.push_back({"naive Bayes, 1-3-grams", nb(0.1, 30, false, 18, 3)});
    out.push_back({"naive Bayes, 2^16 buckets", nb(0.1, 30, false, 16, 2)});
    return out;
  }
  for (double alpha : {0.05, 0.1, 0.2})
    for (auto [lo, hi] : {std::pair{1, 2}, std::pair{2, 2}, std::pair{1, 3}, std::pair{2, 3}}) {
      ClassifierOptions o = nb(alpha, 1, false, 18, hi);
      o.features.min_n = lo;
      out.push_back({"NB alpha " + Fixed(alpha, 2) + " counts " + std::to_string(lo) + "-" + std::to_string(hi) + "-grams", o});
    }
  for (double t : {20.0, 30.0, 40.0}) out.push_back({"NB alpha 0.10 counts 1-2 T " + Fixed(t, 0), nb(0.1, t, false, 18, 2)});
  for (int bits : {16, 20}) out.push_back({"NB alpha 0.10 counts 1-2 2^" + std::to_string(bits), nb(0.1, 1, false, bits, 2)});
  for (double t : {10.0, 30.0, 60.0}) out.push_back({"NB alpha 0.10 counts 1-2 T " + Fixed(t, 0) + " (whole score)", nb(0.1, t, false, 18, 2)});
  for (int epochs : {10, 30})
    for (double rate : {1.0, 2.0, 5.0})
      out.push_back({"LR 1-2-grams " + std::to_string(epochs) + " epochs rate " + Fixed(rate, 1), lr(epochs, rate, 1e-5, 18, 2)});
  out.push_back({"LR 1-3-grams 30 epochs rate 2.0", lr(30, 2.0, 1e-5, 18, 3)});
  return out;
}

void Row(std::ostream& md, const std::string& name, const Scores& s) {
  md << "| " << name << " | " << s.n << " | **" << Pct(s.top1, s.n) << "** | " << Pct(s.top2, s.n) << " | "
     << Pct(s.majority, s.n) << " | " << Fixed(s.n ? s.confidence_sum / s.n : 0, 2) << " | "
     << Fixed(s.n ? s.log_loss / s.n : 0, 2) << " | " << Pct(s.confident_right, s.confident) << " of "
     << Pct(s.confident, s.n) << " | " << Fixed(s.train_ms, 1) << " | " << Fixed(s.predict_us, 0) << " | "
     << Fixed(s.model_bytes / 1024.0, 0) << " |\n";
}

const char* kHeader =
    "| classifier | test texts | accuracy | top-2 | majority baseline | mean confidence | log loss | right when confidence ≥ 0.5 (of texts) | training ms | µs per text | model KiB |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  std::string markdown;
  bool tune = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) data_dir = argv[++i];
    else if (a == "--markdown" && i + 1 < argc) markdown = argv[++i];
    else if (a == "--tune") tune = true;
    else {
      std::cerr << "usage: gz_appeal_classifier_eval [--data DIR] [--markdown FILE] [--tune]\n";
      return 2;
    }
  }
  if (data_dir.empty()) {
    const char* env = std::getenv("GONGZHI_APPEALS_DATA");
    data_dir = env && *env ? env : "../shared/data/appeals";
  }
  std::ostringstream md;
  md << "## Appeal routing: classifier accuracy on held-out history\n\n";
  const std::filesystem::path csv_path = std::filesystem::path(data_dir) / "appeals-sample.csv";
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) {
    md << "Not measured: " << csv_path.string()
       << " is absent (the labelled appeals are evaluation material kept outside the repository; see "
          "bench/README.md).\n";
    std::cout << md.str();
    if (!markdown.empty()) std::ofstream(markdown) << md.str();
    return 0;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gz::tabular::ReadLimits limits;
  auto table = gz::tabular::ReadCsv(bytes, limits);
  if (!table.ok()) {
    std::cerr << "appeal_classifier_eval: cannot read " << csv_path << ": " << table.status().ToString() << "\n";
    return 1;
  }
  const int text_col = table->FindColumn("text");
  const int category_col = table->FindColumn("category");
  const int time_col = table->FindColumn("created_at");
  if (text_col < 0 || category_col < 0 || time_col < 0) {
    std::cerr << "appeal_classifier_eval: " << csv_path << " lacks text, category or created_at\n";
    return 1;
  }
  std::map<std::string, int> label_of;
  std::vector<std::string> label_names;
  std::vector<Item> items;
  for (const auto& row : table->rows) {
    std::string category(row.Text(category_col));
    if (category.empty() || row.Text(text_col).empty()) continue;
    auto [it, added] = label_of.emplace(category, static_cast<int>(label_names.size()));
    if (added) label_names.push_back(category);
    items.push_back(Item{Truncate(std::string(row.Text(text_col)), gz::appeals::kMaxTextChars), it->second,
                         SortableTime(std::string(row.Text(time_col)))});
  }
  const int labels = static_cast<int>(label_names.size());
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.created_at < b.created_at; });
  std::vector<const Item*> all;
  for (const Item& it : items) all.push_back(&it);
  const size_t split = all.size() * 8 / 10;
  std::vector<const Item*> older(all.begin(), all.begin() + static_cast<long>(split));
  std::vector<const Item*> newer(all.begin() + static_cast<long>(split), all.end());

  md << "Data: " << items.size() << " labelled appeals in " << labels
     << " categories (appeals-sample.csv, read at run time; no text is shown). Held-out: trained on the older "
     << older.size() << " (to " << older.back()->created_at.substr(0, 10) << "), tested on the newest " << newer.size()
     << ". Definitions: docs/metrics.md, \"Routing accuracy\"; the choice of classifier: docs/decisions/0011.\n\n";

  const std::vector<Setting> settings = Settings(tune);
  if (tune) {
    md << "### Tuning: 5-fold cross-validation over the older " << older.size() << " only\n\n" << kHeader;
    for (const Setting& s : settings) Row(md, s.name, CrossValidate(older, labels, s.options, 5));
  } else {
    md << "### Held-out: train on the older 80%, test on the newest 20%\n\n" << kHeader;
    for (const Setting& s : settings) Row(md, s.name, Evaluate(older, newer, labels, s.options));
    md << "\n### 5-fold cross-validation over all " << all.size() << "\n\n" << kHeader;
    for (const Setting& s : settings) Row(md, s.name, CrossValidate(all, labels, s.options, 5));
    md << "\n### How much history: trained on only the newest N older appeals, tested on the newest "
       << newer.size() << "\n\n" << kHeader;
    for (size_t n : {10, 20, 40, 80, 160, 320}) {
      if (n > older.size()) break;
      std::vector<const Item*> recent(older.end() - static_cast<long>(n), older.end());
      Row(md, "N = " + std::to_string(n) + ", " + settings[0].name, Evaluate(recent, newer, labels, settings[0].options));
      Row(md, "N = " + std::to_string(n) + ", " + settings[3].name, Evaluate(recent, newer, labels, settings[3].options));
    }
  }
  md << "\nAccuracy: share of test texts whose top suggestion is the labelled category. Top-2: the label is one of "
        "the first two. Mean confidence: the probability the model gave its top suggestion (close to the accuracy "
        "when the confidence can be taken at its word). Log loss: mean −ln p(labelled category), lower is better.\n";
  std::cout << md.str();
  if (!markdown.empty()) {
    std::ofstream out(markdown);
    out << md.str();
    if (!out) {
      std::cerr << "appeal_classifier_eval: cannot write " << markdown << "\n";
      return 1;
    }
  }
  return 0;
}
