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
    {"app/keys-missing", "本节点缺少密钥",
     "数据目录 {path} 中没有 keys/{file}，但数据库已记录了其他节点的密钥。请从服务同一数据库的节点复制整个 keys/ 目录"
     "（field.key 和 tlog.key，权限 0600）到 {path}，然后重新启动",
     "This node has no keys",
     "The data folder {path} has no keys/{file}, but the database already has the keys of another node recorded. "
     "Copy the folder keys/ (field.key and tlog.key, mode 0600) from a node that serves this database into {path}, "
     "then start again"},
    {"app/keys-mismatch", "本节点的密钥与数据库不一致",
     "数据目录 {path} 中的密钥不是该数据库使用的密钥（{detail}）。同一数据库的所有节点必须使用相同的 keys/："
     "请保留旧目录的副本，从服务该数据库的节点复制 keys/ 到 {path}，然后重新启动",
     "This node's keys do not match the database",
     "The keys in the data folder {path} are not the ones this database uses ({detail}). Every node of one database "
     "needs the same keys/: keep a copy of the old folder, copy keys/ from a node that serves this database into "
     "{path}, then start again"},
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
