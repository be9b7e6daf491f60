// Problem types of the disclosure module (村务公开). Slugs are stable; texts may change.
// Arguments never carry personal data (a bad recipient is named by its position, never its name).
//
// Layer: disclosure domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::disclosure::problems {

inline constexpr std::string_view kItemNotFound = "disclosure/item-not-found";          // 404
inline constexpr std::string_view kQuestionNotFound = "disclosure/question-not-found";  // 404
inline constexpr std::string_view kBadKind = "disclosure/bad-kind";                     // 400
inline constexpr std::string_view kBadPeriod = "disclosure/bad-period";                 // 400 {reason}
inline constexpr std::string_view kBadBody = "disclosure/bad-body";                     // 400 {field} {reason}
inline constexpr std::string_view kTooLarge = "disclosure/too-large";                   // 400 {size} {max}
inline constexpr std::string_view kNotAllowed = "disclosure/not-allowed";               // 403 {action}
inline constexpr std::string_view kOwnDraft = "disclosure/own-draft";                   // 403
inline constexpr std::string_view kNotADraft = "disclosure/not-a-draft";                // 409
inline constexpr std::string_view kNotYourDraft = "disclosure/not-your-draft";          // 403
inline constexpr std::string_view kPreviewStale = "disclosure/preview-stale";           // 409
inline constexpr std::string_view kBadCorrection = "disclosure/bad-correction";         // 400 {reason}
inline constexpr std::string_view kBadQuestion = "disclosure/bad-question";             // 400 {min} {max}
inline constexpr std::string_view kCannotAsk = "disclosure/cannot-ask";                 // 403
inline constexpr std::string_view kAlreadyAnswered = "disclosure/already-answered";     // 409
inline constexpr std::string_view kBadPurpose = "disclosure/bad-purpose";               // 400 {max}
inline constexpr std::string_view kBadQuery = "disclosure/bad-query";                   // 400 {param} {reason}
inline constexpr std::string_view kEditConflict = "disclosure/edit-conflict";           // 409
// 409. No transparency log is wired into this server: nothing can be published.
inline constexpr std::string_view kNoLog = "disclosure/no-log";

inline constexpr std::array<ProblemText, 19> kTexts = {{
    {kItemNotFound, "公开事项不存在", "没有该村务公开事项", "Disclosure not found", "There is no such disclosure item"},
    {kQuestionNotFound, "质询不存在", "没有该质询", "Question not found", "There is no such question"},
    {kBadKind, "公开类别无效", "请从类别列表中选择", "Unknown kind", "Pick a kind from the list"},
    {kBadPeriod, "公开期间无效", "期间须为 2026-03、2026-Q1 或 2026 的形式，且适合该类别（{reason}）", "Invalid period",
     "The period must look like 2026-03, 2026-Q1 or 2026 and suit the kind ({reason})"},
    {kBadBody, "公开内容无效", "字段 {field} 无效（{reason}）", "Invalid content", "The field {field} is invalid ({reason})"},
    {kTooLarge, "公开内容过长", "公开内容共 {size} 字节，超过上限 {max} 字节；请分成几部分（如“第1部分/共2部分”）分别公开",
     "Disclosure too large",
     "The item is {size} bytes, more than {max}; split it into parts (e.g. \"part 1 of 2\") and publish each"},
    {kNotAllowed, "无权进行此操作", "您不能对该公开事项执行“{action}”", "Not allowed",
     "You may not {action} this disclosure item"},
    {kOwnDraft, "不能发布本人起草的事项", "起草人不能审核发布自己起草的公开事项，请由另一位审核人发布",
     "Cannot publish your own draft", "Nobody publishes their own draft; another checker must publish it"},
    {kNotADraft, "事项已发布", "已发布的公开事项不能修改或再次发布；如有错误请发布更正", "Already published",
     "A published item cannot be changed or published again; publish a correction instead"},
    {kNotYourDraft, "不是您起草的草稿", "只有起草人可以修改或撤销草稿", "Not your draft",
     "Only the drafter can change or discard a draft"},
    {kPreviewStale, "预览已过期", "草稿在预览后已变化，或预览已超过一小时；请重新预览后再发布", "Preview out of date",
     "The draft changed since the preview, or the preview is over an hour old; preview again, then publish"},
    {kBadCorrection, "更正无效", "更正须针对本村已发布的同类事项，并说明理由（{reason}）", "Invalid correction",
     "A correction must refer to a published item of the same village and kind, with a reason ({reason})"},
    {kBadQuestion, "质询内容无效", "质询须为 {min} 至 {max} 个字", "Invalid question",
     "A question must have {min} to {max} characters"},
    {kCannotAsk, "不能质询", "只有本村村民可以对本村已发布的公开事项提出质询", "Cannot ask",
     "Only villagers of the village can ask about its published items"},
    {kAlreadyAnswered, "质询已答复", "该质询已经答复或已转为诉求", "Already answered",
     "This question has already been answered or turned into an appeal"},
    {kBadPurpose, "查阅目的无效", "请说明查阅目的（不超过 {max} 字节）", "Invalid purpose",
     "State the purpose of the read (at most {max} bytes)"},
    {kBadQuery, "查询参数无效", "查询参数 {param} 无效（{reason}）", "Invalid query",
     "The query parameter {param} is invalid ({reason})"},
    {kEditConflict, "事项已被他人更新", "该事项刚刚被他人处理，请刷新后重试", "Changed meanwhile",
     "Someone else changed this item just now; reload and try again"},
    {kNoLog, "透明日志不可用", "本服务器未接入透明日志，暂不能发布", "No transparency log",
     "This server has no transparency log wired in; nothing can be published"},
}};

}  // namespace gz::disclosure::problems
