// Questions (质询) about published items: public, answered by the village committee; one left
// unanswered for too long becomes an appeal (question_sweep.h).
//
// Layer: disclosure domain.
#pragma once

#include <cstdint>
#include <string>

namespace gz::disclosure {

struct Question {
  int64_t id = 0;
  int64_t item_id = 0;
  std::string village;
  int64_t asked_by = 0;        // the villager's account (not shown publicly)
  std::string text;            // public by design: the asker is told so
  int64_t asked_at_ms = 0;
  std::string answer;          // "" until answered
  int64_t answered_by = 0;
  int64_t answered_at_ms = 0;  // 0: unanswered
  int64_t appeal_id = 0;       // the appeal it became, or 0
  int64_t escalated_at_ms = 0;
};

inline constexpr size_t kMinQuestionChars = 4;
inline constexpr size_t kMaxQuestionChars = 1000;
inline constexpr size_t kMaxAnswerChars = 4000;

}  // namespace gz::disclosure
