// Problem types of the open311 module (slugs are stable; texts may change). The GeoReport routes
// render them in the GeoReport error format ([{code, description}], description = title and
// detail in the caller's language); the client administration routes as problem+json. Arguments
// never carry a key, a phone number or an appeal's text.
//
// Layer: open311 domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::open311::problems {

// Client administration.
inline constexpr std::string_view kClientNotFound = "open311/client-not-found";        // 404
inline constexpr std::string_view kBadClientName = "open311/bad-client-name";          // 400 {max}
inline constexpr std::string_view kBadScope = "open311/bad-scope";                     // 400 {reason}
inline constexpr std::string_view kScopeNotFound = "open311/scope-not-found";          // 404 (outside the caller's area)
inline constexpr std::string_view kAlreadyRevoked = "open311/already-revoked";         // 409
inline constexpr std::string_view kBadReason = "open311/bad-reason";                   // 400 {max}
// GeoReport.
inline constexpr std::string_view kKeyRequired = "open311/key-required";               // 403
inline constexpr std::string_view kBadKey = "open311/bad-key";                         // 403 (unknown or revoked)
inline constexpr std::string_view kJurisdictionRequired = "open311/jurisdiction-required";  // 400
inline constexpr std::string_view kBadJurisdiction = "open311/bad-jurisdiction";       // 400
inline constexpr std::string_view kUnknownJurisdiction = "open311/unknown-jurisdiction";  // 404
inline constexpr std::string_view kOutsideKeyScope = "open311/outside-key-scope";      // 403
inline constexpr std::string_view kUnknownService = "open311/unknown-service";         // 404 (definition) / 400 (POST)
inline constexpr std::string_view kReporterRequired = "open311/reporter-required";     // 400
inline constexpr std::string_view kReporterNotRegistered = "open311/reporter-not-registered";  // 400
inline constexpr std::string_view kReporterAmbiguous = "open311/reporter-ambiguous";   // 400
inline constexpr std::string_view kBadParameter = "open311/bad-parameter";             // 400 {param} {reason}
inline constexpr std::string_view kDuplicateParameter = "open311/duplicate-parameter"; // 400 {param}
inline constexpr std::string_view kAddressIdUnsupported = "open311/address-id-unsupported";  // 400
inline constexpr std::string_view kBadDateRange = "open311/bad-date-range";            // 400 {reason}
inline constexpr std::string_view kRequestNotFound = "open311/request-not-found";      // 404
inline constexpr std::string_view kTokenNotFound = "open311/token-not-found";          // 404
inline constexpr std::string_view kUnknownFormat = "open311/unknown-format";           // 404
inline constexpr std::string_view kFormEncodingRequired = "open311/form-encoding-required";  // 415

inline constexpr std::array<ProblemText, 24> kTexts = {{
    {kClientNotFound, "客户端不存在", "没有这个 Open311 客户端，或它不在您的管辖范围内", "Client not found",
     "There is no such Open311 client, or it lies outside your area"},
    {kBadClientName, "客户端名称无效", "名称须为 1 到 {max} 个字符，不含控制字符", "Invalid client name",
     "The name must be 1 to {max} characters without control characters"},
    {kBadScope, "范围无效", "范围须为一个县、乡镇（街道）或村的区划代码（{reason}）", "Invalid scope",
     "The scope must be the division code of a county, a township or a village ({reason})"},
    {kScopeNotFound, "范围不存在", "您的管辖范围内没有这个行政区划", "Scope not found",
     "There is no such division in your area"},
    {kAlreadyRevoked, "密钥已吊销", "这个客户端的密钥已经吊销", "Key already revoked",
     "The key of this client has already been revoked"},
    {kBadReason, "原因无效", "原因最多 {max} 个字符，不含控制字符", "Invalid reason",
     "The reason may have at most {max} characters, without control characters"},
    {kKeyRequired, "缺少 api_key", "提交诉求须提供县里签发的 api_key", "api_key required",
     "Submitting a request requires the api_key issued by the county"},
    {kBadKey, "api_key 无效", "这个 api_key 不存在或已被吊销", "Invalid api_key",
     "This api_key does not exist or has been revoked"},
    {kJurisdictionRequired, "缺少 jurisdiction_id", "须提供 jurisdiction_id：村或乡镇（街道）的 12 位区划代码",
     "jurisdiction_id required", "jurisdiction_id is required: the 12-digit code of a village or a township"},
    {kBadJurisdiction, "jurisdiction_id 无效", "jurisdiction_id 须为村或乡镇（街道）的区划代码",
     "Invalid jurisdiction_id", "jurisdiction_id must be the division code of a village or a township"},
    {kUnknownJurisdiction, "jurisdiction_id 不存在", "没有这个村或乡镇（街道）", "jurisdiction_id not found",
     "There is no such village or township"},
    {kOutsideKeyScope, "超出密钥范围", "这个 api_key 不能用于该 jurisdiction_id", "Outside the key's scope",
     "This api_key may not be used for this jurisdiction_id"},
    {kUnknownService, "service_code 不存在", "没有这个诉求类别（service_code）", "service_code not found",
     "There is no such service_code (appeal category)"},
    {kReporterRequired, "缺少反映人", "须提供反映人的 phone（手机号）或 account_id", "Reporter required",
     "Give the reporter's phone (mobile number) or account_id"},
    {kReporterNotRegistered, "反映人未登记", "反映人须是该村（社区）已登记的村民：请先到村委会登记或注册",
     "Reporter not registered",
     "The reporter must be a registered villager of this jurisdiction: register with the village committee first"},
    {kReporterAmbiguous, "反映人不唯一", "多位登记村民使用这个手机号，请改用 account_id", "Reporter ambiguous",
     "Several registered villagers share this phone number; use account_id instead"},
    {kBadParameter, "参数无效", "参数 {param} 无效（{reason}）", "Invalid parameter", "Parameter {param} is invalid ({reason})"},
    {kDuplicateParameter, "参数重复", "参数 {param} 出现了不止一次", "Duplicate parameter",
     "Parameter {param} was given more than once"},
    {kAddressIdUnsupported, "不支持 address_id", "本系统没有地址库：请提供 lat/long 或 address_string",
     "address_id not supported", "There is no address repository here: give lat/long or address_string"},
    {kBadDateRange, "日期范围无效", "start_date 与 end_date 须为 W3C 日期时间，范围不超过 90 天（{reason}）",
     "Invalid date range", "start_date and end_date must be W3C date-times at most 90 days apart ({reason})"},
    {kRequestNotFound, "诉求不存在", "没有这个 service_request_id", "Request not found",
     "There is no such service_request_id"},
    {kTokenNotFound, "token 不存在", "没有这个 token", "Token not found", "There is no such token"},
    {kUnknownFormat, "格式不支持", "只支持 .json 与 .xml", "Format not supported", "Only .json and .xml are supported"},
    {kFormEncodingRequired, "须为表单编码", "请求体须为 application/x-www-form-urlencoded",
     "Form encoding required", "The body must be application/x-www-form-urlencoded"},
}};

}  // namespace gz::open311::problems
