// ResponseCache: finished responses of public, rarely changing GET routes, kept in memory.
//
// Layer: http. Division lists are read far more often than they change (a village picker on
// every form), and building one from the store and serializing it costs ~20x a cached copy.
// Entries live at most `ttl` (a change made by another process, e.g. `gongzhi import-divisions`
// while the server runs, shows within that time -- no longer than the Cache-Control max-age the
// same responses already allow clients); a change made in this process calls Clear().
// Memory is bounded by `max_bytes` of bodies: when full, the whole cache is dropped (simple,
// and the working set refills in a few requests). Thread-safe. Decision 0009.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "http/response.h"

namespace gz::http {

class ResponseCache {
 public:
  ResponseCache(const Clock& clock, std::chrono::seconds ttl, size_t max_bytes)
      : clock_(clock), ttl_(ttl), max_bytes_(max_bytes) {}

  // The cached response for `key`, if present and fresh.
  std::optional<Response> Get(std::string_view key) const;
  // Stores a copy of `response` (only 200s are worth keeping; others are ignored).
  void Put(std::string key, const Response& response);
  void Clear();

  size_t entries() const;
  size_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const Response> response;
    MonoTime expires;
  };
  const Clock& clock_;
  const std::chrono::seconds ttl_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  size_t bytes_ = 0;
};

}  // namespace gz::http
