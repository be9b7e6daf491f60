#include "http/problem.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "core/log.h"

namespace gz::http {
namespace {

// The HTTP layer's own problems. Slugs are in problem.h (namespace problems).
constexpr ProblemText kHttpProblems[] = {
    {problems::kNotFound, "未找到", "请求的地址不存在",
     "Not found", "Nothing exists at this address"},
    {problems::kMethodNotAllowed, "不支持该请求方法", "该地址不支持 {method} 请求，可用的方法：{allowed}",
     "Method not allowed", "This address does not support {method}; allowed methods: {allowed}"},
    {problems::kMalformedJson, "请求体不是有效的 JSON",
     "请求体不是有效的 JSON：第 {line} 行第 {column} 列附近出错",
     "Malformed JSON", "The request body is not valid JSON: error near line {line}, column {column}"},
    {problems::kJsonTooDeep, "JSON 嵌套层数过多",
     "请求体的 JSON 嵌套超过了 {max_depth} 层（第 {line} 行第 {column} 列）",
     "JSON nested too deeply",
     "The request body nests JSON deeper than {max_depth} levels (line {line}, column {column})"},
    {problems::kDuplicateJsonKey, "JSON 中有重复的键",
     "同一个 JSON 对象中，键“{key}”出现了不止一次（第 {line} 行第 {column} 列）",
     "Duplicate JSON key",
     "The key \"{key}\" appears more than once in the same object (line {line}, column {column})"},
    {problems::kExpectedObject, "请求体应为 JSON 对象", "请求体必须是一个 JSON 对象，不能是数组、字符串、数字或 null",
     "JSON object expected", "The request body must be a JSON object, not an array, string, number or null"},
    {problems::kEmptyBody, "缺少请求体", "该接口需要 JSON 格式的请求体，但请求体为空",
     "Missing request body", "This endpoint needs a JSON request body, but the body is empty"},
    {problems::kUnknownField, "请求中有无法识别的字段", "字段“{field}”不属于此接口，请删除后重试",
     "Unknown field", "The field \"{field}\" is not part of this endpoint; remove it and try again"},
    {problems::kMissingField, "缺少必填字段", "请填写字段“{field}”", "Missing field",
     "The field \"{field}\" is required"},
    {problems::kBadField, "字段值无效", "字段“{field}”的值无效：{reason}", "Invalid field",
     "The value of the field \"{field}\" is invalid: {reason}"},
    {problems::kBodyTooLarge, "请求体过大", "请求体超过了 {limit} 字节的上限",
     "Request body too large", "The request body exceeds the limit of {limit} bytes"},
    {problems::kHeaderTooLarge, "请求头过大", "请求头超过了 {limit} 字节的上限",
     "Request header too large", "The request header exceeds the limit of {limit} bytes"},
    {problems::kUnsupportedMediaType, "不支持的内容类型",
     "该接口只接受 Content-Type 为 application/json（UTF-8 编码）的请求体",
     "Unsupported media type", "This endpoint accepts only Content-Type application/json (UTF-8)"},
    {problems::kRequestTimeout, "请求超时", "服务器未能在规定时间内收到完整的请求，连接已关闭",
     "Request timeout", "The complete request did not arrive in time; the connection is closed"},
    {problems::kBadRequest, "请求格式错误", "服务器无法解析该 HTTP 请求",
     "Bad request", "The server could not parse this HTTP request"},
    {problems::kInvalidPath, "请求地址无效",
     "请求地址中含有无效的百分号编码、空字符、非 UTF-8 字符或“.”“..”路径段",
     "Invalid request path",
     "The request path contains an invalid percent-encoding, a NUL, invalid UTF-8, or a \".\" or \"..\" segment"},
    {problems::kShuttingDown, "服务器正在停止", "服务器正在停止服务，请稍后重试",
     "Server shutting down", "The server is shutting down; please retry shortly"},
    {problems::kOverloaded, "服务器繁忙", "当前连接数已达上限，请稍后重试",
     "Server busy", "Too many open connections; please retry shortly"},
    {problems::kInternal, "服务器内部错误",
     "服务器发生了意外错误，已记录在案。如问题持续出现，请联系管理员并提供请求编号 {request_id}",
     "Internal server error",
     "An unexpected error occurred and has been logged. If it persists, contact the administrator "
     "and give the request id {request_id}"},
};

struct GenericText {
  std::string_view title_zh, detail_zh, title_en, detail_en;
};

// For slugs nobody registered: a text that is true for every problem with that code.
GenericText GenericTextFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return {"请求无效", "请求中有无效的内容，请检查后重试", "Invalid request", "The request contains invalid data"};
    case Code::kUnauthenticated:
      return {"需要登录", "请先登录后再进行此操作", "Sign-in required", "Please sign in first"};
    case Code::kPermissionDenied:
      return {"没有权限", "您没有执行此操作的权限", "Permission denied", "You are not allowed to do this"};
    case Code::kNotFound:
      return {"未找到", "请求的内容不存在", "Not found", "The requested item does not exist"};
    case Code::kMethodNotAllowed:
      return {"不支持该请求方法", "该地址不支持此请求方法", "Method not allowed",
              "This address does not support this method"};
    case Code::kAlreadyExists:
      return {"已存在", "要创建的内容已经存在", "Already exists", "The item already exists"};
    case Code::kFailedPrecondition:
      return {"当前状态不允许此操作", "该内容当前的状态不允许执行此操作", "Operation not allowed now",
              "The item is not in a state that allows this operation"};
    case Code::kAborted:
      return {"操作冲突", "数据已被其他人修改，请刷新后重试", "Conflict",
              "The data was changed by someone else; reload and try again"};
    case Code::kTooLarge:
      return {"内容过大", "提交的内容超过了允许的大小", "Too large", "The submitted content is too large"};
    case Code::kUnsupportedMediaType:
      return {"不支持的内容类型", "服务器不支持该请求体的格式", "Unsupported media type",
              "The server does not accept this request body format"};
    case Code::kRateLimited:
      return {"请求过于频繁", "请求过于频繁，请稍后再试", "Too many requests", "Too many requests; please retry later"};
    case Code::kUnavailable:
      return {"服务暂不可用", "服务暂时不可用，请稍后重试", "Service unavailable",
              "The service is temporarily unavailable; please retry shortly"};
    case Code::kOk:
    case Code::kInternal:
      break;
  }
  return {"服务器内部错误", "服务器发生了意外错误", "Internal server error", "An unexpected error occurred"};
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kMethodNotAllowed: return 405;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition:
    case Code::kAborted: return 409;
    case Code::kTooLarge: return 413;
    case Code::kUnsupportedMediaType: return 415;
    case Code::kRateLimited: return 429;
    case Code::kUnavailable: return 503;
    case Code::kOk:  // rendering an OK status as a problem is a bug
    case Code::kInternal: return 500;
  }
  return 500;
}

int HttpStatusFor(const Status& status) {
  if (status.slug() == problems::kHeaderTooLarge) return 431;
  if (status.slug() == problems::kRequestTimeout) return 408;
  return HttpStatusFor(status.code());
}

ProblemCatalog::ProblemCatalog() { Add(kHttpProblems); }

void ProblemCatalog::Add(std::span<const ProblemText> texts) {
  for (const ProblemText& t : texts) {
    if (!texts_.emplace(t.slug, t).second) {
      log::Error("problems.duplicate_slug", {{"slug", t.slug}});
      std::abort();
    }
  }
}

const ProblemText* ProblemCatalog::Find(std::string_view slug) const {
  auto it = texts_.find(slug);
  return it == texts_.end() ? nullptr : &it->second;
}

std::vector<std::string_view> ProblemCatalog::Slugs() const {
  std::vector<std::string_view> out;
  out.reserve(texts_.size());
  for (const auto& [slug, text] : texts_) out.push_back(slug);
  return out;
}

Response MakeProblem(const Status& status, const Request& request, const ProblemCatalog& catalog) {
  bool internal = status.code() == Code::kInternal || status.ok();
  // Internal problems show nothing of what went wrong: not the slug, not the arguments.
  static const Status kBareInternal = Status(Code::kInternal, std::string(problems::kInternal));
  const Status& shown = internal ? kBareInternal : status;
  bool en = request.language == Language::kEn;

  std::string title, detail;
  if (const ProblemText* text = catalog.Find(shown.slug())) {
    title = en ? text->title_en : text->title_zh;
    Status with_id = shown;  // {request_id} is available to every detail
    if (shown.Arg("request_id").empty()) with_id.With("request_id", request.request_id);
    detail = FillPlaceholders(en ? text->detail_en : text->detail_zh, with_id);
  } else {
    log::Warn("problems.unknown_slug", {{"slug", shown.slug()}, {"request_id", request.request_id}});
    GenericText g = GenericTextFor(shown.code());
    title = en ? g.title_en : g.title_zh;
    detail = en ? g.detail_en : g.detail_zh;
  }

  int http_status = HttpStatusFor(shown);
  boost::json::object body;
  body["type"] = "/problems/" + shown.slug();
  body["title"] = title;
  body["status"] = http_status;
  body["detail"] = detail;
  body["instance"] = request.path;
  body["request_id"] = request.request_id;

  Response response;
  response.status = http_status;
  response.body = boost::json::serialize(body);
  response.SetHeader("Content-Type", "application/problem+json; charset=utf-8");
  response.SetHeader("Content-Language", LanguageTag(request.language));
  response.SetHeader("Vary", "Accept-Language");
  if (http_status == 503 || http_status == 429) {
    std::string_view retry = shown.Arg("retry_after");
    response.SetHeader("Retry-After", AllDigits(retry) ? retry : "5");
  }
  return response;
}

}  // namespace gz::http
