// Migration texts of the appeals module. Layer: appeals sql (see appeal_migrations.h).
#include "modules/appeals/sql/appeal_migrations.h"

namespace gz::appeals {
namespace {

// The deadline-bound indexes serve the sweep's three "due and not yet acted on" queries; their
// WHERE clauses are the states in which each deadline runs (lifecycle.h, RunningDeadline).
constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE appeals_appeals (
  id                   INTEGER NOT NULL PRIMARY KEY,
  county_code          TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code         TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'
                         AND substr(village_code, 1, 6) = county_code AND substr(village_code, 10, 3) <> '000'
                         AND substr(village_code, 7, 3) <> '000'),
  submitter_account    INTEGER NOT NULL CHECK (submitter_account >= 0),
  submitter_resident   INTEGER NOT NULL CHECK (submitter_resident >= 0),
  recorded_by          INTEGER NOT NULL CHECK (recorded_by > 0),
  consent_id           INTEGER NOT NULL CHECK (consent_id >= 0),
  channel              TEXT NOT NULL CHECK (channel IN ('self', 'helper', 'staff')),
  category             TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  unit_level           TEXT NOT NULL CHECK (unit_level IN ('village', 'township', 'county')),
  unit_division        TEXT NOT NULL CHECK (length(unit_division) = 12 AND substr(unit_division, 1, 6) = county_code),
  unit_department      TEXT NOT NULL CHECK (length(unit_department) <= 32),
  escalated_level      TEXT CHECK (escalated_level IS NULL OR escalated_level IN ('village', 'township', 'county')),
  escalated_division   TEXT CHECK (escalated_division IS NULL OR
                                   (length(escalated_division) = 12 AND substr(escalated_division, 1, 6) = county_code)),
  state                TEXT NOT NULL CHECK (state IN ('submitted', 'accepted', 'in_progress', 'answered', 'closed',
                         'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  anonymous_to_public  INTEGER NOT NULL CHECK (anonymous_to_public IN (0, 1)),
  text_sealed          BLOB NOT NULL CHECK (typeof(text_sealed) = 'blob' AND length(text_sealed) >= 42),
  location_sealed      BLOB CHECK (location_sealed IS NULL OR (typeof(location_sealed) = 'blob' AND length(location_sealed) >= 42)),
  reopen_count         INTEGER NOT NULL CHECK (reopen_count >= 0),
  contest_count        INTEGER NOT NULL CHECK (contest_count >= 0),
  escalation_count     INTEGER NOT NULL CHECK (escalation_count >= 0),
  accept_due_ms        INTEGER,
  accept_round         INTEGER NOT NULL CHECK (accept_round >= 1),
  answer_due_ms        INTEGER,
  answer_round         INTEGER NOT NULL CHECK (answer_round >= 1),
  rating_due_ms        INTEGER,
  first_accept_due_ms  INTEGER NOT NULL,
  first_answer_due_ms  INTEGER NOT NULL,
  first_accepted_at_ms INTEGER,
  accepted_on_time     INTEGER CHECK (accepted_on_time IS NULL OR accepted_on_time IN (0, 1)),
  first_answered_at_ms INTEGER,
  rating               TEXT CHECK (rating IS NULL OR rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  solved               INTEGER CHECK (solved IS NULL OR solved IN (0, 1)),
  rated_at_ms          INTEGER,
  rated_via            TEXT CHECK (rated_via IS NULL OR rated_via IN ('submitter', 'visit')),
  submitted_at_ms      INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL,
  ended_at_ms          INTEGER,
  version              INTEGER NOT NULL CHECK (version >= 1),
  CHECK (submitter_account > 0 OR submitter_resident > 0),
  CHECK ((channel = 'helper') = (consent_id > 0)),
  CHECK ((escalated_level IS NULL) = (escalated_division IS NULL)),
  CHECK (state <> 'escalated' OR escalated_level IS NOT NULL),
  CHECK ((rating IS NULL) = (solved IS NULL) AND (rating IS NULL) = (rated_at_ms IS NULL)
         AND (rating IS NULL) = (rated_via IS NULL)),
  CHECK ((first_accepted_at_ms IS NULL) = (accepted_on_time IS NULL)),
  CHECK (state <> 'closed' OR (rating IS NOT NULL AND rating IN ('satisfied', 'basically_satisfied'))),
  CHECK (state NOT IN ('in_progress', 'answered', 'closed') OR first_accepted_at_ms IS NOT NULL),
  CHECK (state NOT IN ('answered', 'closed') OR first_answered_at_ms IS NOT NULL),
  CHECK ((state IN ('submitted', 'transferred', 'reopened', 'escalated', 'contested')) = (accept_due_ms IS NOT NULL)),
  CHECK ((state = 'answered') = (rating_due_ms IS NOT NULL))
);
CREATE INDEX appeals_by_village ON appeals_appeals (village_code, id);
CREATE INDEX appeals_by_submission ON appeals_appeals (village_code, submitted_at_ms);
CREATE INDEX appeals_by_unit ON appeals_appeals (unit_level, unit_division, id);
CREATE INDEX appeals_by_submitter ON appeals_appeals (submitter_account, id) WHERE submitter_account > 0;
CREATE INDEX appeals_by_resident ON appeals_appeals (submitter_resident, id) WHERE submitter_resident > 0;
CREATE INDEX appeals_accept_due ON appeals_appeals (accept_due_ms) WHERE accept_due_ms IS NOT NULL;
CREATE INDEX appeals_answer_due ON appeals_appeals (answer_due_ms)
  WHERE answer_due_ms IS NOT NULL AND state IN ('accepted', 'in_progress');
CREATE INDEX appeals_rating_due ON appeals_appeals (rating_due_ms) WHERE rating_due_ms IS NOT NULL;

CREATE TRIGGER appeals_appeals_lifecycle_only BEFORE UPDATE ON appeals_appeals
WHEN NEW.version IS NOT OLD.version + 1
  OR (OLD.state IN ('closed', 'withdrawn') AND NEW.state IS NOT OLD.state)
  OR NEW.id IS NOT OLD.id OR NEW.county_code IS NOT OLD.county_code OR NEW.village_code IS NOT OLD.village_code
  OR NEW.submitter_account IS NOT OLD.submitter_account OR NEW.submitter_resident IS NOT OLD.submitter_resident
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.consent_id IS NOT OLD.consent_id OR NEW.channel IS NOT OLD.channel
  OR NEW.submitted_at_ms IS NOT OLD.submitted_at_ms OR NEW.first_accept_due_ms IS NOT OLD.first_accept_due_ms
  OR NEW.first_answer_due_ms IS NOT OLD.first_answer_due_ms
  OR (OLD.first_accepted_at_ms IS NOT NULL AND (NEW.first_accepted_at_ms IS NOT OLD.first_accepted_at_ms
                                                OR NEW.accepted_on_time IS NOT OLD.accepted_on_time))
  OR (OLD.first_answered_at_ms IS NOT NULL AND NEW.first_answered_at_ms IS NOT OLD.first_answered_at_ms)
  OR NEW.reopen_count < OLD.reopen_count OR NEW.contest_count < OLD.contest_count
  OR NEW.escalation_count < OLD.escalation_count OR NEW.accept_round < OLD.accept_round
  OR NEW.answer_round < OLD.answer_round
BEGIN
  SELECT RAISE(ABORT, 'an appeal changes only through its lifecycle');
END;
CREATE TRIGGER appeals_appeals_no_delete BEFORE DELETE ON appeals_appeals
BEGIN
  SELECT RAISE(ABORT, 'appeals are kept');
END;

CREATE TABLE appeals_timeline (
  id                 INTEGER NOT NULL PRIMARY KEY,
  appeal_id          INTEGER NOT NULL REFERENCES appeals_appeals (id),
  seq                INTEGER NOT NULL CHECK (seq >= 1),
  at_ms              INTEGER NOT NULL,
  actor_account      INTEGER NOT NULL CHECK (actor_account >= 0),
  acting_for_account INTEGER NOT NULL CHECK (acting_for_account >= 0),
  consent_id         INTEGER NOT NULL CHECK (consent_id >= 0),
  capacity           TEXT NOT NULL CHECK (capacity IN ('submitter', 'submitter_in_person', 'recorder', 'handler',
                       'next_level', 'escalation_target', 'supervisor', 'system')),
  action             TEXT NOT NULL CHECK (action IN ('submit', 'accept', 'start', 'answer', 'rate', 'visit', 'transfer',
                       'escalate', 'reject', 'contest', 'uphold', 'overturn', 'withdraw', 'note', 'follow_up')),
  from_state         TEXT CHECK (from_state IS NULL OR from_state IN ('submitted', 'accepted', 'in_progress', 'answered',
                       'closed', 'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  to_state           TEXT NOT NULL CHECK (to_state IN ('submitted', 'accepted', 'in_progress', 'answered', 'closed',
                       'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
  note_sealed        BLOB CHECK (note_sealed IS NULL OR (typeof(note_sealed) = 'blob' AND length(note_sealed) >= 42)),
  details            TEXT NOT NULL CHECK (length(details) <= 2000),
  CHECK ((actor_account = 0) = (capacity = 'system')),
  CHECK (visibility = 'public' OR action = 'note'),
  CHECK ((from_state IS NULL) = (action = 'submit'))
);
CREATE UNIQUE INDEX appeals_timeline_by_appeal ON appeals_timeline (appeal_id, seq);
CREATE TRIGGER appeals_timeline_no_update BEFORE UPDATE ON appeals_timeline
BEGIN
  SELECT RAISE(ABORT, 'timeline entries are never edited');
END;
CREATE TRIGGER appeals_timeline_no_delete BEFORE DELETE ON appeals_timeline
BEGIN
  SELECT RAISE(ABORT, 'timeline entries are kept');
END;

CREATE TABLE appeals_deadline_events (
  appeal_id      INTEGER NOT NULL REFERENCES appeals_appeals (id),
  kind           TEXT NOT NULL CHECK (kind IN ('accept', 'answer', 'follow_up')),
  deadline_round INTEGER NOT NULL CHECK (deadline_round >= 1),
  due_ms         INTEGER NOT NULL,
  fired_at_ms    INTEGER NOT NULL,
  timeline_seq   INTEGER NOT NULL,
  PRIMARY KEY (appeal_id, kind, deadline_round)
);
CREATE TRIGGER appeals_deadline_events_no_update BEFORE UPDATE ON appeals_deadline_events
BEGIN
  SELECT RAISE(ABORT, 'deadline events are never edited');
END;
CREATE TRIGGER appeals_deadline_events_no_delete BEFORE DELETE ON appeals_deadline_events
BEGIN
  SELECT RAISE(ABORT, 'deadline events are kept');
END;

CREATE TABLE appeals_inbox (
  id                INTEGER NOT NULL PRIMARY KEY,
  recipient_kind    TEXT NOT NULL CHECK (recipient_kind IN ('account', 'unit', 'supervisors')),
  recipient_account INTEGER NOT NULL CHECK (recipient_account >= 0),
  unit_level        TEXT NOT NULL CHECK (unit_level IN ('', 'village', 'township', 'county')),
  division          TEXT NOT NULL CHECK (division = '' OR length(division) = 12),
  appeal_id         INTEGER NOT NULL REFERENCES appeals_appeals (id),
  village_code      TEXT NOT NULL CHECK (length(village_code) = 12),
  kind              TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  created_at_ms     INTEGER NOT NULL,
  read_at_ms        INTEGER,
  read_by           INTEGER NOT NULL CHECK (read_by >= 0),
  CHECK ((recipient_kind = 'account') = (recipient_account > 0)),
  CHECK ((recipient_kind = 'unit') = (unit_level <> '')),
  CHECK ((recipient_kind = 'account') = (division = '')),
  CHECK ((read_at_ms IS NULL) = (read_by = 0))
);
CREATE INDEX appeals_inbox_by_account ON appeals_inbox (recipient_account, id) WHERE recipient_kind = 'account';
CREATE INDEX appeals_inbox_by_unit ON appeals_inbox (unit_level, division, id) WHERE recipient_kind = 'unit';
CREATE INDEX appeals_inbox_by_supervisors ON appeals_inbox (division, id) WHERE recipient_kind = 'supervisors';
CREATE TRIGGER appeals_inbox_only_read_mark BEFORE UPDATE ON appeals_inbox
WHEN OLD.read_at_ms IS NOT NULL OR NEW.read_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.recipient_kind IS NOT OLD.recipient_kind
  OR NEW.recipient_account IS NOT OLD.recipient_account OR NEW.unit_level IS NOT OLD.unit_level
  OR NEW.division IS NOT OLD.division OR NEW.appeal_id IS NOT OLD.appeal_id OR NEW.village_code IS NOT OLD.village_code
  OR NEW.kind IS NOT OLD.kind OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN
  SELECT RAISE(ABORT, 'an inbox entry is only ever marked read, once');
END;
CREATE TRIGGER appeals_inbox_no_delete BEFORE DELETE ON appeals_inbox
BEGIN
  SELECT RAISE(ABORT, 'inbox entries are kept');
END;

CREATE TABLE appeals_deadline_rules (
  scope_code TEXT NOT NULL CHECK (length(scope_code) = 12 AND scope_code NOT GLOB '*[^0-9]*'),
  category   TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  accept_ms  INTEGER NOT NULL CHECK (accept_ms BETWEEN 900000 AND 2592000000),
  answer_ms  INTEGER NOT NULL CHECK (answer_ms BETWEEN 1800000 AND 15552000000 AND answer_ms >= accept_ms),
  set_by     INTEGER NOT NULL CHECK (set_by > 0),
  set_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (scope_code, category)
);
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE appeals_appeals (
  id                   BIGINT NOT NULL PRIMARY KEY,
  county_code          TEXT COLLATE "C" NOT NULL CHECK (length(county_code) = 6),
  village_code         TEXT COLLATE "C" NOT NULL CHECK (village_code ~ '^[0-9]{12}$'
                         AND substr(village_code, 1, 6) = county_code AND substr(village_code, 10, 3) <> '000'
                         AND substr(village_code, 7, 3) <> '000'),
  submitter_account    BIGINT NOT NULL CHECK (submitter_account >= 0),
  submitter_resident   BIGINT NOT NULL CHECK (submitter_resident >= 0),
  recorded_by          BIGINT NOT NULL CHECK (recorded_by > 0),
  consent_id           BIGINT NOT NULL CHECK (consent_id >= 0),
  channel              TEXT COLLATE "C" NOT NULL CHECK (channel IN ('self', 'helper', 'staff')),
  category             TEXT COLLATE "C" NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  unit_level           TEXT COLLATE "C" NOT NULL CHECK (unit_level IN ('village', 'township', 'county')),
  unit_division        TEXT COLLATE "C" NOT NULL CHECK (length(unit_division) = 12 AND substr(unit_division, 1, 6) = county_code),
  unit_department      TEXT COLLATE "C" NOT NULL CHECK (length(unit_department) <= 32),
  escalated_level      TEXT COLLATE "C" CHECK (escalated_level IN ('village', 'township', 'county')),
  escalated_division   TEXT COLLATE "C" CHECK (length(escalated_division) = 12 AND substr(escalated_division, 1, 6) = county_code),
  state                TEXT COLLATE "C" NOT NULL CHECK (state IN ('submitted', 'accepted', 'in_progress', 'answered', 'closed',
                         'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  anonymous_to_public  SMALLINT NOT NULL CHECK (anonymous_to_public IN (0, 1)),
  text_sealed          BYTEA NOT NULL CHECK (octet_length(text_sealed) >= 42),
  location_sealed      BYTEA CHECK (octet_length(location_sealed) >= 42),
  reopen_count         INTEGER NOT NULL CHECK (reopen_count >= 0),
  contest_count        INTEGER NOT NULL CHECK (contest_count >= 0),
  escalation_count     INTEGER NOT NULL CHECK (escalation_count >= 0),
  accept_due_ms        BIGINT,
  accept_round         INTEGER NOT NULL CHECK (accept_round >= 1),
  answer_due_ms        BIGINT,
  answer_round         INTEGER NOT NULL CHECK (answer_round >= 1),
  rating_due_ms        BIGINT,
  first_accept_due_ms  BIGINT NOT NULL,
  first_answer_due_ms  BIGINT NOT NULL,
  first_accepted_at_ms BIGINT,
  accepted_on_time     SMALLINT CHECK (accepted_on_time IN (0, 1)),
  first_answered_at_ms BIGINT,
  rating               TEXT COLLATE "C" CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  solved               SMALLINT CHECK (solved IN (0, 1)),
  rated_at_ms          BIGINT,
  rated_via            TEXT COLLATE "C" CHECK (rated_via IN ('submitter', 'visit')),
  submitted_at_ms      BIGINT NOT NULL,
  updated_at_ms        BIGINT NOT NULL,
  ended_at_ms          BIGINT,
  version              BIGINT NOT NULL CHECK (version >= 1),
  CHECK (submitter_account > 0 OR submitter_resident > 0),
  CHECK ((channel = 'helper') = (consent_id > 0)),
  CHECK ((escalated_level IS NULL) = (escalated_division IS NULL)),
  CHECK (state <> 'escalated' OR escalated_level IS NOT NULL),
  CHECK ((rating IS NULL) = (solved IS NULL) AND (rating IS NULL) = (rated_at_ms IS NULL)
         AND (rating IS NULL) = (rated_via IS NULL)),
  CHECK ((first_accepted_at_ms IS NULL) = (accepted_on_time IS NULL)),
  CHECK (state <> 'closed' OR (rating IS NOT NULL AND rating IN ('satisfied', 'basically_satisfied'))),
  CHECK (state NOT IN ('in_progress', 'answered', 'closed') OR first_accepted_at_ms IS NOT NULL),
  CHECK (state NOT IN ('answered', 'closed') OR first_answered_at_ms IS NOT NULL),
  CHECK ((state IN ('submitted', 'transferred', 'reopened', 'escalated', 'contested')) = (accept_due_ms IS NOT NULL)),
  CHECK ((state = 'answered') = (rating_due_ms IS NOT NULL))
);
CREATE INDEX appeals_by_village ON appeals_appeals (village_code, id);
CREATE INDEX appeals_by_submission ON appeals_appeals (village_code, submitted_at_ms);
CREATE INDEX appeals_by_unit ON appeals_appeals (unit_level, unit_division, id);
CREATE INDEX appeals_by_submitter ON appeals_appeals (submitter_account, id) WHERE submitter_account > 0;
CREATE INDEX appeals_by_resident ON appeals_appeals (submitter_resident, id) WHERE submitter_resident > 0;
CREATE INDEX appeals_accept_due ON appeals_appeals (accept_due_ms) WHERE accept_due_ms IS NOT NULL;
CREATE INDEX appeals_answer_due ON appeals_appeals (answer_due_ms)
  WHERE answer_due_ms IS NOT NULL AND state IN ('accepted', 'in_progress');
CREATE INDEX appeals_rating_due ON appeals_appeals (rating_due_ms) WHERE rating_due_ms IS NOT NULL;

CREATE FUNCTION appeals_appeals_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'appeals are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.version IS DISTINCT FROM OLD.version + 1
     OR (OLD.state IN ('closed', 'withdrawn') AND NEW.state IS DISTINCT FROM OLD.state)
     OR (NEW.id, NEW.county_code, NEW.village_code, NEW.submitter_account, NEW.submitter_resident, NEW.recorded_by,
         NEW.consent_id, NEW.channel, NEW.submitted_at_ms, NEW.first_accept_due_ms, NEW.first_answer_due_ms)
        IS DISTINCT FROM
        (OLD.id, OLD.county_code, OLD.village_code, OLD.submitter_account, OLD.submitter_resident, OLD.recorded_by,
         OLD.consent_id, OLD.channel, OLD.submitted_at_ms, OLD.first_accept_due_ms, OLD.first_answer_due_ms)
     OR (OLD.first_accepted_at_ms IS NOT NULL AND (NEW.first_accepted_at_ms, NEW.accepted_on_time)
                                                  IS DISTINCT FROM (OLD.first_accepted_at_ms, OLD.accepted_on_time))
     OR (OLD.first_answered_at_ms IS NOT NULL AND NEW.first_answered_at_ms IS DISTINCT FROM OLD.first_answered_at_ms)
     OR NEW.reopen_count < OLD.reopen_count OR NEW.contest_count < OLD.contest_count
     OR NEW.escalation_count < OLD.escalation_count OR NEW.accept_round < OLD.accept_round
     OR NEW.answer_round < OLD.answer_round THEN
    RAISE EXCEPTION 'an appeal changes only through its lifecycle' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER appeals_appeals_lifecycle_only BEFORE UPDATE OR DELETE ON appeals_appeals
  FOR EACH ROW EXECUTE FUNCTION appeals_appeals_guard();

CREATE TABLE appeals_timeline (
  id                 BIGINT NOT NULL PRIMARY KEY,
  appeal_id          BIGINT NOT NULL REFERENCES appeals_appeals (id),
  seq                BIGINT NOT NULL CHECK (seq >= 1),
  at_ms              BIGINT NOT NULL,
  actor_account      BIGINT NOT NULL CHECK (actor_account >= 0),
  acting_for_account BIGINT NOT NULL CHECK (acting_for_account >= 0),
  consent_id         BIGINT NOT NULL CHECK (consent_id >= 0),
  capacity           TEXT COLLATE "C" NOT NULL CHECK (capacity IN ('submitter', 'submitter_in_person', 'recorder',
                       'handler', 'next_level', 'escalation_target', 'supervisor', 'system')),
  action             TEXT COLLATE "C" NOT NULL CHECK (action IN ('submit', 'accept', 'start', 'answer', 'rate', 'visit',
                       'transfer', 'escalate', 'reject', 'contest', 'uphold', 'overturn', 'withdraw', 'note', 'follow_up')),
  from_state         TEXT COLLATE "C" CHECK (from_state IN ('submitted', 'accepted', 'in_progress', 'answered',
                       'closed', 'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  to_state           TEXT COLLATE "C" NOT NULL CHECK (to_state IN ('submitted', 'accepted', 'in_progress', 'answered',
                       'closed', 'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  visibility         TEXT COLLATE "C" NOT NULL CHECK (visibility IN ('public', 'internal')),
  note_sealed        BYTEA CHECK (octet_length(note_sealed) >= 42),
  details            TEXT NOT NULL CHECK (length(details) <= 2000),
  CHECK ((actor_account = 0) = (capacity = 'system')),
  CHECK (visibility = 'public' OR action = 'note'),
  CHECK ((from_state IS NULL) = (action = 'submit'))
);
CREATE UNIQUE INDEX appeals_timeline_by_appeal ON appeals_timeline (appeal_id, seq);

CREATE TABLE appeals_deadline_events (
  appeal_id      BIGINT NOT NULL REFERENCES appeals_appeals (id),
  kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('accept', 'answer', 'follow_up')),
  deadline_round INTEGER NOT NULL CHECK (deadline_round >= 1),
  due_ms         BIGINT NOT NULL,
  fired_at_ms    BIGINT NOT NULL,
  timeline_seq   BIGINT NOT NULL,
  PRIMARY KEY (appeal_id, kind, deadline_round)
);

CREATE FUNCTION appeals_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% rows are never edited or deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER appeals_timeline_immutable BEFORE UPDATE OR DELETE ON appeals_timeline
  FOR EACH ROW EXECUTE FUNCTION appeals_refuse_change();
CREATE TRIGGER appeals_deadline_events_immutable BEFORE UPDATE OR DELETE ON appeals_deadline_events
  FOR EACH ROW EXECUTE FUNCTION appeals_refuse_change();

CREATE TABLE appeals_inbox (
  id                BIGINT NOT NULL PRIMARY KEY,
  recipient_kind    TEXT COLLATE "C" NOT NULL CHECK (recipient_kind IN ('account', 'unit', 'supervisors')),
  recipient_account BIGINT NOT NULL CHECK (recipient_account >= 0),
  unit_level        TEXT COLLATE "C" NOT NULL CHECK (unit_level IN ('', 'village', 'township', 'county')),
  division          TEXT COLLATE "C" NOT NULL CHECK (division = '' OR length(division) = 12),
  appeal_id         BIGINT NOT NULL REFERENCES appeals_appeals (id),
  village_code      TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  kind              TEXT COLLATE "C" NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  created_at_ms     BIGINT NOT NULL,
  read_at_ms        BIGINT,
  read_by           BIGINT NOT NULL CHECK (read_by >= 0),
  CHECK ((recipient_kind = 'account') = (recipient_account > 0)),
  CHECK ((recipient_kind = 'unit') = (unit_level <> '')),
  CHECK ((recipient_kind = 'account') = (division = '')),
  CHECK ((read_at_ms IS NULL) = (read_by = 0))
);
CREATE INDEX appeals_inbox_by_account ON appeals_inbox (recipient_account, id) WHERE recipient_kind = 'account';
CREATE INDEX appeals_inbox_by_unit ON appeals_inbox (unit_level, division, id) WHERE recipient_kind = 'unit';
CREATE INDEX appeals_inbox_by_supervisors ON appeals_inbox (division, id) WHERE recipient_kind = 'supervisors';
CREATE FUNCTION appeals_inbox_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'inbox entries are kept' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.read_at_ms IS NOT NULL OR NEW.read_at_ms IS NULL
     OR (NEW.id, NEW.recipient_kind, NEW.recipient_account, NEW.unit_level, NEW.division, NEW.appeal_id,
         NEW.village_code, NEW.kind, NEW.created_at_ms)
        IS DISTINCT FROM
        (OLD.id, OLD.recipient_kind, OLD.recipient_account, OLD.unit_level, OLD.division, OLD.appeal_id,
         OLD.village_code, OLD.kind, OLD.created_at_ms) THEN
    RAISE EXCEPTION 'an inbox entry is only ever marked read, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER appeals_inbox_only_read_mark BEFORE UPDATE OR DELETE ON appeals_inbox
  FOR EACH ROW EXECUTE FUNCTION appeals_inbox_guard();

CREATE TABLE appeals_deadline_rules (
  scope_code TEXT COLLATE "C" NOT NULL CHECK (scope_code ~ '^[0-9]{12}$'),
  category   TEXT COLLATE "C" NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  accept_ms  BIGINT NOT NULL CHECK (accept_ms BETWEEN 900000 AND 2592000000),
  answer_ms  BIGINT NOT NULL CHECK (answer_ms BETWEEN 1800000 AND 15552000000 AND answer_ms >= accept_ms),
  set_by     BIGINT NOT NULL CHECK (set_by > 0),
  set_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (scope_code, category)
);
)sql";

// appeals/2 (Open311, src/modules/open311): the channel "open311" and the client that filed an
// appeal (client_id; recorded_by is 0 for it: no account typed it in), and the timeline capacity
// "client" (an entry without an actor account that is not the system's). SQLite cannot change a
// CHECK, so the tables are rebuilt: the children of appeals_appeals are renamed away first (no
// table references them), then appeals_appeals itself (renaming a parent rewrites its children's
// REFERENCES, which here are only the old copies), the new tables are filled from the old ones,
// the old ones dropped children first (so no REFERENCES ever dangles and foreign_keys stays on),
// and every index and trigger is created again with its text of appeals/1, byte for byte
// (sql/appeal_migration_test.cc compares them). The one new trigger keeps client_id fixed.
// PostgreSQL changes the constraints in place; their names are PostgreSQL's generated ones for
// the column CHECKs of appeals/1 (<table>_<column>_check) and, for the first multi-column CHECK
// of appeals_timeline, appeals_timeline_check.
constexpr std::string_view kOpen311Sqlite = R"sql(
ALTER TABLE appeals_timeline RENAME TO appeals_v1_timeline;
ALTER TABLE appeals_deadline_events RENAME TO appeals_v1_deadline_events;
ALTER TABLE appeals_inbox RENAME TO appeals_v1_inbox;
ALTER TABLE appeals_appeals RENAME TO appeals_v1_appeals;

CREATE TABLE appeals_appeals (
  id                   INTEGER NOT NULL PRIMARY KEY,
  county_code          TEXT NOT NULL CHECK (length(county_code) = 6),
  village_code         TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'
                         AND substr(village_code, 1, 6) = county_code AND substr(village_code, 10, 3) <> '000'
                         AND substr(village_code, 7, 3) <> '000'),
  submitter_account    INTEGER NOT NULL CHECK (submitter_account >= 0),
  submitter_resident   INTEGER NOT NULL CHECK (submitter_resident >= 0),
  recorded_by          INTEGER NOT NULL CHECK (recorded_by >= 0),
  consent_id           INTEGER NOT NULL CHECK (consent_id >= 0),
  channel              TEXT NOT NULL CHECK (channel IN ('self', 'helper', 'staff', 'open311')),
  category             TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  unit_level           TEXT NOT NULL CHECK (unit_level IN ('village', 'township', 'county')),
  unit_division        TEXT NOT NULL CHECK (length(unit_division) = 12 AND substr(unit_division, 1, 6) = county_code),
  unit_department      TEXT NOT NULL CHECK (length(unit_department) <= 32),
  escalated_level      TEXT CHECK (escalated_level IS NULL OR escalated_level IN ('village', 'township', 'county')),
  escalated_division   TEXT CHECK (escalated_division IS NULL OR
                                   (length(escalated_division) = 12 AND substr(escalated_division, 1, 6) = county_code)),
  state                TEXT NOT NULL CHECK (state IN ('submitted', 'accepted', 'in_progress', 'answered', 'closed',
                         'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  anonymous_to_public  INTEGER NOT NULL CHECK (anonymous_to_public IN (0, 1)),
  text_sealed          BLOB NOT NULL CHECK (typeof(text_sealed) = 'blob' AND length(text_sealed) >= 42),
  location_sealed      BLOB CHECK (location_sealed IS NULL OR (typeof(location_sealed) = 'blob' AND length(location_sealed) >= 42)),
  reopen_count         INTEGER NOT NULL CHECK (reopen_count >= 0),
  contest_count        INTEGER NOT NULL CHECK (contest_count >= 0),
  escalation_count     INTEGER NOT NULL CHECK (escalation_count >= 0),
  accept_due_ms        INTEGER,
  accept_round         INTEGER NOT NULL CHECK (accept_round >= 1),
  answer_due_ms        INTEGER,
  answer_round         INTEGER NOT NULL CHECK (answer_round >= 1),
  rating_due_ms        INTEGER,
  first_accept_due_ms  INTEGER NOT NULL,
  first_answer_due_ms  INTEGER NOT NULL,
  first_accepted_at_ms INTEGER,
  accepted_on_time     INTEGER CHECK (accepted_on_time IS NULL OR accepted_on_time IN (0, 1)),
  first_answered_at_ms INTEGER,
  rating               TEXT CHECK (rating IS NULL OR rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  solved               INTEGER CHECK (solved IS NULL OR solved IN (0, 1)),
  rated_at_ms          INTEGER,
  rated_via            TEXT CHECK (rated_via IS NULL OR rated_via IN ('submitter', 'visit')),
  submitted_at_ms      INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL,
  ended_at_ms          INTEGER,
  version              INTEGER NOT NULL CHECK (version >= 1),
  client_id            INTEGER NOT NULL CHECK (client_id >= 0),
  CHECK (submitter_account > 0 OR submitter_resident > 0),
  CHECK ((channel = 'helper') = (consent_id > 0)),
  CHECK ((channel = 'open311') = (client_id > 0)),
  CHECK (channel = 'open311' OR recorded_by > 0),
  CHECK ((escalated_level IS NULL) = (escalated_division IS NULL)),
  CHECK (state <> 'escalated' OR escalated_level IS NOT NULL),
  CHECK ((rating IS NULL) = (solved IS NULL) AND (rating IS NULL) = (rated_at_ms IS NULL)
         AND (rating IS NULL) = (rated_via IS NULL)),
  CHECK ((first_accepted_at_ms IS NULL) = (accepted_on_time IS NULL)),
  CHECK (state <> 'closed' OR (rating IS NOT NULL AND rating IN ('satisfied', 'basically_satisfied'))),
  CHECK (state NOT IN ('in_progress', 'answered', 'closed') OR first_accepted_at_ms IS NOT NULL),
  CHECK (state NOT IN ('answered', 'closed') OR first_answered_at_ms IS NOT NULL),
  CHECK ((state IN ('submitted', 'transferred', 'reopened', 'escalated', 'contested')) = (accept_due_ms IS NOT NULL)),
  CHECK ((state = 'answered') = (rating_due_ms IS NOT NULL))
);
INSERT INTO appeals_appeals (id, county_code, village_code, submitter_account, submitter_resident,
    recorded_by, consent_id, channel, category, unit_level, unit_division, unit_department, escalated_level,
    escalated_division, state, anonymous_to_public, text_sealed, location_sealed, reopen_count,
    contest_count, escalation_count, accept_due_ms, accept_round, answer_due_ms, answer_round, rating_due_ms,
    first_accept_due_ms, first_answer_due_ms, first_accepted_at_ms, accepted_on_time, first_answered_at_ms,
    rating, solved, rated_at_ms, rated_via, submitted_at_ms, updated_at_ms, ended_at_ms, version, client_id)
  SELECT id, county_code, village_code, submitter_account, submitter_resident, recorded_by, consent_id,
    channel, category, unit_level, unit_division, unit_department, escalated_level, escalated_division,
    state, anonymous_to_public, text_sealed, location_sealed, reopen_count, contest_count, escalation_count,
    accept_due_ms, accept_round, answer_due_ms, answer_round, rating_due_ms, first_accept_due_ms,
    first_answer_due_ms, first_accepted_at_ms, accepted_on_time, first_answered_at_ms, rating, solved,
    rated_at_ms, rated_via, submitted_at_ms, updated_at_ms, ended_at_ms, version, 0 FROM appeals_v1_appeals;

CREATE TABLE appeals_timeline (
  id                 INTEGER NOT NULL PRIMARY KEY,
  appeal_id          INTEGER NOT NULL REFERENCES appeals_appeals (id),
  seq                INTEGER NOT NULL CHECK (seq >= 1),
  at_ms              INTEGER NOT NULL,
  actor_account      INTEGER NOT NULL CHECK (actor_account >= 0),
  acting_for_account INTEGER NOT NULL CHECK (acting_for_account >= 0),
  consent_id         INTEGER NOT NULL CHECK (consent_id >= 0),
  capacity           TEXT NOT NULL CHECK (capacity IN ('submitter', 'submitter_in_person', 'recorder', 'handler',
                       'next_level', 'escalation_target', 'supervisor', 'system', 'client')),
  action             TEXT NOT NULL CHECK (action IN ('submit', 'accept', 'start', 'answer', 'rate', 'visit', 'transfer',
                       'escalate', 'reject', 'contest', 'uphold', 'overturn', 'withdraw', 'note', 'follow_up')),
  from_state         TEXT CHECK (from_state IS NULL OR from_state IN ('submitted', 'accepted', 'in_progress', 'answered',
                       'closed', 'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  to_state           TEXT NOT NULL CHECK (to_state IN ('submitted', 'accepted', 'in_progress', 'answered', 'closed',
                       'transferred', 'escalated', 'reopened', 'rejected', 'contested', 'withdrawn')),
  visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
  note_sealed        BLOB CHECK (note_sealed IS NULL OR (typeof(note_sealed) = 'blob' AND length(note_sealed) >= 42)),
  details            TEXT NOT NULL CHECK (length(details) <= 2000),
  CHECK ((actor_account = 0) = (capacity IN ('system', 'client'))),
  CHECK (visibility = 'public' OR action = 'note'),
  CHECK ((from_state IS NULL) = (action = 'submit'))
);
INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, consent_id,
    capacity, action, from_state, to_state, visibility, note_sealed, details)
  SELECT id, appeal_id, seq, at_ms, actor_account, acting_for_account, consent_id, capacity, action,
    from_state, to_state, visibility, note_sealed, details FROM appeals_v1_timeline;

CREATE TABLE appeals_deadline_events (
  appeal_id      INTEGER NOT NULL REFERENCES appeals_appeals (id),
  kind           TEXT NOT NULL CHECK (kind IN ('accept', 'answer', 'follow_up')),
  deadline_round INTEGER NOT NULL CHECK (deadline_round >= 1),
  due_ms         INTEGER NOT NULL,
  fired_at_ms    INTEGER NOT NULL,
  timeline_seq   INTEGER NOT NULL,
  PRIMARY KEY (appeal_id, kind, deadline_round)
);
INSERT INTO appeals_deadline_events (appeal_id, kind, deadline_round, due_ms, fired_at_ms, timeline_seq)
  SELECT appeal_id, kind, deadline_round, due_ms, fired_at_ms, timeline_seq FROM appeals_v1_deadline_events;

CREATE TABLE appeals_inbox (
  id                INTEGER NOT NULL PRIMARY KEY,
  recipient_kind    TEXT NOT NULL CHECK (recipient_kind IN ('account', 'unit', 'supervisors')),
  recipient_account INTEGER NOT NULL CHECK (recipient_account >= 0),
  unit_level        TEXT NOT NULL CHECK (unit_level IN ('', 'village', 'township', 'county')),
  division          TEXT NOT NULL CHECK (division = '' OR length(division) = 12),
  appeal_id         INTEGER NOT NULL REFERENCES appeals_appeals (id),
  village_code      TEXT NOT NULL CHECK (length(village_code) = 12),
  kind              TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  created_at_ms     INTEGER NOT NULL,
  read_at_ms        INTEGER,
  read_by           INTEGER NOT NULL CHECK (read_by >= 0),
  CHECK ((recipient_kind = 'account') = (recipient_account > 0)),
  CHECK ((recipient_kind = 'unit') = (unit_level <> '')),
  CHECK ((recipient_kind = 'account') = (division = '')),
  CHECK ((read_at_ms IS NULL) = (read_by = 0))
);
INSERT INTO appeals_inbox (id, recipient_kind, recipient_account, unit_level, division, appeal_id,
    village_code, kind, created_at_ms, read_at_ms, read_by)
  SELECT id, recipient_kind, recipient_account, unit_level, division, appeal_id, village_code, kind,
    created_at_ms, read_at_ms, read_by FROM appeals_v1_inbox;

DROP TABLE appeals_v1_timeline;
DROP TABLE appeals_v1_deadline_events;
DROP TABLE appeals_v1_inbox;
DROP TABLE appeals_v1_appeals;

CREATE INDEX appeals_by_village ON appeals_appeals (village_code, id);
CREATE INDEX appeals_by_submission ON appeals_appeals (village_code, submitted_at_ms);
CREATE INDEX appeals_by_unit ON appeals_appeals (unit_level, unit_division, id);
CREATE INDEX appeals_by_submitter ON appeals_appeals (submitter_account, id) WHERE submitter_account > 0;
CREATE INDEX appeals_by_resident ON appeals_appeals (submitter_resident, id) WHERE submitter_resident > 0;
CREATE INDEX appeals_accept_due ON appeals_appeals (accept_due_ms) WHERE accept_due_ms IS NOT NULL;
CREATE INDEX appeals_answer_due ON appeals_appeals (answer_due_ms)
  WHERE answer_due_ms IS NOT NULL AND state IN ('accepted', 'in_progress');
CREATE INDEX appeals_rating_due ON appeals_appeals (rating_due_ms) WHERE rating_due_ms IS NOT NULL;

CREATE TRIGGER appeals_appeals_lifecycle_only BEFORE UPDATE ON appeals_appeals
WHEN NEW.version IS NOT OLD.version + 1
  OR (OLD.state IN ('closed', 'withdrawn') AND NEW.state IS NOT OLD.state)
  OR NEW.id IS NOT OLD.id OR NEW.county_code IS NOT OLD.county_code OR NEW.village_code IS NOT OLD.village_code
  OR NEW.submitter_account IS NOT OLD.submitter_account OR NEW.submitter_resident IS NOT OLD.submitter_resident
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.consent_id IS NOT OLD.consent_id OR NEW.channel IS NOT OLD.channel
  OR NEW.submitted_at_ms IS NOT OLD.submitted_at_ms OR NEW.first_accept_due_ms IS NOT OLD.first_accept_due_ms
  OR NEW.first_answer_due_ms IS NOT OLD.first_answer_due_ms
  OR (OLD.first_accepted_at_ms IS NOT NULL AND (NEW.first_accepted_at_ms IS NOT OLD.first_accepted_at_ms
                                                OR NEW.accepted_on_time IS NOT OLD.accepted_on_time))
  OR (OLD.first_answered_at_ms IS NOT NULL AND NEW.first_answered_at_ms IS NOT OLD.first_answered_at_ms)
  OR NEW.reopen_count < OLD.reopen_count OR NEW.contest_count < OLD.contest_count
  OR NEW.escalation_count < OLD.escalation_count OR NEW.accept_round < OLD.accept_round
  OR NEW.answer_round < OLD.answer_round
BEGIN
  SELECT RAISE(ABORT, 'an appeal changes only through its lifecycle');
END;
CREATE TRIGGER appeals_appeals_no_delete BEFORE DELETE ON appeals_appeals
BEGIN
  SELECT RAISE(ABORT, 'appeals are kept');
END;


CREATE UNIQUE INDEX appeals_timeline_by_appeal ON appeals_timeline (appeal_id, seq);
CREATE TRIGGER appeals_timeline_no_update BEFORE UPDATE ON appeals_timeline
BEGIN
  SELECT RAISE(ABORT, 'timeline entries are never edited');
END;
CREATE TRIGGER appeals_timeline_no_delete BEFORE DELETE ON appeals_timeline
BEGIN
  SELECT RAISE(ABORT, 'timeline entries are kept');
END;


CREATE TRIGGER appeals_deadline_events_no_update BEFORE UPDATE ON appeals_deadline_events
BEGIN
  SELECT RAISE(ABORT, 'deadline events are never edited');
END;
CREATE TRIGGER appeals_deadline_events_no_delete BEFORE DELETE ON appeals_deadline_events
BEGIN
  SELECT RAISE(ABORT, 'deadline events are kept');
END;


CREATE INDEX appeals_inbox_by_account ON appeals_inbox (recipient_account, id) WHERE recipient_kind = 'account';
CREATE INDEX appeals_inbox_by_unit ON appeals_inbox (unit_level, division, id) WHERE recipient_kind = 'unit';
CREATE INDEX appeals_inbox_by_supervisors ON appeals_inbox (division, id) WHERE recipient_kind = 'supervisors';
CREATE TRIGGER appeals_inbox_only_read_mark BEFORE UPDATE ON appeals_inbox
WHEN OLD.read_at_ms IS NOT NULL OR NEW.read_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.recipient_kind IS NOT OLD.recipient_kind
  OR NEW.recipient_account IS NOT OLD.recipient_account OR NEW.unit_level IS NOT OLD.unit_level
  OR NEW.division IS NOT OLD.division OR NEW.appeal_id IS NOT OLD.appeal_id OR NEW.village_code IS NOT OLD.village_code
  OR NEW.kind IS NOT OLD.kind OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN
  SELECT RAISE(ABORT, 'an inbox entry is only ever marked read, once');
END;
CREATE TRIGGER appeals_inbox_no_delete BEFORE DELETE ON appeals_inbox
BEGIN
  SELECT RAISE(ABORT, 'inbox entries are kept');
END;

CREATE TRIGGER appeals_appeals_client_fixed BEFORE UPDATE ON appeals_appeals
WHEN NEW.client_id IS NOT OLD.client_id
BEGIN
  SELECT RAISE(ABORT, 'an appeal changes only through its lifecycle');
END;
)sql";

constexpr std::string_view kOpen311Postgres = R"sql(
ALTER TABLE appeals_appeals DROP CONSTRAINT appeals_appeals_channel_check;
ALTER TABLE appeals_appeals DROP CONSTRAINT appeals_appeals_recorded_by_check;
ALTER TABLE appeals_appeals ADD COLUMN client_id BIGINT NOT NULL DEFAULT 0 CHECK (client_id >= 0);
ALTER TABLE appeals_appeals ALTER COLUMN client_id DROP DEFAULT;
ALTER TABLE appeals_appeals ADD CONSTRAINT appeals_appeals_channel_check
  CHECK (channel IN ('self', 'helper', 'staff', 'open311'));
ALTER TABLE appeals_appeals ADD CONSTRAINT appeals_appeals_recorded_by_check CHECK (recorded_by >= 0);
ALTER TABLE appeals_appeals ADD CONSTRAINT appeals_appeals_client_check CHECK ((channel = 'open311') = (client_id > 0));
ALTER TABLE appeals_appeals ADD CONSTRAINT appeals_appeals_recorder_check CHECK (channel = 'open311' OR recorded_by > 0);

ALTER TABLE appeals_timeline DROP CONSTRAINT appeals_timeline_capacity_check;
ALTER TABLE appeals_timeline DROP CONSTRAINT appeals_timeline_check;
ALTER TABLE appeals_timeline ADD CONSTRAINT appeals_timeline_capacity_check
  CHECK (capacity IN ('submitter', 'submitter_in_person', 'recorder', 'handler', 'next_level', 'escalation_target',
                      'supervisor', 'system', 'client'));
ALTER TABLE appeals_timeline ADD CONSTRAINT appeals_timeline_actor_check
  CHECK ((actor_account = 0) = (capacity IN ('system', 'client')));

CREATE FUNCTION appeals_appeals_client_fixed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.client_id IS DISTINCT FROM OLD.client_id THEN
    RAISE EXCEPTION 'an appeal changes only through its lifecycle' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER appeals_appeals_client_fixed BEFORE UPDATE ON appeals_appeals
  FOR EACH ROW EXECUTE FUNCTION appeals_appeals_client_fixed();
)sql";

// Version 3: supporters (附议) of an appeal: villagers of the same village who join it instead of
// filing the same thing again. Never changed or removed (joining is a public act of support that
// the timeline of the submitter and the counts rely on).
constexpr std::string_view kSupportersSqlite = R"sql(
CREATE TABLE appeals_supporters (
  appeal_id     INTEGER NOT NULL REFERENCES appeals_appeals (id),
  account_id    INTEGER NOT NULL CHECK (account_id > 0),
  village_code  TEXT NOT NULL CHECK (length(village_code) = 12),
  joined_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (appeal_id, account_id)
);
CREATE INDEX appeals_supporters_by_account ON appeals_supporters (account_id, appeal_id);
CREATE TRIGGER appeals_supporters_no_update BEFORE UPDATE ON appeals_supporters
BEGIN
  SELECT RAISE(ABORT, 'supporters are never changed');
END;
CREATE TRIGGER appeals_supporters_no_delete BEFORE DELETE ON appeals_supporters
BEGIN
  SELECT RAISE(ABORT, 'supporters are never removed');
END;
)sql";

constexpr std::string_view kSupportersPostgres = R"sql(
CREATE TABLE appeals_supporters (
  appeal_id     BIGINT NOT NULL REFERENCES appeals_appeals (id),
  account_id    BIGINT NOT NULL CHECK (account_id > 0),
  village_code  TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  joined_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (appeal_id, account_id)
);
CREATE INDEX appeals_supporters_by_account ON appeals_supporters (account_id, appeal_id);
CREATE FUNCTION appeals_supporters_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'supporters are never changed or removed' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER appeals_supporters_guard BEFORE UPDATE OR DELETE ON appeals_supporters
  FOR EACH ROW EXECUTE FUNCTION appeals_supporters_refuse();
)sql";

// appeals/4: indexes for a county with a million appeals (bench/README.md, "Appeals").
//   appeals_rates replaces appeals_by_submission (same leading columns) and COVERS every column
//   the rates read (SqlAppealStore::ForEachFact), so computing them is a scan of the index alone:
//   at 1,000,000 appeals, reading the rows through the old index cost a random table lookup each.
//   appeals_open_by_{submitter,resident}: the open-appeal count checked at every submission reads
//   the submitter's index entries only, not one table row per appeal they ever filed.
constexpr std::string_view kRatesIndexesSqlite = R"sql(
DROP INDEX appeals_by_submission;
CREATE INDEX appeals_rates ON appeals_appeals (village_code, submitted_at_ms, state, unit_level, unit_division,
  unit_department, accept_due_ms, answer_due_ms, first_answer_due_ms, first_accepted_at_ms, accepted_on_time,
  first_answered_at_ms, rating, solved, reopen_count, escalation_count);
CREATE INDEX appeals_open_by_submitter ON appeals_appeals (submitter_account, state) WHERE submitter_account > 0;
CREATE INDEX appeals_open_by_resident ON appeals_appeals (submitter_resident, state) WHERE submitter_resident > 0;
)sql";

// PostgreSQL keeps the key short and carries the other columns with INCLUDE (index-only scans).
constexpr std::string_view kRatesIndexesPostgres = R"sql(
DROP INDEX appeals_by_submission;
CREATE INDEX appeals_rates ON appeals_appeals (village_code, submitted_at_ms) INCLUDE (id, state, unit_level,
  unit_division, unit_department, accept_due_ms, answer_due_ms, first_answer_due_ms, first_accepted_at_ms,
  accepted_on_time, first_answered_at_ms, rating, solved, reopen_count, escalation_count);
CREATE INDEX appeals_open_by_submitter ON appeals_appeals (submitter_account, state) WHERE submitter_account > 0;
CREATE INDEX appeals_open_by_resident ON appeals_appeals (submitter_resident, state) WHERE submitter_resident > 0;
)sql";

// appeals/5: which unit handles a category in a place (UnitRule, categories.h). A rule names a
// level and a department; the division follows from the appeal's village.
constexpr std::string_view kUnitRulesSqlite = R"sql(
CREATE TABLE appeals_unit_rules (
  scope_code TEXT NOT NULL CHECK (length(scope_code) = 12 AND scope_code NOT GLOB '*[^0-9]*'),
  category   TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  unit_level TEXT NOT NULL CHECK (unit_level IN ('village', 'township', 'county')),
  department TEXT NOT NULL CHECK (length(department) <= 32),
  set_by     INTEGER NOT NULL CHECK (set_by > 0),
  set_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (scope_code, category)
);
)sql";

constexpr std::string_view kUnitRulesPostgres = R"sql(
CREATE TABLE appeals_unit_rules (
  scope_code TEXT COLLATE "C" NOT NULL CHECK (scope_code ~ '^[0-9]{12}$'),
  category   TEXT COLLATE "C" NOT NULL CHECK (length(category) BETWEEN 1 AND 32),
  unit_level TEXT NOT NULL CHECK (unit_level IN ('village', 'township', 'county')),
  department TEXT COLLATE "C" NOT NULL CHECK (length(department) <= 32),
  set_by     BIGINT NOT NULL CHECK (set_by > 0),
  set_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (scope_code, category)
);
)sql";

// appeals/6: the keys clients send with a new appeal (Idempotency-Key), one per account and key,
// so that an appeal sent again after a lost answer is filed once. The fingerprint is a keyed hash
// of the request (FieldCipher::BlindIndex), never the text. Kept as long as the appeal: a key is
// random (a UUID), so keeping it costs one small row per appeal and no client can be surprised.
constexpr std::string_view kSubmissionKeysSqlite = R"sql(
CREATE TABLE appeals_submission_keys (
  account_id   INTEGER NOT NULL CHECK (account_id > 0),
  idem_key     TEXT NOT NULL CHECK (length(idem_key) BETWEEN 8 AND 64),
  fingerprint  BLOB NOT NULL,
  appeal_id    INTEGER NOT NULL REFERENCES appeals_appeals (id),
  village_code TEXT NOT NULL CHECK (length(village_code) = 12),
  created_ms   INTEGER NOT NULL,
  PRIMARY KEY (account_id, idem_key)
);
CREATE TRIGGER appeals_submission_keys_no_update BEFORE UPDATE ON appeals_submission_keys
BEGIN SELECT RAISE(ABORT, 'submission keys are never changed'); END;
)sql";

constexpr std::string_view kSubmissionKeysPostgres = R"sql(
CREATE TABLE appeals_submission_keys (
  account_id   BIGINT NOT NULL CHECK (account_id > 0),
  idem_key     TEXT COLLATE "C" NOT NULL CHECK (length(idem_key) BETWEEN 8 AND 64),
  fingerprint  BYTEA NOT NULL,
  appeal_id    BIGINT NOT NULL REFERENCES appeals_appeals (id),
  village_code TEXT COLLATE "C" NOT NULL CHECK (length(village_code) = 12),
  created_ms   BIGINT NOT NULL,
  PRIMARY KEY (account_id, idem_key)
);
CREATE FUNCTION appeals_submission_keys_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'submission keys are never changed' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER appeals_submission_keys_guard BEFORE UPDATE ON appeals_submission_keys
  FOR EACH ROW EXECUTE FUNCTION appeals_submission_keys_refuse();
)sql";

}  // namespace

const std::vector<storage::Migration>& AppealMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"appeals", 1, "create_appeals", kCreateSqlite, kCreatePostgres},
      {"appeals", 2, "open311_channel", kOpen311Sqlite, kOpen311Postgres},
      {"appeals", 3, "supporters", kSupportersSqlite, kSupportersPostgres},
      {"appeals", 4, "rates_and_open_count_indexes", kRatesIndexesSqlite, kRatesIndexesPostgres},
      {"appeals", 5, "unit_rules", kUnitRulesSqlite, kUnitRulesPostgres},
      {"appeals", 6, "submission_keys", kSubmissionKeysSqlite, kSubmissionKeysPostgres},
  };
  return migrations;
}

}  // namespace gz::appeals
