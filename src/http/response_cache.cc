#include "http/response_cache.h"

namespace gz::http {

std::optional<Response> ResponseCache::Get(std::string_view key) const {
  std::shared_ptr<const Response> hit;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(std::string(key));
    if (it == entries_.end() || clock_.Monotonic() >= it->second.expires) return std::nullopt;
    hit = it->second.response;
  }
  return *hit;  // copied outside the lock
}

void ResponseCache::Put(std::string key, const Response& response) {
  if (response.status != 200) return;
  size_t size = key.size() + response.body.size();
  if (size > max_bytes_) return;
  auto copy = std::make_shared<const Response>(response);
  std::lock_guard lock(mu_);
  if (bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (!inserted) bytes_ -= it->first.size() + it->second.response->body.size();
  it->second = Entry{std::move(copy), clock_.Monotonic() + ttl_};
  bytes_ += size;
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  bytes_ = 0;
}

size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace gz::http
