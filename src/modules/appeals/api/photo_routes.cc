// The appeal photo routes. Layer: appeals api (see photo_routes.h).
#include "modules/appeals/api/photo_routes.h"


#include "http/dispatcher.h"
#include "http/json.h"
#include "modules/appeals/problems.h"
#include "modules/attachments/problems.h"

namespace gz::appeals {
namespace {

constexpr std::string_view kPhoto = "appeals.photo";
constexpr std::string_view kRead = "appeals.read";
// Fixed purposes of the audited reads, as for the appeal's text (appeal_routes.cc).
constexpr std::string_view kPurposeOwn = "查看本人诉求";
constexpr std::string_view kPurposeStaff = "办理诉求";

Status AppealNotFound() { return NotFound(std::string(problems::kAppealNotFound)); }

// The appeal named by the path, once the gate admits the caller to it for `permission`; appeals
// outside the caller's reach answer 404, like appeals that do not exist.
Result<Appeal> LoadAuthorized(AppealService& appeals, const access::Gate& gate, const http::Request& req,
                              std::string_view permission) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return AppealNotFound();
  GZ_ASSIGN_OR_RETURN(Appeal appeal, appeals.Get(*id));
  GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), permission, AppealService::TargetOf(appeal), AppealNotFound()));
  return appeal;
}

std::string IdText(int64_t id) { return std::to_string(id); }

std::string PhotoPath(int64_t appeal_id, int64_t photo_id) {
  return "/api/v1/appeals/" + IdText(appeal_id) + "/photos/" + IdText(photo_id);
}

boost::json::object PhotoJson(const attachments::Attachment& p) {
  boost::json::object o;
  o["id"] = IdText(p.id);
  o["appeal_id"] = IdText(p.owner_id);
  o["media_type"] = attachments::FormatMediaType(p.format);
  o["width"] = p.width;
  o["height"] = p.height;
  o["bytes"] = p.byte_size;
  o["sha256"] = p.sha256;
  o["added_by"] = IdText(p.added_by);
  if (p.acting_for != 0) o["acting_for"] = IdText(p.acting_for);
  else o["acting_for"] = nullptr;
  o["added_at_ms"] = p.added_at_ms;
  o["url"] = PhotoPath(p.owner_id, p.id);
  return o;
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

}  // namespace

void RegisterAppealPhotoRoutes(http::Router& router, AppealService& appeals, AppealPhotoService& photos,
                               const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals/{id}/photos",
      .operation_id = "appeals.photos.add",
      .permission = std::string(kPhoto),
      .summary = "Add a photo to an appeal: the body is the image (JPEG, PNG or WebP); it is re-encoded without metadata",
      .json_body = false,
      .max_body_bytes = photos.sanitizer().limits().max_input_bytes,
      .handler = [&appeals, &photos, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(appeals, gate, req, kPhoto));
        const std::string_view content_type = req.Header("content-type");
        // The declared type is checked before anything else is done with the body; the bytes
        // themselves are judged by the sanitizer.
        if (!attachments::FormatOfMediaType(content_type))
          return Status(Code::kUnsupportedMediaType, std::string(attachments::problems::kUnsupportedType))
              .With("accepted", "JPEG, PNG, WebP");
        GZ_ASSIGN_OR_RETURN(attachments::Attachment photo, photos.Add(req.Caller(), appeal.id, req.body, content_type));
        http::Response r = Private(http::JsonResponse(201, PhotoJson(photo)));
        r.SetHeader("Location", PhotoPath(appeal.id, photo.id));
        return r;
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/{id}/photos",
      .operation_id = "appeals.photos.list",
      .permission = std::string(kRead),
      .summary = "The photos of an appeal: ids, format, dimensions, size, SHA-256, who added them and when",
      .handler = [&appeals, &photos, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(appeals, gate, req, kRead));
        GZ_ASSIGN_OR_RETURN(std::vector<attachments::Attachment> list, photos.List(appeal));
        boost::json::array items;
        for (const attachments::Attachment& p : list) items.push_back(PhotoJson(p));
        boost::json::object o;
        o["appeal_id"] = IdText(appeal.id);
        o["limit"] = photos.settings().max_per_appeal;
        o["items"] = std::move(items);
        return Private(http::JsonResponse(200, o));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/{id}/photos/{photo_id}",
      .operation_id = "appeals.photos.get",
      .permission = std::string(kRead),
      .summary = "One photo of an appeal, as an image (an audited read)",
      .handler = [&appeals, &photos, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(Appeal appeal, LoadAuthorized(appeals, gate, req, kRead));
        std::optional<int64_t> photo_id = http::ParsePositiveDecimal(req.PathParam("photo_id"));
        if (!photo_id) return NotFound(std::string(attachments::problems::kAttachmentNotFound));
        const int64_t subject = req.Caller().subject().account_id;
        const std::string_view purpose =
            subject != 0 && subject == appeal.submitter_account ? kPurposeOwn : kPurposeStaff;
        GZ_ASSIGN_OR_RETURN(PhotoFile file, photos.Read(req.Caller(), appeal, *photo_id, purpose));
        http::Response r;
        r.status = 200;
        r.body = std::move(file.bytes);
        r.SetHeader("Content-Type", attachments::FormatMediaType(file.info.format));
        r.SetHeader("Content-Disposition", "inline; filename=\"appeal-" + IdText(appeal.id) + "-photo-" +
                                               IdText(file.info.id) + "." +
                                               std::string(attachments::FormatExtension(file.info.format)) + "\"");
        r.SetHeader("X-Content-Type-Options", "nosniff");
        r.SetHeader("Content-Security-Policy", http::kFileContentSecurityPolicy);
        r.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
        return Private(std::move(r));
      }});
}

}  // namespace gz::appeals
