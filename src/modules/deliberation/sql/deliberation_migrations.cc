// Migration texts of the deliberation module. Layer: deliberation sql (see deliberation_migrations.h).
#include "modules/deliberation/sql/deliberation_migrations.h"

namespace gz::deliberation {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE deliberation_chains (
  id             INTEGER NOT NULL PRIMARY KEY,
  scope_code     TEXT NOT NULL CHECK (length(scope_code) = 12 AND scope_code NOT GLOB '*[^0-9]*'),
  chain_text     TEXT NOT NULL CHECK (length(chain_text) BETWEEN 10 AND 20000),
  decision       TEXT NOT NULL CHECK (length(decision) <= 800),
  decision_item  INTEGER,
  set_by         INTEGER NOT NULL CHECK (set_by > 0),
  set_at_ms      INTEGER NOT NULL
);
CREATE INDEX deliberation_chains_by_scope ON deliberation_chains (scope_code, id);
CREATE TRIGGER deliberation_chains_kept BEFORE UPDATE ON deliberation_chains
BEGIN
  SELECT RAISE(ABORT, 'a recorded procedure is kept; set a new one');
END;
CREATE TRIGGER deliberation_chains_no_delete BEFORE DELETE ON deliberation_chains
BEGIN
  SELECT RAISE(ABORT, 'a recorded procedure is kept; set a new one');
END;

CREATE TABLE deliberation_settings (
  village_code       TEXT NOT NULL PRIMARY KEY CHECK (length(village_code) = 12),
  support_threshold  INTEGER NOT NULL CHECK (support_threshold BETWEEN 1 AND 100000),
  answer_days        INTEGER NOT NULL CHECK (answer_days BETWEEN 1 AND 90),
  set_by             INTEGER NOT NULL,
  set_at_ms          INTEGER NOT NULL
);

CREATE TABLE deliberation_proposals (
  id               INTEGER NOT NULL PRIMARY KEY,
  village_code     TEXT NOT NULL CHECK (length(village_code) = 12),
  title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  text             TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  raised_by        INTEGER NOT NULL CHECK (raised_by > 0),
  recorded_by      INTEGER NOT NULL CHECK (recorded_by > 0),
  consent_id       INTEGER,
  raised_at_ms     INTEGER NOT NULL,
  supports         INTEGER NOT NULL DEFAULT 0 CHECK (supports >= 0),
  threshold        INTEGER NOT NULL CHECK (threshold >= 1),
  reached_at_ms    INTEGER,
  answer_due_ms    INTEGER,
  answer           TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 16000),
  answered_by      INTEGER NOT NULL DEFAULT 0,
  answered_at_ms   INTEGER,
  appeal_id        INTEGER,
  escalated_at_ms  INTEGER,
  matter_id        INTEGER,
  CHECK ((reached_at_ms IS NULL) = (answer_due_ms IS NULL)),
  CHECK ((answer IS NULL) = (answered_at_ms IS NULL)),
  CHECK ((appeal_id IS NULL) = (escalated_at_ms IS NULL)),
  CHECK (appeal_id IS NULL OR answer IS NULL)
);
CREATE INDEX deliberation_proposals_by_village ON deliberation_proposals (village_code, id);
CREATE INDEX deliberation_proposals_due ON deliberation_proposals (answer_due_ms)
  WHERE answer IS NULL AND appeal_id IS NULL AND matter_id IS NULL AND answer_due_ms IS NOT NULL;
CREATE TRIGGER deliberation_proposals_once BEFORE UPDATE ON deliberation_proposals
WHEN NEW.id IS NOT OLD.id OR NEW.village_code IS NOT OLD.village_code OR NEW.title IS NOT OLD.title
  OR NEW.text IS NOT OLD.text OR NEW.raised_by IS NOT OLD.raised_by OR NEW.raised_at_ms IS NOT OLD.raised_at_ms
  OR NEW.threshold IS NOT OLD.threshold OR NEW.supports < OLD.supports
  OR (OLD.reached_at_ms IS NOT NULL AND (NEW.reached_at_ms IS NOT OLD.reached_at_ms OR NEW.answer_due_ms IS NOT OLD.answer_due_ms))
  OR (OLD.answer IS NOT NULL AND NEW.answer IS NOT OLD.answer)
  OR (OLD.appeal_id IS NOT NULL AND NEW.appeal_id IS NOT OLD.appeal_id)
  OR (OLD.matter_id IS NOT NULL AND NEW.matter_id IS NOT OLD.matter_id)
BEGIN
  SELECT RAISE(ABORT, 'a proposal is never edited; its answer, escalation and matter are set once');
END;
CREATE TRIGGER deliberation_proposals_no_delete BEFORE DELETE ON deliberation_proposals
BEGIN
  SELECT RAISE(ABORT, 'proposals are kept');
END;

CREATE TABLE deliberation_supports (
  proposal_id      INTEGER NOT NULL REFERENCES deliberation_proposals (id),
  account_id       INTEGER NOT NULL CHECK (account_id > 0),
  supported_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, account_id)
);

CREATE TABLE deliberation_comments (
  id              INTEGER NOT NULL PRIMARY KEY,
  proposal_id     INTEGER NOT NULL REFERENCES deliberation_proposals (id),
  village_code    TEXT NOT NULL CHECK (length(village_code) = 12),
  author          INTEGER NOT NULL CHECK (author > 0),
  text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 8000),
  written_at_ms   INTEGER NOT NULL,
  hidden_reason   TEXT CHECK (hidden_reason IS NULL OR length(hidden_reason) BETWEEN 1 AND 800),
  hidden_by       INTEGER NOT NULL DEFAULT 0,
  hidden_at_ms    INTEGER,
  CHECK ((hidden_reason IS NULL) = (hidden_at_ms IS NULL) AND (hidden_reason IS NULL) = (hidden_by = 0))
);
CREATE INDEX deliberation_comments_by_proposal ON deliberation_comments (proposal_id, id);
CREATE TRIGGER deliberation_comments_once BEFORE UPDATE ON deliberation_comments
WHEN NEW.id IS NOT OLD.id OR NEW.proposal_id IS NOT OLD.proposal_id OR NEW.author IS NOT OLD.author
  OR NEW.text IS NOT OLD.text OR NEW.written_at_ms IS NOT OLD.written_at_ms OR OLD.hidden_reason IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a comment is never edited; it is hidden once, with a public reason');
END;
CREATE TRIGGER deliberation_comments_no_delete BEFORE DELETE ON deliberation_comments
BEGIN
  SELECT RAISE(ABORT, 'comments are kept (hidden ones with their reason)');
END;

CREATE TABLE deliberation_matters (
  id                          INTEGER NOT NULL PRIMARY KEY,
  village_code                TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'),
  title                       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  description                 TEXT NOT NULL CHECK (length(description) <= 20000),
  proposal_id                 INTEGER UNIQUE REFERENCES deliberation_proposals (id),
  chain_text                  TEXT NOT NULL CHECK (length(chain_text) BETWEEN 10 AND 20000),
  chain_source                TEXT NOT NULL,
  current_step                INTEGER NOT NULL CHECK (current_step >= 0),
  state                       TEXT NOT NULL CHECK (state IN ('open', 'completed', 'withdrawn')),
  opened_by                   INTEGER NOT NULL CHECK (opened_by > 0),
  opened_at_ms                INTEGER NOT NULL,
  version                     INTEGER NOT NULL CHECK (version >= 1),
  resolution_published_at_ms  INTEGER,
  closing_note                TEXT NOT NULL DEFAULT '' CHECK (length(closing_note) <= 2000),
  CHECK ((state = 'withdrawn') = (closing_note <> ''))
);
CREATE INDEX deliberation_matters_by_village ON deliberation_matters (village_code, id);
CREATE TRIGGER deliberation_matters_forward BEFORE UPDATE ON deliberation_matters
WHEN NEW.id IS NOT OLD.id OR NEW.village_code IS NOT OLD.village_code OR NEW.title IS NOT OLD.title
  OR NEW.description IS NOT OLD.description OR NEW.chain_text IS NOT OLD.chain_text OR NEW.opened_by IS NOT OLD.opened_by
  OR NEW.current_step < OLD.current_step OR NEW.version <= OLD.version OR OLD.state <> 'open'
BEGIN
  SELECT RAISE(ABORT, 'a matter only moves forward; its plan and chain are frozen when it is opened');
END;
CREATE TRIGGER deliberation_matters_no_delete BEFORE DELETE ON deliberation_matters
BEGIN
  SELECT RAISE(ABORT, 'matters are kept');
END;

CREATE TABLE deliberation_meetings (
  id                  INTEGER NOT NULL PRIMARY KEY,
  matter_id           INTEGER NOT NULL REFERENCES deliberation_matters (id),
  village_code        TEXT NOT NULL CHECK (length(village_code) = 12),
  step                INTEGER NOT NULL CHECK (step >= 0),
  step_code           TEXT NOT NULL,
  body_code           TEXT NOT NULL,
  held_at_ms          INTEGER NOT NULL,
  notice_at_ms        INTEGER,
  offline             INTEGER NOT NULL CHECK (offline IN (0, 1)),
  members             INTEGER NOT NULL CHECK (members >= 1),
  present             INTEGER NOT NULL CHECK (present BETWEEN 0 AND members),
  households          INTEGER NOT NULL CHECK (households >= 0),
  households_present  INTEGER NOT NULL CHECK (households_present BETWEEN 0 AND households),
  in_favour           INTEGER NOT NULL CHECK (in_favour >= 0),
  against             INTEGER NOT NULL CHECK (against >= 0),
  abstain             INTEGER NOT NULL CHECK (abstain >= 0),
  named_votes         TEXT NOT NULL,
  minutes             TEXT NOT NULL CHECK (length(minutes) <= 80000),
  attachments         TEXT NOT NULL,
  quorum_met          INTEGER NOT NULL CHECK (quorum_met IN (0, 1)),
  notice_ok           INTEGER NOT NULL CHECK (notice_ok IN (0, 1)),
  passed              INTEGER NOT NULL CHECK (passed IN (0, 1)),
  failure             TEXT NOT NULL,
  explanation_zh      TEXT NOT NULL,
  explanation_en      TEXT NOT NULL,
  recorded_by         INTEGER NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms      INTEGER NOT NULL,
  CHECK (in_favour + against + abstain <= present),
  CHECK (passed = 0 OR (quorum_met = 1 AND notice_ok = 1))
);
CREATE INDEX deliberation_meetings_by_matter ON deliberation_meetings (matter_id, recorded_at_ms, id);
CREATE TRIGGER deliberation_meetings_kept BEFORE UPDATE ON deliberation_meetings
BEGIN
  SELECT RAISE(ABORT, 'a recorded meeting is kept as recorded');
END;
CREATE TRIGGER deliberation_meetings_no_delete BEFORE DELETE ON deliberation_meetings
BEGIN
  SELECT RAISE(ABORT, 'a recorded meeting is kept as recorded');
END;

CREATE TABLE deliberation_publications (
  matter_id      INTEGER NOT NULL REFERENCES deliberation_matters (id),
  step           INTEGER NOT NULL CHECK (step >= 0),
  kind           TEXT NOT NULL CHECK (kind IN ('resolution', 'result')),
  item_id        INTEGER NOT NULL UNIQUE,
  drafted_by     INTEGER NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (matter_id, step)
);

CREATE TABLE deliberation_spending (
  id              INTEGER NOT NULL PRIMARY KEY,
  matter_id       INTEGER NOT NULL REFERENCES deliberation_matters (id),
  village_code    TEXT NOT NULL CHECK (length(village_code) = 12),
  amount_fen      INTEGER NOT NULL CHECK (amount_fen BETWEEN 1 AND 10000000000000),
  purpose         TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 800),
  spent_at_ms     INTEGER NOT NULL,
  finance_item    INTEGER,
  flagged         INTEGER NOT NULL CHECK (flagged IN (0, 1)),
  recorded_by     INTEGER NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms  INTEGER NOT NULL
);
CREATE INDEX deliberation_spending_by_matter ON deliberation_spending (matter_id, id);
CREATE INDEX deliberation_spending_flagged ON deliberation_spending (village_code, id) WHERE flagged = 1;
CREATE TRIGGER deliberation_spending_kept BEFORE UPDATE ON deliberation_spending
BEGIN
  SELECT RAISE(ABORT, 'spending records are kept as recorded');
END;
CREATE TRIGGER deliberation_spending_no_delete BEFORE DELETE ON deliberation_spending
BEGIN
  SELECT RAISE(ABORT, 'spending records are kept as recorded');
END;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE FUNCTION deliberation_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% rows are kept as recorded', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;

CREATE TABLE deliberation_chains (
  id             BIGINT NOT NULL PRIMARY KEY,
  scope_code     TEXT COLLATE "C" NOT NULL CHECK (scope_code ~ '^[0-9]{12}$'),
  chain_text     TEXT NOT NULL CHECK (length(chain_text) BETWEEN 10 AND 20000),
  decision       TEXT NOT NULL CHECK (length(decision) <= 800),
  decision_item  BIGINT,
  set_by         BIGINT NOT NULL CHECK (set_by > 0),
  set_at_ms      BIGINT NOT NULL
);
CREATE INDEX deliberation_chains_by_scope ON deliberation_chains (scope_code, id);
CREATE TRIGGER deliberation_chains_kept BEFORE UPDATE OR DELETE ON deliberation_chains
  FOR EACH ROW EXECUTE FUNCTION deliberation_refuse();

CREATE TABLE deliberation_settings (
  village_code       TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(village_code) = 12),
  support_threshold  BIGINT NOT NULL CHECK (support_threshold BETWEEN 1 AND 100000),
  answer_days        BIGINT NOT NULL CHECK (answer_days BETWEEN 1 AND 90),
  set_by             BIGINT NOT NULL,
  set_at_ms          BIGINT NOT NULL
);

CREATE TABLE deliberation_proposals (
  id               BIGINT NOT NULL PRIMARY KEY,
  village_code     TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  text             TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  raised_by        BIGINT NOT NULL CHECK (raised_by > 0),
  recorded_by      BIGINT NOT NULL CHECK (recorded_by > 0),
  consent_id       BIGINT,
  raised_at_ms     BIGINT NOT NULL,
  supports         BIGINT NOT NULL DEFAULT 0 CHECK (supports >= 0),
  threshold        BIGINT NOT NULL CHECK (threshold >= 1),
  reached_at_ms    BIGINT,
  answer_due_ms    BIGINT,
  answer           TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 16000),
  answered_by      BIGINT NOT NULL DEFAULT 0,
  answered_at_ms   BIGINT,
  appeal_id        BIGINT,
  escalated_at_ms  BIGINT,
  matter_id        BIGINT,
  CHECK ((reached_at_ms IS NULL) = (answer_due_ms IS NULL)),
  CHECK ((answer IS NULL) = (answered_at_ms IS NULL)),
  CHECK ((appeal_id IS NULL) = (escalated_at_ms IS NULL)),
  CHECK (appeal_id IS NULL OR answer IS NULL)
);
CREATE INDEX deliberation_proposals_by_village ON deliberation_proposals (village_code, id);
CREATE INDEX deliberation_proposals_due ON deliberation_proposals (answer_due_ms)
  WHERE answer IS NULL AND appeal_id IS NULL AND matter_id IS NULL AND answer_due_ms IS NOT NULL;
CREATE FUNCTION deliberation_proposals_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'proposals are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.village_code, NEW.title, NEW.text, NEW.raised_by, NEW.raised_at_ms, NEW.threshold)
        IS DISTINCT FROM (OLD.id, OLD.village_code, OLD.title, OLD.text, OLD.raised_by, OLD.raised_at_ms, OLD.threshold)
     OR NEW.supports < OLD.supports
     OR (OLD.reached_at_ms IS NOT NULL AND (NEW.reached_at_ms, NEW.answer_due_ms) IS DISTINCT FROM (OLD.reached_at_ms, OLD.answer_due_ms))
     OR (OLD.answer IS NOT NULL AND NEW.answer IS DISTINCT FROM OLD.answer)
     OR (OLD.appeal_id IS NOT NULL AND NEW.appeal_id IS DISTINCT FROM OLD.appeal_id)
     OR (OLD.matter_id IS NOT NULL AND NEW.matter_id IS DISTINCT FROM OLD.matter_id) THEN
    RAISE EXCEPTION 'a proposal is never edited; its answer, escalation and matter are set once'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER deliberation_proposals_once BEFORE UPDATE OR DELETE ON deliberation_proposals
  FOR EACH ROW EXECUTE FUNCTION deliberation_proposals_guard();

CREATE TABLE deliberation_supports (
  proposal_id      BIGINT NOT NULL REFERENCES deliberation_proposals (id),
  account_id       BIGINT NOT NULL CHECK (account_id > 0),
  supported_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (proposal_id, account_id)
);

CREATE TABLE deliberation_comments (
  id              BIGINT NOT NULL PRIMARY KEY,
  proposal_id     BIGINT NOT NULL REFERENCES deliberation_proposals (id),
  village_code    TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  author          BIGINT NOT NULL CHECK (author > 0),
  text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 8000),
  written_at_ms   BIGINT NOT NULL,
  hidden_reason   TEXT CHECK (hidden_reason IS NULL OR length(hidden_reason) BETWEEN 1 AND 800),
  hidden_by       BIGINT NOT NULL DEFAULT 0,
  hidden_at_ms    BIGINT,
  CHECK ((hidden_reason IS NULL) = (hidden_at_ms IS NULL) AND (hidden_reason IS NULL) = (hidden_by = 0))
);
CREATE INDEX deliberation_comments_by_proposal ON deliberation_comments (proposal_id, id);
CREATE FUNCTION deliberation_comments_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'comments are kept (hidden ones with their reason)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.proposal_id, NEW.author, NEW.text, NEW.written_at_ms)
        IS DISTINCT FROM (OLD.id, OLD.proposal_id, OLD.author, OLD.text, OLD.written_at_ms)
     OR OLD.hidden_reason IS NOT NULL THEN
    RAISE EXCEPTION 'a comment is never edited; it is hidden once, with a public reason'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER deliberation_comments_once BEFORE UPDATE OR DELETE ON deliberation_comments
  FOR EACH ROW EXECUTE FUNCTION deliberation_comments_guard();

CREATE TABLE deliberation_matters (
  id                          BIGINT NOT NULL PRIMARY KEY,
  village_code                TEXT COLLATE "C" NOT NULL CHECK (village_code ~ '^[0-9]{12}$'),
  title                       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
  description                 TEXT NOT NULL CHECK (length(description) <= 20000),
  proposal_id                 BIGINT UNIQUE REFERENCES deliberation_proposals (id),
  chain_text                  TEXT NOT NULL CHECK (length(chain_text) BETWEEN 10 AND 20000),
  chain_source                TEXT COLLATE "C" NOT NULL,
  current_step                BIGINT NOT NULL CHECK (current_step >= 0),
  state                       TEXT COLLATE "C" NOT NULL CHECK (state IN ('open', 'completed', 'withdrawn')),
  opened_by                   BIGINT NOT NULL CHECK (opened_by > 0),
  opened_at_ms                BIGINT NOT NULL,
  version                     BIGINT NOT NULL CHECK (version >= 1),
  resolution_published_at_ms  BIGINT,
  closing_note                TEXT NOT NULL DEFAULT '' CHECK (length(closing_note) <= 2000),
  CHECK ((state = 'withdrawn') = (closing_note <> ''))
);
CREATE INDEX deliberation_matters_by_village ON deliberation_matters (village_code, id);
CREATE FUNCTION deliberation_matters_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'matters are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.village_code, NEW.title, NEW.description, NEW.chain_text, NEW.opened_by)
        IS DISTINCT FROM (OLD.id, OLD.village_code, OLD.title, OLD.description, OLD.chain_text, OLD.opened_by)
     OR NEW.current_step < OLD.current_step OR NEW.version <= OLD.version OR OLD.state <> 'open' THEN
    RAISE EXCEPTION 'a matter only moves forward; its plan and chain are frozen when it is opened'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER deliberation_matters_forward BEFORE UPDATE OR DELETE ON deliberation_matters
  FOR EACH ROW EXECUTE FUNCTION deliberation_matters_guard();

CREATE TABLE deliberation_meetings (
  id                  BIGINT NOT NULL PRIMARY KEY,
  matter_id           BIGINT NOT NULL REFERENCES deliberation_matters (id),
  village_code        TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  step                BIGINT NOT NULL CHECK (step >= 0),
  step_code           TEXT COLLATE "C" NOT NULL,
  body_code           TEXT COLLATE "C" NOT NULL,
  held_at_ms          BIGINT NOT NULL,
  notice_at_ms        BIGINT,
  offline             SMALLINT NOT NULL CHECK (offline IN (0, 1)),
  members             BIGINT NOT NULL CHECK (members >= 1),
  present             BIGINT NOT NULL CHECK (present BETWEEN 0 AND members),
  households          BIGINT NOT NULL CHECK (households >= 0),
  households_present  BIGINT NOT NULL CHECK (households_present BETWEEN 0 AND households),
  in_favour           BIGINT NOT NULL CHECK (in_favour >= 0),
  against             BIGINT NOT NULL CHECK (against >= 0),
  abstain             BIGINT NOT NULL CHECK (abstain >= 0),
  named_votes         TEXT NOT NULL,
  minutes             TEXT NOT NULL CHECK (length(minutes) <= 80000),
  attachments         TEXT NOT NULL,
  quorum_met          SMALLINT NOT NULL CHECK (quorum_met IN (0, 1)),
  notice_ok           SMALLINT NOT NULL CHECK (notice_ok IN (0, 1)),
  passed              SMALLINT NOT NULL CHECK (passed IN (0, 1)),
  failure             TEXT COLLATE "C" NOT NULL,
  explanation_zh      TEXT NOT NULL,
  explanation_en      TEXT NOT NULL,
  recorded_by         BIGINT NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms      BIGINT NOT NULL,
  CHECK (in_favour + against + abstain <= present),
  CHECK (passed = 0 OR (quorum_met = 1 AND notice_ok = 1))
);
CREATE INDEX deliberation_meetings_by_matter ON deliberation_meetings (matter_id, recorded_at_ms, id);
CREATE TRIGGER deliberation_meetings_kept BEFORE UPDATE OR DELETE ON deliberation_meetings
  FOR EACH ROW EXECUTE FUNCTION deliberation_refuse();

CREATE TABLE deliberation_publications (
  matter_id      BIGINT NOT NULL REFERENCES deliberation_matters (id),
  step           BIGINT NOT NULL CHECK (step >= 0),
  kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('resolution', 'result')),
  item_id        BIGINT NOT NULL UNIQUE,
  drafted_by     BIGINT NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (matter_id, step)
);

CREATE TABLE deliberation_spending (
  id              BIGINT NOT NULL PRIMARY KEY,
  matter_id       BIGINT NOT NULL REFERENCES deliberation_matters (id),
  village_code    TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  amount_fen      BIGINT NOT NULL CHECK (amount_fen BETWEEN 1 AND 10000000000000),
  purpose         TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 800),
  spent_at_ms     BIGINT NOT NULL,
  finance_item    BIGINT,
  flagged         SMALLINT NOT NULL CHECK (flagged IN (0, 1)),
  recorded_by     BIGINT NOT NULL CHECK (recorded_by > 0),
  recorded_at_ms  BIGINT NOT NULL
);
CREATE INDEX deliberation_spending_by_matter ON deliberation_spending (matter_id, id);
CREATE INDEX deliberation_spending_flagged ON deliberation_spending (village_code, id) WHERE flagged = 1;
CREATE TRIGGER deliberation_spending_kept BEFORE UPDATE OR DELETE ON deliberation_spending
  FOR EACH ROW EXECUTE FUNCTION deliberation_refuse();
)sql";

}  // namespace

const std::vector<storage::Migration>& DeliberationMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"deliberation", 1, "create_deliberation", kCreateSqlite, kCreatePostgres},
  };
  return migrations;
}

}  // namespace gz::deliberation
