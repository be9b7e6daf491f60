// Layer: votes domain (see seed_demo.h).
#include "modules/votes/seed_demo.h"

namespace gz::votes {

Result<bool> SeedDemoVote(VoteService& service, const std::string& village, const access::Principal& cadre,
                          const access::Principal& supervisor) {
  GZ_ASSIGN_OR_RETURN(std::vector<Vote> existing, service.List(village, /*with_drafts=*/true));
  if (!existing.empty()) return false;
  DraftInput in;
  in.village = village;
  in.question = "明年村集体经济收益优先用于哪些项目？（可多选）";
  in.options = {"三组村道硬化", "村委会门前路灯", "灌溉水渠清淤", "老年活动室"};
  in.method = "approval";
  in.electorate = "residents-18+";
  in.secret = true;
  in.channel = "online";
  in.opens_at_ms = service.NowMs();
  in.closes_at_ms = in.opens_at_ms + 30LL * 24 * 3600 * 1000;
  GZ_ASSIGN_OR_RETURN(Vote draft, service.Draft(cadre, in));
  GZ_ASSIGN_OR_RETURN(Vote opened, service.Open(supervisor, draft.id));
  (void)opened;
  return true;
}

}  // namespace gz::votes
