// TextClassifier: a small linear text classifier over hashed character n-grams (text_features.h),
// trained in memory on a village's (or township's, county's) confirmed appeals.
//
// Layer: appeals domain (standard library only).
//
// Two learners, one model shape (a bias and a weight per stored n-gram bucket and label; the
// score of a label is bias + sum of weights of the text's buckets; probabilities are the softmax
// of the scores):
//   - kNaiveBayes: multinomial naive Bayes with additive smoothing. Trains in one pass, has no
//     randomness, and does well on the few hundred texts a village has. Its posteriors are
//     over-confident (the n-grams are not independent), so the scores are divided by
//     `nb_temperature` before the softmax: the label ORDER is unchanged, the reported confidence
//     is closer to how often the top label is right (bench measures both).
//   - kLogistic: multinomial logistic regression (softmax), features scaled to unit length,
//     plain SGD with a linearly falling rate and L2 decay on the weights it touches, examples
//     visited in an order drawn from `seed` (so training is deterministic).
// Which is the default, and why, is docs/decisions/0011-appeal-classifier.md.
//
// Only buckets seen in training are stored (sorted, for binary search), so a model of a village
// with 300 appeals takes a few hundred KB, not 2^hash_bits x labels. Immutable once trained;
// Probabilities() is thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "modules/appeals/routing/text_features.h"

namespace gz::appeals::routing {

enum class ClassifierKind { kNaiveBayes, kLogistic };

struct ClassifierOptions {
  ClassifierKind kind = ClassifierKind::kLogistic;
  FeatureOptions features;
  // Naive Bayes.
  double nb_alpha = 0.1;        // additive (Lidstone) smoothing of the n-gram counts
  // > 0; divides every score (temperature scaling). 30 makes the mean confidence of the top
  // label about equal to its accuracy on held-out appeals (bench; decision 0011).
  double nb_temperature = 30.0;
  // Logistic regression.
  int epochs = 10;
  double learning_rate = 2.0;
  double l2 = 1e-5;
  uint64_t seed = 20260101;
};

struct Example {
  std::string_view text;
  int label = 0;  // 0 .. label_count-1
};

class TextClassifier {
 public:
  // An untrained classifier predicts nothing (label_count 0).
  TextClassifier() = default;

  // REQUIRES: label_count >= 1 and every example's label in [0, label_count). Labels without
  // examples get probability 0 (naive Bayes) or stay at the bottom (logistic).
  static TextClassifier Train(std::span<const Example> examples, int label_count, const ClassifierOptions& options);

  // One probability per label (they sum to 1); empty if label_count() is 0.
  std::vector<double> Probabilities(std::string_view text) const;

  int label_count() const { return label_count_; }
  size_t stored_buckets() const { return buckets_.size(); }
  size_t MemoryBytes() const;

 private:
  ClassifierOptions options_;
  int label_count_ = 0;
  std::vector<uint32_t> buckets_;  // sorted
  std::vector<float> weights_;     // buckets_.size() x label_count_, row-major
  std::vector<double> bias_;       // label_count_
  // Naive Bayes: (bias + sum of weights) / temperature; logistic: bias + sum over unit-length
  // features. Set by Train.
  bool unit_length_ = false;
  double score_scale_ = 1.0;
};

// Label indexes by falling probability (ties: lower index first).
std::vector<int> RankLabels(const std::vector<double>& probabilities);

}  // namespace gz::appeals::routing
