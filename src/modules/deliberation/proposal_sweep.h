// The proposal sweep: a proposal (村民议事) that reached its village's support threshold and was
// not answered by the committee before its deadline becomes an appeal (诉求) EXACTLY ONCE,
// whatever the number of sweeps or restarts.
//
// Layer: deliberation domain. The appeal is filed through the ProposalEscalation port,
// implemented at the composition root over appeals::AppealService::SubmitForSystem, under the
// proposal's id (as the disclosure question sweep does: src/modules/disclosure/question_sweep.h).
// A sweep that dies after filing and before recording files nothing new on the next run: the
// port finds the appeal of that id and the sweep records it; recording is itself conditional.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "modules/deliberation/deliberation_store.h"

namespace gz::deliberation {

class ProposalEscalation {
 public:
  virtual ~ProposalEscalation() = default;
  // Files (or finds) the appeal of id `proposal.id` for the proposer; idempotent per id.
  virtual Result<int64_t> Escalate(const Proposal& proposal) = 0;
};

struct ProposalSweepReport {
  int64_t escalated = 0;
  int64_t already_handled = 0;
  int64_t failed = 0;
};

class ProposalSweeper {
 public:
  ProposalSweeper(DeliberationStore& store, ProposalEscalation& escalation, const Clock& clock);
  Result<ProposalSweepReport> RunOnce(int batch = 100);

 private:
  DeliberationStore& store_;
  ProposalEscalation& escalation_;
  const Clock& clock_;
};

// Runs a sweeper every `interval` on its own thread until Stop() (or destruction).
class PeriodicProposalSweep {
 public:
  PeriodicProposalSweep(ProposalSweeper& sweeper, std::chrono::milliseconds interval);
  ~PeriodicProposalSweep();
  PeriodicProposalSweep(const PeriodicProposalSweep&) = delete;
  PeriodicProposalSweep& operator=(const PeriodicProposalSweep&) = delete;
  void Start();
  void Stop();

 private:
  void Loop();
  ProposalSweeper& sweeper_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gz::deliberation
