// Migration texts of the disclosure module. Layer: disclosure sql (see disclosure_migrations.h).
#include "modules/disclosure/sql/disclosure_migrations.h"

namespace gz::disclosure {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE disclosure_items (
  id                 INTEGER NOT NULL PRIMARY KEY,
  village_code       TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'),
  kind               TEXT NOT NULL CHECK (kind IN ('finance_statement', 'income_expense', 'resolution', 'subsidy_list',
                       'asset_contract', 'project_progress', 'other')),
  period             TEXT NOT NULL CHECK (length(period) BETWEEN 4 AND 7),
  title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  body_json          TEXT NOT NULL CHECK (length(body_json) BETWEEN 2 AND 65535),
  recipients_sealed  BLOB CHECK (recipients_sealed IS NULL OR (typeof(recipients_sealed) = 'blob' AND length(recipients_sealed) >= 42)),
  attachments        TEXT NOT NULL,
  corrects_id        INTEGER REFERENCES disclosure_items (id),
  correction_reason  TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('draft', 'published')),
  drafted_by         INTEGER NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms      INTEGER NOT NULL,
  published_by       INTEGER,
  published_at_ms    INTEGER,
  publisher_role     TEXT CHECK (publisher_role IS NULL OR publisher_role IN ('supervisor', 'village_cadre')),
  entry              BLOB CHECK (entry IS NULL OR length(entry) BETWEEN 1 AND 65535),
  log_index          INTEGER UNIQUE CHECK (log_index IS NULL OR log_index >= 0),
  CHECK ((state = 'published') = (published_by IS NOT NULL) AND (state = 'published') = (published_at_ms IS NOT NULL)
         AND (state = 'published') = (publisher_role IS NOT NULL) AND (state = 'published') = (entry IS NOT NULL)
         AND (state = 'published') = (log_index IS NOT NULL)),
  CHECK (published_by IS NULL OR published_by <> drafted_by),
  CHECK ((corrects_id IS NULL) = (correction_reason = ''))
);
CREATE INDEX disclosure_items_by_village ON disclosure_items (village_code, state, id);
CREATE INDEX disclosure_items_by_corrected ON disclosure_items (corrects_id) WHERE corrects_id IS NOT NULL;

CREATE TRIGGER disclosure_items_frozen BEFORE UPDATE ON disclosure_items
WHEN OLD.state = 'published' OR NEW.state IS NOT 'published'
  OR NEW.id IS NOT OLD.id OR NEW.village_code IS NOT OLD.village_code OR NEW.kind IS NOT OLD.kind
  OR NEW.period IS NOT OLD.period OR NEW.title IS NOT OLD.title OR NEW.body_json IS NOT OLD.body_json
  OR NEW.recipients_sealed IS NOT OLD.recipients_sealed OR NEW.attachments IS NOT OLD.attachments
  OR NEW.corrects_id IS NOT OLD.corrects_id OR NEW.correction_reason IS NOT OLD.correction_reason
  OR NEW.drafted_by IS NOT OLD.drafted_by OR NEW.drafted_at_ms IS NOT OLD.drafted_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a published disclosure item is frozen; a draft changes only by being published');
END;
CREATE TRIGGER disclosure_items_no_delete BEFORE DELETE ON disclosure_items
WHEN OLD.state = 'published'
BEGIN
  SELECT RAISE(ABORT, 'published disclosure items are kept');
END;

CREATE TABLE disclosure_questions (
  id               INTEGER NOT NULL PRIMARY KEY,
  item_id          INTEGER NOT NULL REFERENCES disclosure_items (id),
  village_code     TEXT NOT NULL CHECK (length(village_code) = 12),
  asked_by         INTEGER NOT NULL CHECK (asked_by > 0),
  text             TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  asked_at_ms      INTEGER NOT NULL,
  answer           TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 16000),
  answered_by      INTEGER NOT NULL DEFAULT 0,
  answered_at_ms   INTEGER,
  appeal_id        INTEGER,
  escalated_at_ms  INTEGER,
  CHECK ((answer IS NULL) = (answered_at_ms IS NULL) AND (answer IS NULL) = (answered_by = 0)),
  CHECK ((appeal_id IS NULL) = (escalated_at_ms IS NULL))
);
CREATE INDEX disclosure_questions_by_item ON disclosure_questions (item_id, id);
CREATE INDEX disclosure_questions_open ON disclosure_questions (asked_at_ms) WHERE answer IS NULL AND appeal_id IS NULL;

CREATE TRIGGER disclosure_questions_once BEFORE UPDATE ON disclosure_questions
WHEN NEW.id IS NOT OLD.id OR NEW.item_id IS NOT OLD.item_id OR NEW.village_code IS NOT OLD.village_code
  OR NEW.asked_by IS NOT OLD.asked_by OR NEW.text IS NOT OLD.text OR NEW.asked_at_ms IS NOT OLD.asked_at_ms
  OR (OLD.answer IS NOT NULL AND (NEW.answer IS NOT OLD.answer OR NEW.answered_at_ms IS NOT OLD.answered_at_ms
                                  OR NEW.answered_by IS NOT OLD.answered_by))
  OR (OLD.appeal_id IS NOT NULL AND (NEW.appeal_id IS NOT OLD.appeal_id OR NEW.escalated_at_ms IS NOT OLD.escalated_at_ms))
BEGIN
  SELECT RAISE(ABORT, 'a question is never edited; its answer and its escalation are set once');
END;
CREATE TRIGGER disclosure_questions_no_delete BEFORE DELETE ON disclosure_questions
BEGIN
  SELECT RAISE(ABORT, 'questions are kept');
END;

CREATE TABLE disclosure_settings (
  village_code  TEXT NOT NULL PRIMARY KEY CHECK (length(village_code) = 12),
  cadence       TEXT NOT NULL CHECK (cadence IN ('monthly', 'quarterly')),
  set_by        INTEGER NOT NULL,
  set_at_ms     INTEGER NOT NULL
);
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE disclosure_items (
  id                 BIGINT NOT NULL PRIMARY KEY,
  village_code       TEXT COLLATE "C" NOT NULL CHECK (village_code ~ '^[0-9]{12}$'),
  kind               TEXT COLLATE "C" NOT NULL CHECK (kind IN ('finance_statement', 'income_expense', 'resolution',
                       'subsidy_list', 'asset_contract', 'project_progress', 'other')),
  period             TEXT COLLATE "C" NOT NULL CHECK (length(period) BETWEEN 4 AND 7),
  title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  body_json          TEXT NOT NULL CHECK (octet_length(body_json) BETWEEN 2 AND 65535),
  recipients_sealed  BYTEA CHECK (recipients_sealed IS NULL OR length(recipients_sealed) >= 42),
  attachments        TEXT NOT NULL,
  corrects_id        BIGINT REFERENCES disclosure_items (id),
  correction_reason  TEXT NOT NULL,
  state              TEXT COLLATE "C" NOT NULL CHECK (state IN ('draft', 'published')),
  drafted_by         BIGINT NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms      BIGINT NOT NULL,
  published_by       BIGINT,
  published_at_ms    BIGINT,
  publisher_role     TEXT COLLATE "C" CHECK (publisher_role IS NULL OR publisher_role IN ('supervisor', 'village_cadre')),
  entry              BYTEA CHECK (entry IS NULL OR length(entry) BETWEEN 1 AND 65535),
  log_index          BIGINT UNIQUE CHECK (log_index IS NULL OR log_index >= 0),
  CHECK ((state = 'published') = (published_by IS NOT NULL) AND (state = 'published') = (published_at_ms IS NOT NULL)
         AND (state = 'published') = (publisher_role IS NOT NULL) AND (state = 'published') = (entry IS NOT NULL)
         AND (state = 'published') = (log_index IS NOT NULL)),
  CHECK (published_by IS NULL OR published_by <> drafted_by),
  CHECK ((corrects_id IS NULL) = (correction_reason = ''))
);
CREATE INDEX disclosure_items_by_village ON disclosure_items (village_code, state, id);
CREATE INDEX disclosure_items_by_corrected ON disclosure_items (corrects_id) WHERE corrects_id IS NOT NULL;

CREATE FUNCTION disclosure_items_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state = 'published' THEN
      RAISE EXCEPTION 'published disclosure items are kept' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.state = 'published' OR NEW.state IS DISTINCT FROM 'published'
     OR (NEW.id, NEW.village_code, NEW.kind, NEW.period, NEW.title, NEW.body_json, NEW.recipients_sealed,
         NEW.attachments, NEW.corrects_id, NEW.correction_reason, NEW.drafted_by, NEW.drafted_at_ms)
        IS DISTINCT FROM
        (OLD.id, OLD.village_code, OLD.kind, OLD.period, OLD.title, OLD.body_json, OLD.recipients_sealed,
         OLD.attachments, OLD.corrects_id, OLD.correction_reason, OLD.drafted_by, OLD.drafted_at_ms) THEN
    RAISE EXCEPTION 'a published disclosure item is frozen; a draft changes only by being published'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER disclosure_items_frozen BEFORE UPDATE OR DELETE ON disclosure_items
  FOR EACH ROW EXECUTE FUNCTION disclosure_items_guard();

CREATE TABLE disclosure_questions (
  id               BIGINT NOT NULL PRIMARY KEY,
  item_id          BIGINT NOT NULL REFERENCES disclosure_items (id),
  village_code     TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  asked_by         BIGINT NOT NULL CHECK (asked_by > 0),
  text             TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  asked_at_ms      BIGINT NOT NULL,
  answer           TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 16000),
  answered_by      BIGINT NOT NULL DEFAULT 0,
  answered_at_ms   BIGINT,
  appeal_id        BIGINT,
  escalated_at_ms  BIGINT,
  CHECK ((answer IS NULL) = (answered_at_ms IS NULL) AND (answer IS NULL) = (answered_by = 0)),
  CHECK ((appeal_id IS NULL) = (escalated_at_ms IS NULL))
);
CREATE INDEX disclosure_questions_by_item ON disclosure_questions (item_id, id);
CREATE INDEX disclosure_questions_open ON disclosure_questions (asked_at_ms) WHERE answer IS NULL AND appeal_id IS NULL;

CREATE FUNCTION disclosure_questions_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'questions are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.item_id, NEW.village_code, NEW.asked_by, NEW.text, NEW.asked_at_ms)
        IS DISTINCT FROM (OLD.id, OLD.item_id, OLD.village_code, OLD.asked_by, OLD.text, OLD.asked_at_ms)
     OR (OLD.answer IS NOT NULL AND (NEW.answer, NEW.answered_at_ms, NEW.answered_by)
                                    IS DISTINCT FROM (OLD.answer, OLD.answered_at_ms, OLD.answered_by))
     OR (OLD.appeal_id IS NOT NULL AND (NEW.appeal_id, NEW.escalated_at_ms)
                                       IS DISTINCT FROM (OLD.appeal_id, OLD.escalated_at_ms)) THEN
    RAISE EXCEPTION 'a question is never edited; its answer and its escalation are set once'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER disclosure_questions_once BEFORE UPDATE OR DELETE ON disclosure_questions
  FOR EACH ROW EXECUTE FUNCTION disclosure_questions_guard();

CREATE TABLE disclosure_settings (
  village_code  TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(village_code) = 12),
  cadence       TEXT COLLATE "C" NOT NULL CHECK (cadence IN ('monthly', 'quarterly')),
  set_by        BIGINT NOT NULL,
  set_at_ms     BIGINT NOT NULL
);
)sql";


// A draft's content may change until it is published (its drafter revises it); what it is (id,
// village, kind, the item it corrects, drafter, drafting time) never changes, and a published
// row not at all. Publishing must keep the content the preview showed.
constexpr std::string_view kEditableDraftsSqlite = R"sql(
DROP TRIGGER disclosure_items_frozen;
CREATE TRIGGER disclosure_items_frozen BEFORE UPDATE ON disclosure_items
WHEN OLD.state = 'published'
  OR NEW.id IS NOT OLD.id OR NEW.village_code IS NOT OLD.village_code OR NEW.kind IS NOT OLD.kind
  OR NEW.corrects_id IS NOT OLD.corrects_id OR NEW.drafted_by IS NOT OLD.drafted_by OR NEW.drafted_at_ms IS NOT OLD.drafted_at_ms
  OR (NEW.state = 'published' AND (NEW.period IS NOT OLD.period OR NEW.title IS NOT OLD.title
      OR NEW.body_json IS NOT OLD.body_json OR NEW.recipients_sealed IS NOT OLD.recipients_sealed
      OR NEW.attachments IS NOT OLD.attachments OR NEW.correction_reason IS NOT OLD.correction_reason))
BEGIN
  SELECT RAISE(ABORT, 'a published disclosure item is frozen; a draft keeps what it is');
END;
)sql";

constexpr std::string_view kEditableDraftsPostgres = R"sql(
CREATE OR REPLACE FUNCTION disclosure_items_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state = 'published' THEN
      RAISE EXCEPTION 'published disclosure items are kept' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.state = 'published'
     OR (NEW.id, NEW.village_code, NEW.kind, NEW.corrects_id, NEW.drafted_by, NEW.drafted_at_ms)
        IS DISTINCT FROM (OLD.id, OLD.village_code, OLD.kind, OLD.corrects_id, OLD.drafted_by, OLD.drafted_at_ms)
     OR (NEW.state = 'published'
         AND (NEW.period, NEW.title, NEW.body_json, NEW.recipients_sealed, NEW.attachments, NEW.correction_reason)
             IS DISTINCT FROM (OLD.period, OLD.title, OLD.body_json, OLD.recipients_sealed, OLD.attachments,
                               OLD.correction_reason)) THEN
    RAISE EXCEPTION 'a published disclosure item is frozen; a draft keeps what it is'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
)sql";

}  // namespace

const std::vector<storage::Migration>& DisclosureMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"disclosure", 1, "create_disclosure", kCreateSqlite, kCreatePostgres},
      {"disclosure", 2, "editable_drafts", kEditableDraftsSqlite, kEditableDraftsPostgres},
  };
  return migrations;
}

}  // namespace gz::disclosure
