// An access::AuditSink in memory, for tests: records events, or fails on demand.
// Layer: residents, test support (header only).
#pragma once

#include <mutex>
#include <vector>

#include "access/audit_event.h"

namespace gz::residents {

class FakeAuditSink final : public access::AuditSink {
 public:
  Status Append(const access::AuditEvent& event) override {
    std::lock_guard lock(mu_);
    if (fail_) return Unavailable("audit/unavailable", "failing on purpose (test)");
    events_.push_back(event);
    return Status::Ok();
  }
  void Fail(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }
  std::vector<access::AuditEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  bool fail_ = false;
  std::vector<access::AuditEvent> events_;
};

}  // namespace gz::residents
