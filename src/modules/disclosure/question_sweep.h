// The question sweep: a question (质询) left unanswered for `answer_days` becomes an appeal (诉求)
// with the appeals module's deadlines, EXACTLY ONCE, whatever the number of sweeps or restarts.
//
// Layer: disclosure domain. The appeal is made through the QuestionEscalation port, implemented
// at the composition root (src/app/application.cc) over appeals::AppealService.
//
// How "exactly once" holds across two modules' transactions: the appeal's id IS the question's
// id (QuestionEscalation must file it under that id and answer with the existing appeal when it
// already exists). A sweep that dies after filing the appeal but before recording it on the
// question files nothing new on the next run: it finds the appeal and records it. Recording is
// itself conditional (appeal_id IS NULL), so two sweeps cannot both record.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "modules/disclosure/disclosure_store.h"
#include "modules/disclosure/item.h"
#include "modules/disclosure/question.h"

namespace gz::disclosure {

class QuestionEscalation {
 public:
  virtual ~QuestionEscalation() = default;
  // Files (or finds) the appeal of id `question.id` for the asker, about `item`, and returns its
  // id. Must be idempotent per question id.
  virtual Result<int64_t> Escalate(const Question& question, const Item& item) = 0;
};

struct QuestionSweepReport {
  int64_t escalated = 0;
  int64_t already_handled = 0;  // answered or escalated meanwhile
  int64_t failed = 0;
};

class QuestionSweeper {
 public:
  // All must outlive the sweeper.
  QuestionSweeper(DisclosureStore& store, QuestionEscalation& escalation, const Clock& clock, int answer_days = 7);
  Result<QuestionSweepReport> RunOnce(int batch = 100);
  int answer_days() const { return answer_days_; }

 private:
  DisclosureStore& store_;
  QuestionEscalation& escalation_;
  const Clock& clock_;
  int answer_days_;
};

// Runs a sweeper every `interval` on its own thread until Stop() (or destruction). `may_run`,
// asked before each run, lets one of several serving processes run it; empty: always.
class PeriodicQuestionSweep {
 public:
  PeriodicQuestionSweep(QuestionSweeper& sweeper, std::chrono::milliseconds interval, std::function<bool()> may_run = {});
  ~PeriodicQuestionSweep();
  PeriodicQuestionSweep(const PeriodicQuestionSweep&) = delete;
  PeriodicQuestionSweep& operator=(const PeriodicQuestionSweep&) = delete;
  void Start();
  void Stop();

 private:
  void Loop();
  QuestionSweeper& sweeper_;
  std::chrono::milliseconds interval_;
  std::function<bool()> may_run_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gz::disclosure
