// Layer: cli (see http_get.h).
#include "cli/http_get.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

namespace gz::cli {
namespace {

constexpr size_t kMaxAnswerBytes = 64u << 20;

Status FetchFailed(std::string reason) {
  return Status(Code::kUnavailable, "tlog/fetch-failed").With("reason", std::move(reason));
}

struct Url {
  std::string host, port = "80", prefix;
};

Result<Url> ParseUrl(std::string_view base) {
  constexpr std::string_view kScheme = "http://";
  if (!base.starts_with(kScheme))
    return Status(Code::kInvalidArgument, "tlog/bad-url")
        .With("reason", "only http:// is supported; put https in a fronting proxy or mirror the tiles");
  base.remove_prefix(kScheme.size());
  Url u;
  size_t slash = base.find('/');
  std::string_view authority = base.substr(0, slash);
  if (slash != std::string_view::npos) u.prefix = std::string(base.substr(slash));
  while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    u.port = std::string(authority.substr(colon + 1));
  } else {
    u.host = std::string(authority);
  }
  if (u.host.size() > 2 && u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
  if (u.host.empty() || u.port.empty()) return Status(Code::kInvalidArgument, "tlog/bad-url").With("reason", "no host");
  return u;
}

Result<std::string> Dechunk(std::string_view body) {
  std::string out;
  while (true) {
    size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) return FetchFailed("bad chunked body");
    size_t len = std::strtoul(std::string(body.substr(0, eol)).c_str(), nullptr, 16);
    body.remove_prefix(eol + 2);
    if (len == 0) return out;
    if (body.size() < len + 2) return FetchFailed("truncated chunk");
    out.append(body.substr(0, len));
    body.remove_prefix(len + 2);
  }
}

}  // namespace

Result<HttpAnswer> HttpGet(std::string_view base, std::string_view path) {
  GZ_ASSIGN_OR_RETURN(Url url, ParseUrl(base));
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found); rc != 0)
    return FetchFailed(std::string("cannot resolve ") + url.host + ": " + gai_strerror(rc));
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    timeval tv{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return FetchFailed("cannot connect to " + url.host + ":" + url.port);
  std::string request = "GET " + url.prefix + std::string(path) + " HTTP/1.1\r\nHost: " + url.host + ":" + url.port +
                        "\r\nUser-Agent: gongzhi-verify\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return FetchFailed("cannot send the request");
    }
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[64 * 1024];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      ::close(fd);
      return FetchFailed("read failed or timed out");
    }
    if (n == 0) break;
    raw.append(buf, static_cast<size_t>(n));
    if (raw.size() > kMaxAnswerBytes) {
      ::close(fd);
      return FetchFailed("answer too large");
    }
  }
  ::close(fd);
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || !raw.starts_with("HTTP/1.")) return FetchFailed("not an HTTP answer");
  HttpAnswer answer;
  answer.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  std::string head = raw.substr(0, head_end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view body = std::string_view(raw).substr(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    GZ_ASSIGN_OR_RETURN(answer.body, Dechunk(body));
  } else {
    size_t cl = head.find("\r\ncontent-length:");
    if (cl != std::string::npos) {
      size_t len = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
      if (body.size() < len) return FetchFailed("truncated body");
      body = body.substr(0, len);
    }
    answer.body = std::string(body);
  }
  return answer;
}

}  // namespace gz::cli
