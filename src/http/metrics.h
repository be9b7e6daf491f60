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
  // Counts one answered request in gz_http_requests_total{route,method,status} and its
  // duration in the gz_http_request_duration_seconds histogram (buckets 1 ms .. 10 s).
  // `route` is a pattern, "unmatched" (no route) or "rejected" (refused by the server before
  // routing); `method` one of MethodName()'s values, so that clients cannot invent labels.
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds);
  // gz_http_open_connections (gauge) and gz_http_connections_total (counter); the server calls these.
  void ConnectionOpened() { ++open_connections_; ++total_connections_; }
  void ConnectionClosed() { --open_connections_; }
  int64_t open_connections() const { return open_connections_.load(); }
  // The whole exposition: the series above, then process_resident_memory_bytes and
  // process_virtual_memory_bytes (/proc/self/statm) and process_start_time_seconds. Label
  // values are escaped (backslash, quote, newline).
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
