// Problem types of the votes module (votes and polls). Slugs are stable; texts may change.
// Arguments never carry personal data nor a ballot's content.
//
// Layer: votes domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::votes::problems {

inline constexpr std::string_view kVoteNotFound = "votes/vote-not-found";    // 404
inline constexpr std::string_view kBadVote = "votes/bad-vote";               // 400 {field} {reason}
inline constexpr std::string_view kNotAllowed = "votes/not-allowed";         // 403 {action}
inline constexpr std::string_view kOwnDraft = "votes/own-draft";             // 403
inline constexpr std::string_view kNotADraft = "votes/not-a-draft";          // 409
inline constexpr std::string_view kNotOpen = "votes/not-open";               // 409 {reason}
inline constexpr std::string_view kNotEligible = "votes/not-eligible";       // 403
inline constexpr std::string_view kAlreadyVoted = "votes/already-voted";     // 409
inline constexpr std::string_view kBadBallot = "votes/bad-ballot";           // 400 {reason}
inline constexpr std::string_view kBadCount = "votes/bad-count";             // 400 {reason}
inline constexpr std::string_view kCountsDiffer = "votes/counts-differ";     // 409 {reason}
inline constexpr std::string_view kTooEarly = "votes/too-early";             // 409
inline constexpr std::string_view kNoLog = "votes/no-log";                   // 409
inline constexpr std::string_view kBadQuery = "votes/bad-query";             // 400 {param} {reason}
// Participatory budgeting (budget rounds, projects, knapsack ballots).
inline constexpr std::string_view kOverBudget = "votes/over-budget";         // 400 {total} {budget}
inline constexpr std::string_view kRoundNotFound = "votes/round-not-found";  // 404
inline constexpr std::string_view kBadRound = "votes/bad-round";             // 400 {field} {reason}
inline constexpr std::string_view kProjectNotFound = "votes/project-not-found";  // 404
inline constexpr std::string_view kBadProject = "votes/bad-project";         // 400 {field} {reason}
inline constexpr std::string_view kRoundNotCollecting = "votes/round-not-collecting";  // 409
inline constexpr std::string_view kAlreadyReviewed = "votes/already-reviewed";  // 409
inline constexpr std::string_view kTooFewProjects = "votes/too-few-projects";    // 409 {accepted}

inline constexpr std::array<ProblemText, 22> kTexts = {{
    {kVoteNotFound, "表决不存在", "没有该表决或投票", "Vote not found", "There is no such vote or poll"},
    {kBadVote, "表决设置无效", "字段 {field} 无效（{reason}）", "Invalid vote", "The field {field} is invalid ({reason})"},
    {kNotAllowed, "无权进行此操作", "您不能对该表决执行“{action}”", "Not allowed", "You may not {action} this vote"},
    {kOwnDraft, "不能开启本人起草的表决", "起草人不能开启自己起草的表决，请由另一位村干部或监委会成员开启",
     "Cannot open your own draft", "Nobody opens a vote they drafted; another cadre or a supervisor must open it"},
    {kNotADraft, "表决已开启", "已开启的表决规则不能修改，也不能再次开启", "Already opened",
     "The rules of an opened vote cannot change, and it cannot be opened again"},
    {kNotOpen, "表决不在投票期内", "现在不能投票或计票（{reason}）", "Vote not open",
     "Voting or counting is not possible now ({reason})"},
    {kNotEligible, "不在选民名单中", "开启表决时确定的选民名单中没有您（本村18周岁以上村民或户代表）",
     "Not on the electorate", "You are not on the electorate frozen when the vote opened"},
    {kAlreadyVoted, "已经投过票", "每人（或每户）只能投一票，您的选票已经计入", "Already voted",
     "One ballot per person (or household): yours is already counted"},
    {kBadBallot, "选票无效", "选票不符合本表决的投票方式（{reason}）", "Invalid ballot",
     "The ballot does not fit this vote's method ({reason})"},
    {kBadCount, "计票数无效", "纸质选票计票数不一致（{reason}）", "Invalid count",
     "The paper-ballot count is inconsistent ({reason})"},
    {kCountsDiffer, "两位计票人结果不一致", "两位计票人的计票结果须一致后才能公布（{reason}）", "Counts differ",
     "The two clerks' counts must agree before the tally is published ({reason})"},
    {kTooEarly, "投票尚未结束", "投票截止后才能结束表决并公布结果", "Voting not over",
     "A vote is closed and its tally published only after its closing time"},
    {kNoLog, "透明日志不可用", "本服务器未接入透明日志，表决不能开启或结束", "No transparency log",
     "This server has no transparency log wired in; votes cannot open or close"},
    {kBadQuery, "查询参数无效", "查询参数 {param} 无效（{reason}）", "Invalid query",
     "The query parameter {param} is invalid ({reason})"},
    {kOverBudget, "超出预算", "所选项目合计 {total} 元，超过预算 {budget} 元，请减少所选项目", "Over budget",
     "The projects chosen cost {total} yuan in total, more than the budget of {budget} yuan: choose fewer"},
    {kRoundNotFound, "预算轮次不存在", "没有该参与式预算轮次", "Budget round not found",
     "There is no such participatory-budgeting round"},
    {kBadRound, "预算轮次设置无效", "字段 {field} 无效（{reason}）", "Invalid budget round",
     "The field {field} is invalid ({reason})"},
    {kProjectNotFound, "项目不存在", "没有该项目", "Project not found", "There is no such project"},
    {kBadProject, "项目信息无效", "字段 {field} 无效（{reason}）", "Invalid project",
     "The field {field} is invalid ({reason})"},
    {kRoundNotCollecting, "项目征集已结束", "该轮次已生成投票，不再征集或审核项目", "Round no longer collecting",
     "This round's vote has been drafted: projects are no longer proposed or reviewed"},
    {kAlreadyReviewed, "项目已审核", "该项目已审核，审核结果不能更改", "Already reviewed",
     "This project has been reviewed; the decision does not change"},
    {kTooFewProjects, "入选项目不足", "至少需要两个审核通过的项目才能生成投票（现有 {accepted} 个）",
     "Too few projects", "A budget vote needs at least two accepted projects ({accepted} so far)"},
}};

}  // namespace gz::votes::problems
