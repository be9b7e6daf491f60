// The HTTP routes of the disclosure module (村务公开).
//
// Layer: disclosure api (thin: parse, authorize with the gate, call DisclosureService, map to JSON).
//
//   GET  /api/v1/disclosure/kinds                          public               the kinds and their periods
//   POST /api/v1/disclosure/items                          disclosure.draft     a draft (or a correction draft) (201)
//   GET  /api/v1/disclosure/items?village=&kind=&period=   public               published items of a village
//   GET  /api/v1/disclosure/drafts?village=                disclosure.read_drafts  drafts of a village
//   GET  /api/v1/disclosure/items/{id}                     public               a published item; a draft only for staff of its village (404 otherwise)
//   GET  /api/v1/disclosure/items/{id}/entry               public               the logged bytes, exactly
//   GET  /api/v1/disclosure/items/{id}/preview             disclosure.publish   the bytes that publishing would log (headers X-Entry-SHA256, X-Published-At-Ms)
//   POST /api/v1/disclosure/items/{id}/publish             disclosure.publish   {"entry_sha256","published_at_ms"} from the preview
//   POST /api/v1/disclosure/items/{id}/originals           disclosure.originals {"purpose"}: the list as entered (audited read)
//   GET  /api/v1/disclosure/items/{id}/questions           public               questions (质询) and answers
//   POST /api/v1/disclosure/items/{id}/questions           disclosure.ask       {"text"}: a villager of the village asks (201)
//   POST /api/v1/disclosure/questions/{id}/answer          disclosure.answer    {"text"}: the committee answers
//   GET  /api/v1/disclosure/calendar?village=&year=        public               what is due, published, late, missing
//   PUT  /api/v1/disclosure/villages/{code}/cadence        disclosure.draft     {"cadence":"monthly"|"quarterly"}
//   POST /api/v1/disclosure/villages/{code}/scans          disclosure.draft     upload a scan (image body); answers its server-computed SHA-256 (201)
//   GET  /api/v1/disclosure/items/{id}/scans/{sha256}      public               a scan an item names (drafts: staff of the village)
//   GET  /api/v1/disclosure/missing                        disclosure.oversee   missing items of the caller's area (township/county)
//   GET  /v/{village}/{id}                                 public   verification page (HTML, checks inclusion in the browser)
//   GET  /v/verify.js                                      public   its script (CSP forbids inline scripts)
//   GET  /print/disclosure/{id}?paper=A4|A3                public   printable notice of one item
//   GET  /print/disclosure/{village}/{month}?paper=A4|A3   public   printable notice of a village's month
//
// Object level: handlers call gate.Require on the item's village (404 disclosure/item-not-found
// outside the caller's tenant) before the service applies maker-checker.
#pragma once

#include <string>

#include "access/gate.h"
#include "http/router.h"
#include "modules/disclosure/disclosure_service.h"

namespace gz::disclosure {

struct DisclosureRouteOptions {
  // "https://gongzhi.example.gov.cn": the origin printed in QR codes. Empty: taken from the
  // request's Host header (checked to be a plain host[:port]) with http://.
  std::string public_origin;
  // Scans of receipts and contracts (scans.h); null: uploads answer 404.
  DisclosureScans* scans = nullptr;
  // The transparency log's note verifier key, printed on notices; empty: not printed.
  std::string verifier_key;
};

// Adds the routes above. `service` and `gate` must outlive `router`. Handlers are thread-safe.
void RegisterDisclosureRoutes(http::Router& router, DisclosureService& service, const access::Gate& gate,
                              DisclosureRouteOptions options = {});

}  // namespace gz::disclosure
