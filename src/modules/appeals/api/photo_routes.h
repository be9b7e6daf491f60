// The HTTP routes of appeal photos.
//
// Layer: appeals api (thin: parse, authorize with the gate, call AppealPhotoService, map to JSON
// or bytes).
//
//   POST /api/v1/appeals/{id}/photos              appeals.photo  add a photo: the body IS the image
//   GET  /api/v1/appeals/{id}/photos              appeals.read   the list (ids, format, size, hash, who, when)
//   GET  /api/v1/appeals/{id}/photos/{photo_id}   appeals.read   the image itself (an audited read)
//
// Object level, as every appeal route: gate.Require on AppealService::TargetOf(appeal) with 404
// appeals/appeal-not-found BEFORE the body is looked at; the service then applies who may add
// photos to this appeal, when, and how many (appeal_photos.h).
//
// Upload: the raw image as the body (no multipart, no JSON, no file name), Content-Type
// image/jpeg, image/png or image/webp, which must match the bytes; at most the sanitizer's
// max_input_bytes (a larger body is cut off by the server with 413 http/body-too-large before
// it is read in full). 201 with the photo's JSON and a Location header.
//
// Download: the exact Content-Type of the stored image, Content-Disposition inline with a name
// made here ("appeal-<id>-photo-<photo id>.jpg", never the uploader's), Cache-Control: no-store,
// X-Content-Type-Options: nosniff, Content-Security-Policy: default-src 'none'; sandbox (opened
// as a page, the file can load and run nothing), Cross-Origin-Resource-Policy: same-origin (no
// other site can embed a villager's photo).
#pragma once

#include "access/gate.h"
#include "http/router.h"
#include "modules/appeals/appeal_photos.h"
#include "modules/appeals/appeal_service.h"

namespace gz::appeals {

// Adds the routes above. Everything must outlive `router`. Handlers are thread-safe.
void RegisterAppealPhotoRoutes(http::Router& router, AppealService& appeals, AppealPhotoService& photos,
                               const access::Gate& gate);

}  // namespace gz::appeals
