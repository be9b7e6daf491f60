// Request metrics in the Prometheus text exposition format (version 0.0.4).
//
// Layer: http. Counters and latency histograms keyed by (route pattern, method, status). Route
// patterns, never raw paths, so the label set stays bounded and carries no personal data.
// Thread-safe; recording takes a short lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace gz::http {

class Metrics {
 public:
  Metrics();
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds);
  void ConnectionOpened() { ++open_connections_; ++total_connections_; }
  void ConnectionClosed() { --open_connections_; }
  int64_t open_connections() const { return open_connections_.load(); }
  // The whole exposition, including process memory (resident and virtual bytes from /proc).
  std::string RenderPrometheus() const;

 private:
  struct Series {
    uint64_t count = 0;
    double sum = 0;
    std::vector<uint64_t> buckets;  // cumulative at render time, per-bucket here
  };
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
  std::atomic<int64_t> open_connections_{0};
  std::atomic<int64_t> total_connections_{0};
};

}  // namespace gz::http
