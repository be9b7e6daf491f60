#include "http/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

namespace gz::http {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

double SampleValue(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

TEST(MetricsTest, CountsAndHistogramBuckets) {
  Metrics m;
  m.ObserveRequest("/api/v1/divisions/{code}", "GET", 200, 0.0004);
  m.ObserveRequest("/api/v1/divisions/{code}", "GET", 200, 0.003);
  m.ObserveRequest("/api/v1/divisions/{code}", "GET", 200, 42.0);
  m.ObserveRequest("unmatched", "GET", 404, 0.001);
  std::string text = m.RenderPrometheus();
  const std::string labels = "route=\"/api/v1/divisions/{code}\",method=\"GET\",status=\"200\"";
  EXPECT_TRUE(Contains(text, "# TYPE gz_http_requests_total counter"));
  EXPECT_TRUE(Contains(text, "# TYPE gz_http_request_duration_seconds histogram"));
  EXPECT_TRUE(Contains(text, "gz_http_requests_total{" + labels + "} 3"));
  EXPECT_TRUE(Contains(text, "gz_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{" + labels + ",le=\"0.001\"} 1"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{" + labels + ",le=\"0.0025\"} 1"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 2"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{" + labels + ",le=\"10\"} 2"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3"));
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_count{" + labels + "} 3"));
  EXPECT_NEAR(SampleValue(text, "gz_http_request_duration_seconds_sum{" + labels + "}"), 42.0034, 1e-9);
  // A value exactly on a bound belongs to that bucket (le = "less or equal").
  EXPECT_TRUE(Contains(text, "gz_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"GET\","
                             "status=\"404\",le=\"0.001\"} 1"));
}

TEST(MetricsTest, EveryLineIsValidExpositionFormat) {
  Metrics m;
  m.ObserveRequest("/a", "POST", 201, 0.02);
  m.ConnectionOpened();
  std::string text = m.RenderPrometheus();
  ASSERT_EQ(text.back(), '\n');
  std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf|-Inf|NaN))");
  std::istringstream in(text);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_TRUE(std::regex_match(line, comment) || std::regex_match(line, sample)) << line;
  }
  EXPECT_GT(lines, 20);
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.ObserveRequest("/a\"b\\c\nd", "GET", 200, 0.001);
  std::string text = m.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "gz_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\",status=\"200\"} 1"));
}

TEST(MetricsTest, ConnectionsAndProcessFigures) {
  Metrics m;
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  EXPECT_EQ(m.open_connections(), 1);
  std::string text = m.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# TYPE gz_http_open_connections gauge"));
  EXPECT_TRUE(Contains(text, "gz_http_open_connections 1"));
  EXPECT_TRUE(Contains(text, "# TYPE gz_http_connections_total counter"));
  EXPECT_TRUE(Contains(text, "gz_http_connections_total 2"));
  double rss = SampleValue(text, "process_resident_memory_bytes");
  double vsz = SampleValue(text, "process_virtual_memory_bytes");
  EXPECT_GT(rss, 1 << 20);
  EXPECT_GE(vsz, rss);
  double start = SampleValue(text, "process_start_time_seconds");
  double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(start, now + 1);
  EXPECT_GT(start, now - 3600);  // this test binary started less than an hour ago
}

TEST(MetricsTest, ConcurrentObservationsAreAllCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.ObserveRequest("/x", "GET", 200, 0.001);
    });
  for (auto& t : threads) t.join();
  EXPECT_TRUE(Contains(m.RenderPrometheus(), "gz_http_requests_total{route=\"/x\",method=\"GET\",status=\"200\"} 4000"));
}

}  // namespace
}  // namespace gz::http
