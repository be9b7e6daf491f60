// ClientStore: the port through which the open311 module reaches its tables (the clients with
// their key hashes, and the tokens GeoReport POST answers with).
//
// Layer: open311 domain (port). Implemented with SQL in sql/sql_client_store.h. Each method is
// one transaction; a change is written with its audit event in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/open311/client.h"

namespace gz::open311 {

inline constexpr size_t kMaxListedClients = 500;

class ClientStore {
 public:
  virtual ~ClientStore() = default;

  // A new client with the hash of its key (KeyHash), and its audit event. kAlreadyExists
  // "storage/conflict" if the id or the key hash is taken (the caller draws new ones).
  virtual Status Insert(const Client& client, const std::string& key_hash, const access::AuditEvent& event,
                        int64_t now_ms) = 0;
  virtual Result<std::optional<Client>> Get(int64_t id) = 0;
  // The client whose key has this hash, revoked or not.
  virtual Result<std::optional<Client>> FindByKeyHash(std::string_view key_hash) = 0;
  // Clients whose scope lies inside one of `scopes` (all of them when `all`), newest first, at
  // most kMaxListedClients.
  virtual Result<std::vector<Client>> List(const std::vector<std::string>& scopes, bool all) = 0;
  // Marks the client revoked, with its audit event. kNotFound "open311/client-not-found";
  // kFailedPrecondition "open311/already-revoked" (also when a concurrent revocation won).
  virtual Status Revoke(int64_t id, int64_t by, const std::string& reason, const access::AuditEvent& event,
                        int64_t now_ms) = 0;

  // Tokens: the answer of a GeoReport POST, mapped to the appeal it created.
  virtual Status InsertToken(const std::string& token, int64_t client_id, int64_t appeal_id, int64_t now_ms) = 0;
  virtual Result<std::optional<int64_t>> AppealOfToken(std::string_view token) = 0;
};

}  // namespace gz::open311
