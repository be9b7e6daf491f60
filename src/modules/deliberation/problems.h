// Problem types of the deliberation module (四议两公开 and 村民议事). Slugs are stable; texts may
// change. Arguments never carry personal data (counts, step codes, reasons only).
//
// Layer: deliberation domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::deliberation::problems {

inline constexpr std::string_view kMatterNotFound = "deliberation/matter-not-found";      // 404
inline constexpr std::string_view kProposalNotFound = "deliberation/proposal-not-found";  // 404
inline constexpr std::string_view kCommentNotFound = "deliberation/comment-not-found";    // 404
inline constexpr std::string_view kMeetingNotFound = "deliberation/meeting-not-found";    // 404
inline constexpr std::string_view kBadChain = "deliberation/bad-chain";                   // 400 {reason}
inline constexpr std::string_view kBadMeeting = "deliberation/bad-meeting";               // 400 {reason}
inline constexpr std::string_view kBadField = "deliberation/bad-field";                   // 400 {field} {reason}
inline constexpr std::string_view kNotAllowed = "deliberation/not-allowed";               // 403 {action}
// 409: the current step's latest meeting did not reach its quorum / majority / notice.
inline constexpr std::string_view kQuorumNotMet = "deliberation/quorum-not-met";          // {step} {explanation}
inline constexpr std::string_view kMajorityNotReached = "deliberation/majority-not-reached";  // {step} {explanation}
inline constexpr std::string_view kNoticeTooShort = "deliberation/notice-too-short";      // {step} {explanation}
inline constexpr std::string_view kNoMeeting = "deliberation/no-meeting";                 // 409 {step}
inline constexpr std::string_view kNotPublished = "deliberation/not-published";           // 409 {step}
inline constexpr std::string_view kWrongStep = "deliberation/wrong-step";                 // 409 {step} {reason}
inline constexpr std::string_view kMatterClosed = "deliberation/matter-closed";           // 409
inline constexpr std::string_view kEditConflict = "deliberation/edit-conflict";           // 409
inline constexpr std::string_view kAlreadySupported = "deliberation/already-supported";   // 409
inline constexpr std::string_view kCannotSupport = "deliberation/cannot-support";         // 403 {reason}
inline constexpr std::string_view kAlreadyAnswered = "deliberation/already-answered";     // 409

inline constexpr std::array<ProblemText, 19> kTexts = {{
    {kMatterNotFound, "事项不存在", "没有该重大事项", "Matter not found", "There is no such matter"},
    {kMeetingNotFound, "会议记录不存在", "该事项没有这次会议的记录", "Meeting not found",
     "This matter has no such meeting on record"},
    {kProposalNotFound, "议题不存在", "没有该村民议事议题", "Proposal not found", "There is no such proposal"},
    {kCommentNotFound, "评论不存在", "没有该评论", "Comment not found", "There is no such comment"},
    {kBadChain, "议事程序无效", "程序须按序包含四议两公开的各法定环节，且不得低于法定的到会和表决要求（{reason}）",
     "Invalid procedure",
     "The procedure must contain the legal steps of 四议两公开 in order and may not loosen the legal quorum or "
     "majority ({reason})"},
    {kBadMeeting, "会议记录无效", "会议记录中的人数或票数不合理（{reason}）", "Invalid meeting record",
     "The meeting record's counts are impossible ({reason})"},
    {kBadField, "内容无效", "字段 {field} 无效（{reason}）", "Invalid content", "The field {field} is invalid ({reason})"},
    {kNotAllowed, "无权进行此操作", "您不能对此执行“{action}”", "Not allowed", "You may not {action} here"},
    {kQuorumNotMet, "到会人数不足", "环节“{step}”的最近一次会议未达到法定到会人数，不能进入下一环节：{explanation}",
     "Quorum not met",
     "The latest meeting of step \"{step}\" did not reach its quorum; the matter cannot move on: {explanation}"},
    {kMajorityNotReached, "未获通过", "环节“{step}”的最近一次会议表决未达到通过所需票数，不能进入下一环节：{explanation}",
     "Not passed",
     "The latest meeting of step \"{step}\" did not reach the majority it needs; the matter cannot move on: {explanation}"},
    {kNoticeTooShort, "通知时间不足", "环节“{step}”的会议未按规定提前通知，不能进入下一环节：{explanation}",
     "Notice too short", "The meeting of step \"{step}\" was not announced early enough; the matter cannot move on: {explanation}"},
    {kNoMeeting, "尚无会议记录", "环节“{step}”还没有会议记录", "No meeting recorded",
     "Step \"{step}\" has no meeting recorded yet"},
    {kNotPublished, "尚未公开", "环节“{step}”的公开事项还未由审核人发布", "Not published yet",
     "The disclosure of step \"{step}\" has not been published by a checker yet"},
    {kWrongStep, "当前环节不允许此操作", "事项当前处于环节“{step}”，不能进行此操作（{reason}）", "Wrong step",
     "The matter is at step \"{step}\"; this action does not fit it ({reason})"},
    {kMatterClosed, "事项已结束", "该事项已完成全部环节或已撤回", "Matter closed",
     "This matter has completed every step or was withdrawn"},
    {kEditConflict, "已被他人更新", "该内容刚刚被他人处理，请刷新后重试", "Changed meanwhile",
     "Someone else changed this just now; reload and try again"},
    {kAlreadySupported, "已经附议", "每人只能附议一次", "Already supported", "Each person supports a proposal once"},
    {kCannotSupport, "不能附议", "只有本村村民可以附议本村的议题（{reason}）", "Cannot support",
     "Only villagers of the village can support its proposals ({reason})"},
    {kAlreadyAnswered, "已答复", "该议题已经答复或已转为诉求", "Already answered",
     "This proposal has already been answered or turned into an appeal"},
}};

}  // namespace gz::deliberation::problems
