// Problem types of the appeals module (slugs are stable; texts may change). Arguments never carry
// personal data: a bad text is reported by its reason and limits, never by its content.
//
// Layer: appeals domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::appeals::problems {

inline constexpr std::string_view kAppealNotFound = "appeals/appeal-not-found";        // 404
inline constexpr std::string_view kBadText = "appeals/bad-text";                      // 400 {reason} {min} {max}
inline constexpr std::string_view kBadNote = "appeals/bad-note";                      // 400 {reason} {min} {max}
inline constexpr std::string_view kBadLocation = "appeals/bad-location";              // 400 {reason}
inline constexpr std::string_view kBadUnit = "appeals/bad-unit";                      // 400 {reason}
inline constexpr std::string_view kBadVillage = "appeals/bad-village";                // 400
inline constexpr std::string_view kUnknownCategory = "appeals/unknown-category";      // 400
inline constexpr std::string_view kSubmitterNotFound = "appeals/submitter-not-found"; // 400
inline constexpr std::string_view kNoHomeVillage = "appeals/no-home-village";         // 409
inline constexpr std::string_view kFieldNotAllowed = "appeals/field-not-allowed";     // 400 {field}
inline constexpr std::string_view kFieldRequired = "appeals/field-required";          // 400 {field}
inline constexpr std::string_view kNotAllowed = "appeals/not-allowed";                // 403 {action} {state}
inline constexpr std::string_view kTransitionNotAllowed = "appeals/transition-not-allowed";  // 409 {action} {state}
inline constexpr std::string_view kSystemOnly = "appeals/system-only";                // 403
inline constexpr std::string_view kConflictOfInterest = "appeals/conflict-of-interest";  // 403
inline constexpr std::string_view kEditConflict = "appeals/edit-conflict";            // 409 (kAborted)
inline constexpr std::string_view kRatingWindowOpen = "appeals/rating-window-open";   // 409 {until}
inline constexpr std::string_view kContestLimit = "appeals/contest-limit";            // 409 {limit}
inline constexpr std::string_view kSameUnit = "appeals/same-unit";                    // 409
inline constexpr std::string_view kTooManyOpen = "appeals/too-many-open";             // 409 {limit}
// 400 {reason: length | characters}: the Idempotency-Key header is 8 to 64 of A-Z a-z 0-9 - _ . :
inline constexpr std::string_view kBadIdempotencyKey = "appeals/bad-idempotency-key";
// 409. The account used this Idempotency-Key for another appeal (a client bug: a new appeal needs
// a new key). The store's own signal for a key already used is kSubmissionKeyUsed.
inline constexpr std::string_view kIdempotencyKeyReused = "appeals/idempotency-key-reused";
inline constexpr std::string_view kSubmissionKeyUsed = "appeals/submission-key-used";  // internal (kAlreadyExists)
inline constexpr std::string_view kDeadlineHandled = "appeals/deadline-handled";      // 409 (the sweep's key)
inline constexpr std::string_view kBadDeadlineRule = "appeals/bad-deadline-rule";     // 400 {reason}
inline constexpr std::string_view kDeadlineRuleNotFound = "appeals/deadline-rule-not-found";  // 404
inline constexpr std::string_view kBadUnitRule = "appeals/bad-unit-rule";             // 400 {reason}
inline constexpr std::string_view kUnitRuleNotFound = "appeals/unit-rule-not-found";  // 404
// 409. The caller already joined (附议) this appeal.
inline constexpr std::string_view kAlreadyJoined = "appeals/already-joined";
// 409 {reason: own-appeal | not-open | other-village | not-a-villager}: joining is for villagers of
// the appeal's village, on open appeals that are not their own.
inline constexpr std::string_view kCannotJoin = "appeals/cannot-join";
// 404. A place (village, township, county) that does not exist or is outside the caller's area.
inline constexpr std::string_view kPlaceNotFound = "appeals/place-not-found";
inline constexpr std::string_view kNotificationNotFound = "appeals/notification-not-found";  // 404
inline constexpr std::string_view kBadPurpose = "appeals/bad-purpose";                // 400 {max}
inline constexpr std::string_view kBadQuery = "appeals/bad-query";                    // 400 {param} {reason}

inline constexpr std::array<ProblemText, 34> kTexts = {{
    {kAppealNotFound, "诉求不存在", "没有该诉求", "Appeal not found", "There is no such appeal"},
    {kBadText, "诉求内容无效", "诉求内容须为 {min} 至 {max} 个字（{reason}）", "Invalid appeal text",
     "The appeal text must have {min} to {max} characters ({reason})"},
    {kBadNote, "说明无效", "说明须为 {min} 至 {max} 个字（{reason}）", "Invalid note",
     "The note must have {min} to {max} characters ({reason})"},
    {kBadLocation, "位置无效", "位置信息无效（{reason}）", "Invalid location", "The location is invalid ({reason})"},
    {kBadUnit, "承办单位无效", "承办单位无效（{reason}）", "Invalid handling unit",
     "The handling unit is invalid ({reason})"},
    {kAlreadyJoined, "已经附议过", "您已经附议过这条诉求", "Already joined", "You already joined this appeal"},
    {kCannotJoin, "不能附议", "只能附议本村其他人仍在办理中的诉求（{reason}）", "Cannot join",
     "You can join only open appeals of other people in your own village ({reason})"},
    {kPlaceNotFound, "找不到该地方", "您的辖区内没有这个村、乡镇或县", "Place not found",
     "There is no such village, township or county in your area"},
    {kBadVillage, "村代码无效", "诉求须属于一个村，村级区划代码为 12 位数字", "Invalid village",
     "An appeal belongs to a village, named by its 12-digit code"},
    {kUnknownCategory, "诉求分类无效", "请从分类列表中选择", "Unknown category", "Pick a category from the list"},
    {kSubmitterNotFound, "诉求人不存在", "没有该村民，或其不属于本村", "Submitter not found",
     "There is no such villager, or they do not belong to this village"},
    {kNoHomeVillage, "没有所属村", "您的账户尚未关联所属村，请联系村委会", "No home village",
     "Your account is not linked to a village yet; ask the village committee"},
    {kFieldNotAllowed, "不允许的字段", "此操作不接受字段 {field}", "Field not allowed",
     "This action does not take the field {field}"},
    {kFieldRequired, "缺少字段", "此操作需要字段 {field}", "Field required", "This action needs the field {field}"},
    {kNotAllowed, "无权进行此操作", "您不能对处于“{state}”状态的诉求执行“{action}”", "Not allowed",
     "You may not {action} an appeal that is {state}"},
    {kTransitionNotAllowed, "当前状态不允许此操作", "处于“{state}”状态的诉求不能执行“{action}”",
     "Not possible in this state", "An appeal that is {state} cannot be given the action {action}"},
    {kSystemOnly, "仅由系统执行", "超期升级由系统按时限自动执行", "Done by the system only",
     "Escalation happens automatically when a deadline passes"},
    {kConflictOfInterest, "需要回避", "您与该诉求有利害关系（本人提交或本人承办），请由他人办理",
     "Conflict of interest", "You submitted or handle this appeal; someone else must do this"},
    {kEditConflict, "诉求已被他人更新", "该诉求刚刚被他人处理，请刷新后重试", "Appeal changed meanwhile",
     "Someone else changed this appeal just now; reload it and try again"},
    {kRatingWindowOpen, "评价期限未到", "诉求人可在 {until} 前评价，之后方可登记回访", "Rating window still open",
     "The submitter may rate until {until}; a follow-up visit can be recorded after that"},
    {kContestLimit, "申诉次数已用完", "每项不予受理决定最多申诉 {limit} 次", "No contest left",
     "A rejection can be contested at most {limit} times"},
    {kSameUnit, "承办单位未变", "请选择另一个承办单位", "Same handling unit", "Choose another handling unit"},
    {kTooManyOpen, "未办结诉求过多", "您已有 {limit} 项未办结的诉求，请等待办理或合并到已有诉求",
     "Too many open appeals", "You already have {limit} open appeals; wait for them or join an existing one"},
    {kBadIdempotencyKey, "请求标识无效", "Idempotency-Key 须为 8 到 64 个字母、数字或 - _ . :（{reason}）",
     "Invalid idempotency key", "The Idempotency-Key must be 8 to 64 letters, digits or - _ . : ({reason})"},
    {kIdempotencyKeyReused, "请求标识已用于另一项诉求", "此 Idempotency-Key 已用于另一项诉求，新诉求请使用新的标识",
     "Idempotency key already used", "This Idempotency-Key was used for another appeal; a new appeal needs a new key"},
    {kSubmissionKeyUsed, "请求标识已使用", "此 Idempotency-Key 已经使用过", "Idempotency key used",
     "This Idempotency-Key was used before"},
    {kDeadlineHandled, "时限已处理", "该时限的超期升级已经执行", "Deadline already handled",
     "This deadline has already been escalated"},
    {kBadDeadlineRule, "办理时限无效", "办理时限设置无效（{reason}）", "Invalid deadline rule",
     "The deadline rule is invalid ({reason})"},
    {kDeadlineRuleNotFound, "时限设置不存在", "该地区没有此分类的时限设置", "Deadline rule not found",
     "There is no deadline rule for this category here"},
    {kBadUnitRule, "分派规则无效", "分派规则无效（{reason}）", "Invalid unit rule", "The unit rule is invalid ({reason})"},
    {kUnitRuleNotFound, "分派规则不存在", "该地区没有此分类的分派规则", "Unit rule not found",
     "There is no unit rule for this category here"},
    {kNotificationNotFound, "消息不存在", "没有该消息", "Notification not found", "There is no such notification"},
    {kBadPurpose, "查阅目的无效", "请说明查阅目的（不超过 {max} 字节）", "Invalid purpose",
     "State the purpose of the read (at most {max} bytes)"},
    {kBadQuery, "查询参数无效", "查询参数 {param} 无效（{reason}）", "Invalid query",
     "The query parameter {param} is invalid ({reason})"},
}};

}  // namespace gz::appeals::problems
