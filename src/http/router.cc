#include "http/router.h"

#include <algorithm>
#include <cstdlib>

#include "core/log.h"

namespace gz::http {
namespace {

// "/a/{b}/c" -> {"a", "{b}", "c"}; "/" -> {""}; "/a/" -> {"a", ""}.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  size_t start = 1;
  for (;;) {
    size_t end = path.find('/', start);
    out.push_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::vector<std::string> OwnedSegments(std::string_view path) {
  std::vector<std::string> out;
  for (std::string_view s : Segments(path)) out.emplace_back(s);
  return out;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`. On success, `score` has one bit per segment, set where the
// pattern has a literal: a literal beats a placeholder at the first segment where two differ.
bool MatchPattern(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path,
                  std::vector<std::pair<std::string, std::string>>* params, std::vector<bool>* score) {
  if (pattern.size() != path.size()) return false;
  params->clear();
  score->assign(pattern.size(), false);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsPlaceholder(pattern[i])) {
      if (path[i].empty()) return false;
      params->emplace_back(pattern[i].substr(1, pattern[i].size() - 2), std::string(path[i]));
    } else {
      if (pattern[i] != path[i]) return false;
      (*score)[i] = true;
    }
  }
  return true;
}

}  // namespace

void Router::Add(Route route) {
  // Route tables are built at startup from code: a bad one is a bug, so fail fast and loudly.
  bool bad_pattern = route.pattern.empty() || route.pattern[0] != '/';
  bool duplicate = std::any_of(routes_.begin(), routes_.end(), [&](const Route& r) {
    return r.method == route.method && r.pattern == route.pattern;
  });
  if (bad_pattern || duplicate) {
    log::Error("router.bad_route", {{"pattern", route.pattern},
                                    {"method", MethodName(route.method)},
                                    {"reason", duplicate ? "duplicate" : "pattern must start with /"}});
    std::abort();
  }
  pattern_segments_.push_back(OwnedSegments(route.pattern));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(Method method, std::string_view path,
                           std::vector<std::pair<std::string, std::string>>* params) const {
  Match match;
  std::vector<std::string_view> path_segments = Segments(path);
  std::vector<std::pair<std::string, std::string>> candidate_params;
  std::vector<bool> score, best_score;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!MatchPattern(pattern_segments_[i], path_segments, &candidate_params, &score)) continue;
    match.path_known = true;
    match.allowed.push_back(route.method);
    if (route.method == Method::kGet) match.allowed.push_back(Method::kHead);
    bool method_ok = route.method == method || (method == Method::kHead && route.method == Method::kGet);
    if (!method_ok) continue;
    // An explicit HEAD route beats the implicit one from GET; otherwise the more literal wins.
    bool better = match.route == nullptr || score > best_score ||
                  (score == best_score && route.method == method && match.route->method != method);
    if (better) {
      match.route = &route;
      best_score = score;
      if (params) *params = candidate_params;
    }
  }
  std::sort(match.allowed.begin(), match.allowed.end());
  match.allowed.erase(std::unique(match.allowed.begin(), match.allowed.end()), match.allowed.end());
  return match;
}

size_t Router::LargestBodyLimit(size_t default_limit) const {
  size_t largest = default_limit;
  for (const Route& r : routes_) largest = std::max(largest, r.max_body_bytes);
  return largest;
}

}  // namespace gz::http
