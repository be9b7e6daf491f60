// ClientService: issuing, listing and revoking Open311 clients' keys, and recognising a key.
//
// Layer: open311 domain (service). Authorization of the administration routes happens first, in
// the routes layer: the permission open311.clients (county administrators, kScope), then
// access::Gate::Require on the client's scope, so an administrator issues and revokes keys only
// for divisions inside their own area. The CLI (`gongzhi api-key`) runs on the server with access
// to the data folder and its keys, and passes no principal (`by` = nullptr): its changes are
// audited with actor 0 and details {"via":"cli"}.
//
// Thread-safe (the store and the lookup must be).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/open311/client.h"
#include "modules/open311/client_store.h"
#include "modules/open311/directory.h"

namespace gz::open311 {

// A client as issued: the key is in clear here, and nowhere else, ever.
struct IssuedClient {
  Client client;
  std::string key;
};

class ClientService {
 public:
  // All must outlive the service.
  ClientService(ClientStore& store, PlaceLookup& places, const Clock& clock);

  // Issues a key for a new client over `scope` (ParseClientScope). Errors: kInvalidArgument
  // "open311/bad-client-name", "open311/bad-scope" {reason: "not-a-code" | "level" | "unknown"}.
  // Audited "open311.client_create" in the same transaction.
  Result<IssuedClient> Create(const access::Principal* by, std::string_view name, std::string_view scope);
  // kNotFound "open311/client-not-found".
  Result<Client> Get(int64_t id);
  // Clients inside `scopes` (canonical codes), or every client when `scopes` is nullopt (CLI).
  Result<std::vector<Client>> List(const std::optional<std::vector<std::string>>& scopes);
  // Revokes the key at once: the next request with it is refused. kNotFound
  // "open311/client-not-found"; kFailedPrecondition "open311/already-revoked"; kInvalidArgument
  // "open311/bad-reason". Audited "open311.client_revoke".
  Result<Client> Revoke(const access::Principal* by, int64_t id, std::string_view reason);

  // The client of an api_key. kPermissionDenied "open311/key-required" for an empty key,
  // "open311/bad-key" for a malformed, unknown or revoked one.
  Result<Client> Authenticate(std::string_view key);

  int64_t NowMs() const;

 private:
  ClientStore& store_;
  PlaceLookup& places_;
  const Clock& clock_;
};

}  // namespace gz::open311
