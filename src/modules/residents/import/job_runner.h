// JobRunner: one background thread with a bounded queue, for the imports that are too large to
// finish inside a request, and a periodic chore (purging expired uploads).
//
// Layer: residents import domain (standard library only). One thread on purpose: the server has
// few cores, an import is mostly SQLite writes that serialize anyway, and a bounded queue turns
// a burst of uploads into a clear "busy, try again" instead of memory growth.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gz::residents::import {

class JobRunner {
 public:
  // `chore` (may be empty) runs on the runner thread every `chore_every`, and once at start.
  JobRunner(size_t capacity, std::chrono::milliseconds chore_every, std::function<void()> chore);
  ~JobRunner();  // Stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Queues `task`; false (and `task` dropped) when `capacity` tasks already wait or the runner
  // has stopped. Tasks run one at a time in order; an exception from a task is logged and
  // swallowed (the task should have caught it itself: its job is left as the exception found it).
  bool TryPost(std::function<void()> task);

  // Lets the running task finish, drops the waiting ones, joins the thread. Idempotent.
  void Stop();

  size_t waiting() const;

 private:
  void Loop();

  const size_t capacity_;
  const std::chrono::milliseconds chore_every_;
  std::function<void()> chore_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gz::residents::import
