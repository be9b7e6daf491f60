// The import job runner. Layer: residents import domain.
#include "modules/residents/import/job_runner.h"

#include <exception>
#include <utility>

#include "core/log.h"

namespace gz::residents::import {

JobRunner::JobRunner(size_t capacity, std::chrono::milliseconds chore_every, std::function<void()> chore)
    : capacity_(capacity), chore_every_(chore_every), chore_(std::move(chore)) {
  thread_ = std::thread([this] { Loop(); });
}

JobRunner::~JobRunner() { Stop(); }

bool JobRunner::TryPost(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t JobRunner::waiting() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void JobRunner::Loop() {
  auto next_chore = std::chrono::steady_clock::now();
  for (;;) {
    std::function<void()> task;
    bool run_chore = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_chore, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      if (!queue_.empty()) {
        task = std::move(queue_.front());
        queue_.pop_front();
      } else if (std::chrono::steady_clock::now() >= next_chore) {
        run_chore = true;
      }
    }
    // A task that throws must not take the server down with it (std::terminate on this thread).
    try {
      if (task) task();
      if (run_chore) {
        next_chore = std::chrono::steady_clock::now() + chore_every_;
        if (chore_) chore_();
      }
    } catch (const std::exception& e) {
      log::Error("residents_import.task_threw", {{"what", e.what()}});
    } catch (...) {
      log::Error("residents_import.task_threw", {{"what", "unknown"}});
    }
  }
}

}  // namespace gz::residents::import
