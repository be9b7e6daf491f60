// Keys shared by the nodes of one store (app/node_keys.h).
#include "app/node_keys.h"

#include <filesystem>
#include <map>

#include "crypto/key_file.h"
#include "modules/transparency/signing_key.h"
#include "storage/store_facts.h"

namespace gz::app {
namespace {

constexpr std::string_view kPrefix = "keys.";
constexpr std::string_view kTlogFact = "keys.tlog.verifier";
constexpr std::string_view kIndexFact = "keys.field.index";
constexpr std::string_view kFieldFactPrefix = "keys.field.key.";

std::map<std::string, std::string> FactsOf(const crypto::KeyRing& ring, const std::string& tlog_verifier_key) {
  std::map<std::string, std::string> facts;
  facts.emplace(std::string(kTlogFact), tlog_verifier_key);
  facts.emplace(std::string(kIndexFact), std::to_string(ring.index_id()));
  for (uint8_t id : ring.ids()) {
    facts.emplace(std::string(kFieldFactPrefix) + std::to_string(id), crypto::KeyFingerprint(*ring.Find(id)));
  }
  return facts;
}

Status Mismatch(const std::string& data_dir, std::string detail) {
  return Status(Code::kFailedPrecondition, "app/keys-mismatch",
                "the keys of this node differ from those recorded in the store")
      .With("path", data_dir)
      .With("detail", std::move(detail));
}

}  // namespace

Status RefuseMissingNodeKeys(storage::Db& db, const std::string& data_dir) {
  GZ_ASSIGN_OR_RETURN(auto recorded, storage::ReadStoreFacts(db, kPrefix));
  if (recorded.empty()) return Status::Ok();
  for (const std::filesystem::path& file :
       {crypto::DefaultKeyFilePath(data_dir), transparency::DefaultSigningKeyPath(data_dir)}) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      return Status(Code::kFailedPrecondition, "app/keys-missing",
                    "the store has keys recorded; this node would make different ones")
          .With("path", data_dir)
          .With("file", file.filename().string());
    }
  }
  return Status::Ok();
}

Status CheckAndRecordNodeKeys(storage::Db& db, const std::string& data_dir, const crypto::KeyRing& field_keys,
                              const std::string& tlog_verifier_key, int64_t now_ms) {
  const std::map<std::string, std::string> mine = FactsOf(field_keys, tlog_verifier_key);
  // Insert-if-absent, then compare with what is there: two first nodes starting at once record
  // one set, and the other sees that it differs.
  GZ_RETURN_IF_ERROR(storage::RecordStoreFacts(db, mine, now_ms));
  GZ_ASSIGN_OR_RETURN(auto recorded, storage::ReadStoreFacts(db, kPrefix));
  for (const auto& [name, value] : recorded) {
    auto it = mine.find(name);
    if (name == kTlogFact) {
      if (it == mine.end() || it->second != value)
        return Mismatch(data_dir, "keys/tlog.key is not the transparency log's signing key (" + value + ")");
    } else if (name == kIndexFact) {
      if (it == mine.end() || it->second != value)
        return Mismatch(data_dir, "keys/field.key computes blind indexes with key " +
                                      std::to_string(field_keys.index_id()) + ", the store with key " + value);
    } else if (name.starts_with(kFieldFactPrefix)) {
      const std::string id = name.substr(kFieldFactPrefix.size());
      if (it == mine.end()) return Mismatch(data_dir, "keys/field.key has no key " + id);
      if (it->second != value) return Mismatch(data_dir, "key " + id + " of keys/field.key is a different key");
    }
  }
  return Status::Ok();
}

}  // namespace gz::app
