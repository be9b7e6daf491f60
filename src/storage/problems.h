// Problem types the storage layer returns (slugs and their translated texts).
//
// Layer: storage. app/ hands kStorageProblems to the HTTP catalog like any module's list. Module
// code usually maps kConflict / kConstraint to a problem of its own ("appeals/duplicate"), since
// only it knows what the conflict means to the user; the busy / disk-full ones pass through.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::storage::problems {

inline constexpr std::string_view kConflict = "storage/conflict";              // kAlreadyExists
inline constexpr std::string_view kConstraint = "storage/constraint";          // kFailedPrecondition
inline constexpr std::string_view kBusy = "storage/busy";                      // kUnavailable
inline constexpr std::string_view kDiskFull = "storage/disk-full";             // kUnavailable
// The database server cannot be reached (PostgreSQL down or restarting); the store reconnects
// by itself. kUnavailable, so the HTTP layer answers 503 with Retry-After.
inline constexpr std::string_view kUnavailable = "storage/unavailable";
inline constexpr std::string_view kCannotOpen = "storage/cannot-open";         // kUnavailable, {reason}
inline constexpr std::string_view kBadDatabaseUrl = "storage/bad-database-url";  // kInvalidArgument, {reason}
inline constexpr std::string_view kBadOptions = "storage/bad-options";         // kInvalidArgument, {reason}
inline constexpr std::string_view kStoreNewerThanBinary = "storage/store-newer-than-binary";  // {migrations}
inline constexpr std::string_view kMigrationFailed = "storage/migration-failed";  // kInternal, {migration}

inline constexpr std::array<ProblemText, 10> kStorageProblems = {{
    {kConflict, "数据冲突", "该记录已存在", "Conflict", "The record already exists"},
    {kConstraint, "数据不符合约束", "该操作与已有数据不一致", "Constraint violated",
     "The operation is inconsistent with existing data"},
    {kBusy, "系统繁忙", "数据库正忙，请稍后重试", "Busy", "The database is busy; please retry shortly"},
    {kUnavailable, "数据库暂时不可用", "数据库暂时无法连接，请稍后重试", "Database unavailable",
     "The database cannot be reached right now; please retry shortly"},
    {kDiskFull, "存储空间不足", "存储空间已满，暂时无法保存", "Storage full",
     "The storage is full; nothing can be saved for now"},
    {kCannotOpen, "无法打开数据库", "无法打开数据库：{reason}", "Cannot open the database",
     "The database cannot be opened: {reason}"},
    {kBadDatabaseUrl, "数据库地址无效", "数据库地址无效：{reason}", "Invalid database URL",
     "The database URL is invalid: {reason}"},
    {kBadOptions, "数据库选项无效", "数据库选项无效：{reason}", "Invalid database options",
     "The database options are invalid: {reason}"},
    {kStoreNewerThanBinary, "数据库版本较新", "数据库包含本程序不认识的迁移：{migrations}",
     "Database is newer than this program",
     "The database holds migrations this program does not know: {migrations}"},
    {kMigrationFailed, "数据库迁移失败", "迁移 {migration} 失败", "Migration failed",
     "Migration {migration} failed"},
}};

}  // namespace gz::storage::problems
