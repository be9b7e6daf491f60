// Naive Bayes and logistic regression over hashed n-grams. Layer: appeals domain (see
// text_classifier.h).
#include "modules/appeals/routing/text_classifier.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace gz::appeals::routing {
namespace {

// A text as indexes into the model's sorted bucket list.
struct Encoded {
  std::vector<uint32_t> index;
  std::vector<float> value;
  int label = 0;
};

// Scores far below any real one stand for "impossible" without producing NaN in the softmax.
constexpr double kImpossible = -1e30;

std::vector<double> Softmax(std::vector<double> scores) {
  double top = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (double& s : scores) {
    s = std::exp(s - top);
    sum += s;
  }
  for (double& s : scores) s /= sum;
  return scores;
}

}  // namespace

TextClassifier TextClassifier::Train(std::span<const Example> examples, int label_count,
                                     const ClassifierOptions& options) {
  TextClassifier m;
  m.options_ = options;
  m.label_count_ = std::max(0, label_count);
  if (m.label_count_ == 0) return m;
  const size_t L = static_cast<size_t>(m.label_count_);

  // Features of every example, and the sorted set of buckets they use.
  std::vector<std::vector<Feature>> raw;
  raw.reserve(examples.size());
  for (const Example& e : examples) {
    raw.push_back(ExtractFeatures(e.text, options.features));
    for (const Feature& f : raw.back()) m.buckets_.push_back(f.bucket);
  }
  std::sort(m.buckets_.begin(), m.buckets_.end());
  m.buckets_.erase(std::unique(m.buckets_.begin(), m.buckets_.end()), m.buckets_.end());
  m.buckets_.shrink_to_fit();
  const size_t V = m.buckets_.size();

  std::vector<Encoded> data;
  data.reserve(examples.size());
  for (size_t k = 0; k < examples.size(); ++k) {
    const int label = examples[k].label;
    if (label < 0 || label >= m.label_count_) continue;
    Encoded enc;
    enc.label = label;
    for (const Feature& f : raw[k]) {
      auto it = std::lower_bound(m.buckets_.begin(), m.buckets_.end(), f.bucket);
      enc.index.push_back(static_cast<uint32_t>(it - m.buckets_.begin()));
      enc.value.push_back(f.count);
    }
    data.push_back(std::move(enc));
  }
  raw.clear();

  m.weights_.assign(V * L, 0.0f);
  m.bias_.assign(L, 0.0);

  if (options.kind == ClassifierKind::kNaiveBayes) {
    std::vector<double> counts(V * L, 0.0);
    std::vector<double> totals(L, 0.0);
    std::vector<double> docs(L, 0.0);
    for (const Encoded& e : data) {
      docs[e.label] += 1;
      for (size_t k = 0; k < e.index.size(); ++k) {
        counts[e.index[k] * L + e.label] += e.value[k];
        totals[e.label] += e.value[k];
      }
    }
    const double alpha = options.nb_alpha > 0 ? options.nb_alpha : 1e-3;
    const double n = static_cast<double>(data.size());
    for (size_t c = 0; c < L; ++c) {
      m.bias_[c] = docs[c] > 0 ? std::log(docs[c] / n) : kImpossible;
      const double denominator = std::log(totals[c] + alpha * static_cast<double>(V));
      for (size_t v = 0; v < V; ++v)
        m.weights_[v * L + c] = static_cast<float>(std::log(counts[v * L + c] + alpha) - denominator);
    }
    m.score_scale_ = options.nb_temperature > 0 ? 1.0 / options.nb_temperature : 1.0;
    return m;
  }

  // Logistic regression. Unit-length features keep one learning rate right for short and long
  // texts alike.
  m.unit_length_ = true;
  for (Encoded& e : data) {
    double norm = 0;
    for (float v : e.value) norm += static_cast<double>(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0)
      for (float& v : e.value) v = static_cast<float>(v / norm);
  }
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(options.seed);
  const int epochs = std::max(1, options.epochs);
  const double total_steps = static_cast<double>(epochs) * static_cast<double>(std::max<size_t>(1, data.size()));
  double step = 0;
  std::vector<double> scores(L);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i : order) {
      const Encoded& e = data[i];
      const double rate = options.learning_rate * (1.0 - step / total_steps);
      step += 1;
      for (size_t c = 0; c < L; ++c) scores[c] = m.bias_[c];
      for (size_t k = 0; k < e.index.size(); ++k) {
        const float* w = &m.weights_[e.index[k] * L];
        for (size_t c = 0; c < L; ++c) scores[c] += w[c] * e.value[k];
      }
      std::vector<double> p = Softmax(scores);
      p[e.label] -= 1.0;  // the gradient of the log loss with respect to the scores
      for (size_t c = 0; c < L; ++c) m.bias_[c] -= rate * p[c];
      for (size_t k = 0; k < e.index.size(); ++k) {
        float* w = &m.weights_[e.index[k] * L];
        for (size_t c = 0; c < L; ++c)
          w[c] -= static_cast<float>(rate * (p[c] * e.value[k] + options.l2 * w[c]));
      }
    }
  }
  return m;
}

std::vector<double> TextClassifier::Probabilities(std::string_view text) const {
  if (label_count_ == 0) return {};
  const size_t L = static_cast<size_t>(label_count_);
  std::vector<Feature> features = ExtractFeatures(text, options_.features);
  double norm = 0;
  if (unit_length_) {
    for (const Feature& f : features) norm += static_cast<double>(f.count) * f.count;
    norm = norm > 0 ? std::sqrt(norm) : 1;
  }
  std::vector<double> likelihood(L, 0.0);
  for (const Feature& f : features) {
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), f.bucket);
    if (it == buckets_.end() || *it != f.bucket) continue;  // never seen in training: no evidence
    const float* w = &weights_[static_cast<size_t>(it - buckets_.begin()) * L];
    const double value = unit_length_ ? f.count / norm : f.count;
    for (size_t c = 0; c < L; ++c) likelihood[c] += w[c] * value;
  }
  std::vector<double> scores(L);
  for (size_t c = 0; c < L; ++c) {
    scores[c] = bias_[c] <= kImpossible ? kImpossible : (bias_[c] + likelihood[c]) * score_scale_;
  }
  return Softmax(std::move(scores));
}

size_t TextClassifier::MemoryBytes() const {
  return sizeof(*this) + buckets_.capacity() * sizeof(uint32_t) + weights_.capacity() * sizeof(float) +
         bias_.capacity() * sizeof(double);
}

std::vector<int> RankLabels(const std::vector<double>& probabilities) {
  std::vector<int> order(probabilities.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return probabilities[a] > probabilities[b]; });
  return order;
}

}  // namespace gz::appeals::routing
