#include "http/metrics.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <iterator>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace gz::http {
namespace {

// Prometheus label values escape backslash, double quote and newline (text format 0.0.4).
void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void AppendNumber(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendLabels(std::string& out, const std::string& route, const std::string& method, int status,
                  const char* le = nullptr) {
  out += "{route=\"";
  AppendLabelValue(out, route);
  out += "\",method=\"";
  AppendLabelValue(out, method);
  out += "\",status=\"";
  out += std::to_string(status);
  out += '"';
  if (le) {
    out += ",le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

void AppendHeader(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendSample(std::string& out, const char* name, double value) {
  out += name;
  out += ' ';
  AppendNumber(out, value);
  out += '\n';
}

// Resident and virtual size in bytes, from /proc/self/statm (pages). Zero if unreadable.
std::pair<double, double> ProcessMemory() {
  std::ifstream statm("/proc/self/statm");
  double size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return {0, 0};
  double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return {resident_pages * page, size_pages * page};
}

// Process start in Unix seconds: boot time (/proc/stat btime) + start ticks (/proc/self/stat).
double ComputeProcessStartTime() {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields resume after the last ')'.
  size_t paren = stat.rfind(')');
  std::ifstream proc_stat("/proc/stat");
  std::string key;
  double btime = -1;
  while (proc_stat >> key) {
    if (key == "btime") {
      proc_stat >> btime;
      break;
    }
  }
  if (paren != std::string::npos && btime >= 0) {
    std::istringstream fields(stat.substr(paren + 2));
    std::string field;
    // After ')' come fields 3 (state) ... 22 (starttime): skip 19 of them.
    for (int i = 0; i < 19 && fields >> field;) ++i;
    double start_ticks = 0;
    if (fields >> start_ticks) return btime + start_ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double ProcessStartTime() {
  static const double start = ComputeProcessStartTime();
  return start;
}

}  // namespace

Metrics::Metrics()
    : bounds_{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10} {
  ProcessStartTime();  // read /proc once, early, rather than on the first scrape
}

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status, double seconds) {
  // First bucket whose upper bound holds the value; past the last one only +Inf counts it.
  size_t bucket = 0;
  while (bucket < bounds_.size() && seconds > bounds_[bucket]) ++bucket;
  std::lock_guard lock(mu_);
  Series& s = series_[{std::string(route), std::string(method), status}];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  ++s.count;
  s.sum += seconds;
  if (bucket < bounds_.size()) ++s.buckets[bucket];
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  {
    std::lock_guard lock(mu_);
    out.reserve(256 + series_.size() * (bounds_.size() + 4) * 96);
    AppendHeader(out, "gz_http_requests_total", "counter",
                 "HTTP requests answered, by route pattern, method and status.");
    for (const auto& [key, s] : series_) {
      const auto& [route, method, status] = key;
      out += "gz_http_requests_total";
      AppendLabels(out, route, method, status);
      out += ' ' + std::to_string(s.count) + '\n';
    }
    AppendHeader(out, "gz_http_request_duration_seconds", "histogram",
                 "Time from a complete request to its response, by route pattern, method and status.");
    for (const auto& [key, s] : series_) {
      const auto& [route, method, status] = key;
      uint64_t cumulative = 0;
      for (size_t i = 0; i < bounds_.size(); ++i) {
        cumulative += s.buckets[i];
        std::string le;
        AppendNumber(le, bounds_[i]);
        out += "gz_http_request_duration_seconds_bucket";
        AppendLabels(out, route, method, status, le.c_str());
        out += ' ' + std::to_string(cumulative) + '\n';
      }
      out += "gz_http_request_duration_seconds_bucket";
      AppendLabels(out, route, method, status, "+Inf");
      out += ' ' + std::to_string(s.count) + '\n';
      out += "gz_http_request_duration_seconds_sum";
      AppendLabels(out, route, method, status);
      out += ' ';
      AppendNumber(out, s.sum);
      out += '\n';
      out += "gz_http_request_duration_seconds_count";
      AppendLabels(out, route, method, status);
      out += ' ' + std::to_string(s.count) + '\n';
    }
  }
  AppendHeader(out, "gz_http_open_connections", "gauge", "HTTP connections open now.");
  AppendSample(out, "gz_http_open_connections", static_cast<double>(open_connections_.load()));
  AppendHeader(out, "gz_http_connections_total", "counter", "HTTP connections accepted.");
  AppendSample(out, "gz_http_connections_total", static_cast<double>(total_connections_.load()));
  auto [resident, virtual_bytes] = ProcessMemory();
  AppendHeader(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  AppendSample(out, "process_resident_memory_bytes", resident);
  AppendHeader(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  AppendSample(out, "process_virtual_memory_bytes", virtual_bytes);
  AppendHeader(out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
  AppendSample(out, "process_start_time_seconds", ProcessStartTime());
  return out;
}

}  // namespace gz::http
