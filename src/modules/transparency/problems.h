// Problem types of the transparency log (slugs are stable; texts may change).
//
// Layer: transparency domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::transparency::problems {

// 404 {index} {signed_size}: the entry is not (yet) covered by a signed checkpoint.
inline constexpr std::string_view kNotIncludedYet = "tlog/not-included-yet";
// 400 {reason}: sizes or indexes outside what the log has signed.
inline constexpr std::string_view kBadRange = "tlog/bad-range";
// 404: a tile or bundle the log does not have (yet).
inline constexpr std::string_view kTileNotFound = "tlog/tile-not-found";
// 400: an entry of 0 or more than 65,535 bytes, or a village code that is not 12 digits.
inline constexpr std::string_view kBadEntry = "tlog/bad-entry";
// 503: no checkpoint has been signed yet (the signer starts with the server).
inline constexpr std::string_view kNoCheckpoint = "tlog/no-checkpoint";
// 503 {reason}: the stored log does not reproduce what was signed (tampering or corruption).
inline constexpr std::string_view kTampered = "tlog/tampered";

// Used by the CLI (gongzhi verify / witness / tlog) and at start-up.
// 409 {reason}: what `gongzhi verify` or `gongzhi witness` found wrong (English, names the item).
inline constexpr std::string_view kVerifyFailed = "tlog/verify-failed";
// 503 {reason}: the log could not be fetched from the given URL.
inline constexpr std::string_view kFetchFailed = "tlog/fetch-failed";
// 400 {reason}: the URL is not http://host[:port][/prefix].
inline constexpr std::string_view kBadUrl = "tlog/bad-url";
// 409 {path} {reason}: the signing key file is missing, unreadable, too open or for another origin.
inline constexpr std::string_view kKeyFile = "tlog/key-file";
// 404 {path}: a file given to the CLI cannot be read or written.
inline constexpr std::string_view kFile = "tlog/file";

inline constexpr std::array<ProblemText, 11> kTexts = {{
    {kNotIncludedYet, "条目尚未纳入签名检查点", "条目 {index} 尚未纳入已签名的日志（当前已签名 {signed_size} 条），请稍后再试",
     "Entry not included yet", "Entry {index} is not covered by a signed checkpoint yet ({signed_size} signed); try again shortly"},
    {kBadRange, "范围无效", "请求的序号或树大小超出日志已签名的范围（{reason}）", "Invalid range",
     "The index or tree size is outside what the log has signed ({reason})"},
    {kTileNotFound, "没有该分片", "日志没有这个分片", "Tile not found", "The log has no such tile"},
    {kBadEntry, "日志条目无效", "日志条目须为 1 至 65535 字节，村代码须为 12 位数字", "Invalid log entry",
     "A log entry is 1 to 65,535 bytes and its village code 12 digits"},
    {kNoCheckpoint, "尚无检查点", "透明日志尚未签名任何检查点", "No checkpoint yet",
     "The transparency log has not signed a checkpoint yet"},
    {kTampered, "透明日志校验失败", "存储的日志与已签名的检查点不一致（{reason}）", "Transparency log check failed",
     "The stored log does not reproduce its signed checkpoints ({reason})"},
    {kVerifyFailed, "校验未通过", "{reason}", "Verification failed", "{reason}"},
    {kFetchFailed, "无法获取日志", "无法从该地址获取透明日志（{reason}）", "Cannot fetch the log",
     "The transparency log could not be fetched from that address ({reason})"},
    {kBadUrl, "地址无效", "地址须为 http://主机[:端口][/前缀]（{reason}）", "Invalid URL",
     "The URL must be http://host[:port][/prefix] ({reason})"},
    {kKeyFile, "日志签名密钥文件有误", "签名密钥文件 {path} 不可用（{reason}）", "Log signing key file unusable",
     "The signing key file {path} cannot be used ({reason})"},
    {kFile, "文件无法读写", "无法读写文件 {path}", "File not readable or writable", "Cannot read or write the file {path}"},
}};

}  // namespace gz::transparency::problems
