// AttachmentStore: the port through which attachments reach their data.
//
// Layer: attachments domain (port). Implemented with SQL in sql/sql_attachment_store.h. An owner
// module that changes its own rows when a file is added (an appeal's version and timeline) writes
// the attachment inside its own transaction with attachments::InsertAttachmentInTx instead of
// Insert(), so the file and the owner's record of it commit together.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/attachments/attachment.h"

namespace gz::attachments {

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;

  // The attachments of one owner, oldest first, without their bytes.
  virtual Result<std::vector<Attachment>> List(std::string_view owner_type, int64_t owner_id) = 0;
  virtual Result<int64_t> Count(std::string_view owner_type, int64_t owner_id) = 0;
  // One attachment with its sealed bytes, or nullopt.
  virtual Result<std::optional<SealedAttachment>> Get(int64_t id) = 0;
  // Stores a new attachment and appends `event` in one transaction. kAlreadyExists
  // "storage/conflict" if the id is taken.
  virtual Status Insert(const SealedAttachment& attachment, const access::AuditEvent& event, int64_t now_ms) = 0;
};

}  // namespace gz::attachments
