#include "app/messages.h"

#include "access/gate.h"
#include "app/system_routes.h"
#include "crypto/problems.h"
#include "modules/appeals/problems.h"
#include "modules/disclosure/problems.h"
#include "modules/deliberation/problems.h"
#include "modules/appeals/routing/problems.h"
#include "modules/attachments/problems.h"
#include "modules/audit/problems.h"
#include "modules/consents/problems.h"
#include "modules/divisions/problems.h"
#include "modules/identity/problems.h"
#include "modules/open311/problems.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/problems.h"
#include "modules/transparency/problems.h"
#include "modules/votes/problems.h"
#include "storage/problems.h"
#include "tabular/problems.h"

namespace gz::app {
namespace {

// Problems of the configuration and the composition root itself.
constexpr ProblemText kAppProblems[] = {
    {"config/bad-value", "配置值无效", "配置项 {key} 的值无效：{reason}", "Invalid setting",
     "The value of {key} is invalid: {reason}"},
    {"config/unknown-key", "未知的配置项", "没有名为 {key} 的配置项（第 {line} 行）", "Unknown setting",
     "There is no setting called {key} (line {line})"},
    {"config/bad-file", "配置文件格式错误", "配置文件 {path} 第 {line} 行：{reason}", "Malformed config file",
     "Config file {path}, line {line}: {reason}"},
    {"config/unreadable-file", "无法读取配置文件", "无法读取配置文件 {path}：{reason}", "Config file unreadable",
     "Cannot read the config file {path}: {reason}"},
    {"app/web-root", "无法使用网页应用目录", "无法读取网页应用目录 {path}：{reason}", "Web app folder unusable",
     "The web app folder {path} cannot be used: {reason}"},
    {"app/data-dir", "无法使用数据目录", "无法创建或使用数据目录 {path}：{reason}", "Data folder unusable",
     "Cannot create or use the data folder {path}: {reason}"},
    {"app/demo-county-missing", "示范县不在区划数据中",
     "区划数据中没有代码为 {code} 的县级行政区；请先运行 gongzhi import-divisions --county {code}",
     "Demo county not found",
     "The store has no county with code {code}; import it first with gongzhi import-divisions --county {code}"},
};

http::ProblemCatalog BuildCatalog() {
  http::ProblemCatalog catalog;
  catalog.Add(kAppProblems);
  catalog.Add(std::span<const ProblemText>(kSystemProblems, kSystemProblemCount));
  catalog.Add(storage::problems::kStorageProblems);
  catalog.Add(divisions::kProblems);
  catalog.Add(crypto::problems::kTexts);
  catalog.Add(residents::problems::kTexts);
  catalog.Add(residents::import::problems::kTexts);
  catalog.Add(tabular::problems::kTexts);
  catalog.Add(audit::problems::kTexts);
  catalog.Add(consents::problems::kTexts);
  catalog.Add(appeals::problems::kTexts);
  catalog.Add(transparency::problems::kTexts);
  catalog.Add(disclosure::problems::kTexts);
  catalog.Add(votes::problems::kTexts);
  catalog.Add(deliberation::problems::kTexts);
  catalog.Add(appeals::routing::problems::kTexts);
  catalog.Add(attachments::problems::kTexts);
  catalog.Add(identity::problems::kTexts);
  catalog.Add(open311::problems::kTexts);
  catalog.Add(access::problems::kTexts);
  return catalog;
}

}  // namespace

const http::ProblemCatalog& Problems() {
  static const http::ProblemCatalog catalog = BuildCatalog();
  return catalog;
}

std::string DescribeForPerson(const Status& status, bool chinese) {
  const ProblemText* text = Problems().Find(status.slug());
  if (!text) return status.ToString();
  std::string title(chinese ? text->title_zh : text->title_en);
  std::string detail = FillPlaceholders(chinese ? text->detail_zh : text->detail_en, status);
  return title + (chinese ? "：" : ": ") + detail;
}

}  // namespace gz::app
