// Layer: open311 domain (see client_service.h).
#include "modules/open311/client_service.h"

#include <chrono>

#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

constexpr int kInsertAttempts = 3;  // ids and keys are random: a collision is retried

access::AuditEvent EventOf(const access::Principal* by, std::string action, const Client& c) {
  access::AuditEvent e = by != nullptr ? access::EventFor(*by, std::move(action)) : access::AuditEvent{};
  if (by == nullptr) e.action = std::move(action);
  e.division = c.scope;
  e.object_type = "open311_client";
  e.object_id = std::to_string(c.id);
  std::string details = "{\"name\":\"";
  log::AppendJsonEscaped(details, c.name);
  details += "\",\"key_hint\":\"" + c.key_hint + "\"";
  if (by == nullptr) details += ",\"via\":\"cli\"";
  e.details = details + "}";
  return e;
}

}  // namespace

ClientService::ClientService(ClientStore& store, PlaceLookup& places, const Clock& clock)
    : store_(store), places_(places), clock_(clock) {}

int64_t ClientService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

Result<IssuedClient> ClientService::Create(const access::Principal* by, std::string_view name, std::string_view scope) {
  GZ_RETURN_IF_ERROR(ValidateClientName(name));
  GZ_ASSIGN_OR_RETURN(std::string canonical, ParseClientScope(scope));
  GZ_ASSIGN_OR_RETURN(bool exists, places_.Exists(canonical));
  if (!exists) return InvalidArgument(std::string(problems::kBadScope)).With("reason", "unknown");
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  Status last;
  for (int attempt = 0; attempt < kInsertAttempts; ++attempt) {
    const int64_t now = NowMs();
    IssuedClient issued;
    issued.key = NewKey();
    Client& c = issued.client;
    c.id = crypto::NewRowId(now);
    c.name = std::string(name);
    c.scope = canonical;
    c.key_hint = issued.key.substr(0, kKeyHintLength);
    c.created_by = by != nullptr ? by->self.account_id : 0;
    c.created_at_ms = now;
    last = store_.Insert(c, KeyHash(issued.key), EventOf(by, "open311.client_create", c), now);
    if (last.ok()) return issued;
    if (last.code() != Code::kAlreadyExists) return last;
  }
  return last;
}

Result<Client> ClientService::Get(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Client> c, store_.Get(id));
  if (!c) return NotFound(std::string(problems::kClientNotFound));
  return *c;
}

Result<std::vector<Client>> ClientService::List(const std::optional<std::vector<std::string>>& scopes) {
  if (!scopes) return store_.List({}, true);
  if (scopes->empty()) return std::vector<Client>();
  return store_.List(*scopes, false);
}

Result<Client> ClientService::Revoke(const access::Principal* by, int64_t id, std::string_view reason) {
  GZ_RETURN_IF_ERROR(ValidateReason(reason));
  GZ_ASSIGN_OR_RETURN(Client c, Get(id));
  if (c.revoked()) return FailedPrecondition(std::string(problems::kAlreadyRevoked));
  const int64_t now = NowMs();
  const int64_t actor = by != nullptr ? by->self.account_id : 0;
  GZ_RETURN_IF_ERROR(store_.Revoke(id, actor, std::string(reason), EventOf(by, "open311.client_revoke", c), now));
  c.revoked_at_ms = now;
  c.revoked_by = actor;
  c.revoke_reason = std::string(reason);
  return c;
}

Result<Client> ClientService::Authenticate(std::string_view key) {
  if (key.empty()) return PermissionDenied(std::string(problems::kKeyRequired));
  if (!LooksLikeKey(key)) return PermissionDenied(std::string(problems::kBadKey));
  GZ_ASSIGN_OR_RETURN(std::optional<Client> c, store_.FindByKeyHash(KeyHash(key)));
  if (!c) return PermissionDenied(std::string(problems::kBadKey));
  if (c->revoked()) {
    // Worth knowing (a leaked or forgotten key still in use); the key itself is never logged.
    log::Warn("open311.revoked_key_used", {{"client", std::to_string(c->id)}});
    return PermissionDenied(std::string(problems::kBadKey));
  }
  return *c;
}

}  // namespace gz::open311
