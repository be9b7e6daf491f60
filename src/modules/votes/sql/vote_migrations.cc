// Migration texts of the votes module. Layer: votes sql (see vote_migrations.h).
#include "modules/votes/sql/vote_migrations.h"

namespace gz::votes {
namespace {

constexpr std::string_view kCreateSqlite = R"sql(
CREATE TABLE votes (
  id                INTEGER NOT NULL PRIMARY KEY,
  village_code      TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'),
  question          TEXT NOT NULL CHECK (length(question) BETWEEN 2 AND 500),
  options           TEXT NOT NULL CHECK (length(options) BETWEEN 3 AND 8000),
  method            TEXT NOT NULL CHECK (method IN ('single', 'approval', 'ranked')),
  electorate_rule   TEXT NOT NULL CHECK (electorate_rule IN ('residents-18+', 'households')),
  secret            INTEGER NOT NULL CHECK (secret IN (0, 1)),
  channel           TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
  opens_at_ms       INTEGER NOT NULL,
  closes_at_ms      INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
  drafted_by        INTEGER NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms     INTEGER NOT NULL,
  opened_by         INTEGER,
  opened_at_ms      INTEGER,
  electorate_as_of  TEXT,
  electorate_size   INTEGER CHECK (electorate_size IS NULL OR electorate_size > 0),
  rules_entry       BLOB CHECK (rules_entry IS NULL OR length(rules_entry) BETWEEN 1 AND 65535),
  rules_log_index   INTEGER UNIQUE CHECK (rules_log_index IS NULL OR rules_log_index >= 0),
  closed_by         INTEGER,
  closed_at_ms      INTEGER,
  tally_entry       BLOB CHECK (tally_entry IS NULL OR length(tally_entry) BETWEEN 1 AND 65535),
  tally_log_index   INTEGER UNIQUE CHECK (tally_log_index IS NULL OR tally_log_index >= 0),
  CHECK (closes_at_ms > opens_at_ms),
  CHECK ((state <> 'draft') = (opened_by IS NOT NULL) AND (state <> 'draft') = (opened_at_ms IS NOT NULL)
         AND (state <> 'draft') = (electorate_as_of IS NOT NULL) AND (state <> 'draft') = (electorate_size IS NOT NULL)
         AND (state <> 'draft') = (rules_entry IS NOT NULL) AND (state <> 'draft') = (rules_log_index IS NOT NULL)),
  CHECK ((state = 'closed') = (closed_by IS NOT NULL) AND (state = 'closed') = (closed_at_ms IS NOT NULL)
         AND (state = 'closed') = (tally_entry IS NOT NULL) AND (state = 'closed') = (tally_log_index IS NOT NULL)),
  CHECK (opened_by IS NULL OR opened_by <> drafted_by)
);
CREATE INDEX votes_by_village ON votes (village_code, state, id);

CREATE TRIGGER votes_rules_frozen BEFORE UPDATE ON votes
WHEN NEW.id IS NOT OLD.id OR NEW.village_code IS NOT OLD.village_code OR NEW.question IS NOT OLD.question
  OR NEW.options IS NOT OLD.options OR NEW.method IS NOT OLD.method OR NEW.electorate_rule IS NOT OLD.electorate_rule
  OR NEW.secret IS NOT OLD.secret OR NEW.channel IS NOT OLD.channel OR NEW.opens_at_ms IS NOT OLD.opens_at_ms
  OR NEW.closes_at_ms IS NOT OLD.closes_at_ms OR NEW.drafted_by IS NOT OLD.drafted_by
  OR NEW.drafted_at_ms IS NOT OLD.drafted_at_ms
  OR OLD.state = 'closed'
  OR (OLD.state = 'draft' AND NEW.state IS NOT 'open')
  OR (OLD.state = 'open' AND (NEW.state IS NOT 'closed' OR NEW.opened_by IS NOT OLD.opened_by
      OR NEW.opened_at_ms IS NOT OLD.opened_at_ms OR NEW.electorate_as_of IS NOT OLD.electorate_as_of
      OR NEW.electorate_size IS NOT OLD.electorate_size OR NEW.rules_entry IS NOT OLD.rules_entry
      OR NEW.rules_log_index IS NOT OLD.rules_log_index))
BEGIN
  SELECT RAISE(ABORT, 'the rules of a vote never change; a vote only opens once and closes once');
END;
CREATE TRIGGER votes_kept BEFORE DELETE ON votes
WHEN OLD.state <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'opened votes are kept');
END;

CREATE TABLE votes_electorate (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  resident_id  INTEGER NOT NULL CHECK (resident_id > 0),
  unit_id      INTEGER NOT NULL CHECK (unit_id > 0),
  PRIMARY KEY (vote_id, resident_id)
) WITHOUT ROWID;

CREATE TABLE votes_participation (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  unit_id      INTEGER NOT NULL CHECK (unit_id > 0),
  cast_by      INTEGER NOT NULL CHECK (cast_by > 0),
  consent_id   INTEGER NOT NULL DEFAULT 0,
  cast_at_ms   INTEGER NOT NULL,
  PRIMARY KEY (vote_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE votes_ballots (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  ballot_id    TEXT NOT NULL CHECK (length(ballot_id) = 32 AND ballot_id NOT GLOB '*[^0-9a-f]*'),
  choice       TEXT NOT NULL CHECK (length(choice) BETWEEN 3 AND 200),
  unit_id      INTEGER,
  cast_at_ms   INTEGER,
  PRIMARY KEY (vote_id, ballot_id),
  CHECK ((unit_id IS NULL) = (cast_at_ms IS NULL))
) WITHOUT ROWID;
CREATE UNIQUE INDEX votes_ballots_named ON votes_ballots (vote_id, unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE votes_paper_counts (
  vote_id        INTEGER NOT NULL REFERENCES votes (id),
  clerk          INTEGER NOT NULL CHECK (clerk > 0),
  ballots        INTEGER NOT NULL CHECK (ballots >= 0),
  blank          INTEGER NOT NULL CHECK (blank >= 0 AND blank <= ballots),
  counts         TEXT NOT NULL CHECK (length(counts) BETWEEN 2 AND 1000),
  entered_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (vote_id, clerk)
);

CREATE TRIGGER votes_electorate_kept BEFORE UPDATE ON votes_electorate
BEGIN
  SELECT RAISE(ABORT, 'a frozen electorate never changes');
END;
CREATE TRIGGER votes_electorate_no_delete BEFORE DELETE ON votes_electorate
BEGIN
  SELECT RAISE(ABORT, 'a frozen electorate never changes');
END;
CREATE TRIGGER votes_participation_kept BEFORE UPDATE ON votes_participation
BEGIN
  SELECT RAISE(ABORT, 'participation is never changed');
END;
CREATE TRIGGER votes_participation_no_delete BEFORE DELETE ON votes_participation
BEGIN
  SELECT RAISE(ABORT, 'participation is never changed');
END;
CREATE TRIGGER votes_ballots_kept BEFORE UPDATE ON votes_ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never changed');
END;
CREATE TRIGGER votes_ballots_no_delete BEFORE DELETE ON votes_ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never changed');
END;
CREATE TRIGGER votes_paper_counts_while_open BEFORE UPDATE ON votes_paper_counts
WHEN (SELECT state FROM votes WHERE id = OLD.vote_id) IS NOT 'open' OR NEW.vote_id IS NOT OLD.vote_id
  OR NEW.clerk IS NOT OLD.clerk
BEGIN
  SELECT RAISE(ABORT, 'a clerk changes only their own count, and only while the vote is open');
END;
CREATE TRIGGER votes_paper_counts_no_delete BEFORE DELETE ON votes_paper_counts
BEGIN
  SELECT RAISE(ABORT, 'paper counts are kept');
END;
)sql";

constexpr std::string_view kCreatePostgres = R"sql(
CREATE TABLE votes (
  id                BIGINT NOT NULL PRIMARY KEY,
  village_code      TEXT COLLATE "C" NOT NULL CHECK (village_code ~ '^[0-9]{12}$'),
  question          TEXT NOT NULL CHECK (length(question) BETWEEN 2 AND 500),
  options           TEXT NOT NULL CHECK (length(options) BETWEEN 3 AND 8000),
  method            TEXT COLLATE "C" NOT NULL CHECK (method IN ('single', 'approval', 'ranked')),
  electorate_rule   TEXT COLLATE "C" NOT NULL CHECK (electorate_rule IN ('residents-18+', 'households')),
  secret            SMALLINT NOT NULL CHECK (secret IN (0, 1)),
  channel           TEXT COLLATE "C" NOT NULL CHECK (channel IN ('online', 'paper')),
  opens_at_ms       BIGINT NOT NULL,
  closes_at_ms      BIGINT NOT NULL,
  state             TEXT COLLATE "C" NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
  drafted_by        BIGINT NOT NULL CHECK (drafted_by > 0),
  drafted_at_ms     BIGINT NOT NULL,
  opened_by         BIGINT,
  opened_at_ms      BIGINT,
  electorate_as_of  TEXT COLLATE "C",
  electorate_size   BIGINT CHECK (electorate_size IS NULL OR electorate_size > 0),
  rules_entry       BYTEA CHECK (rules_entry IS NULL OR length(rules_entry) BETWEEN 1 AND 65535),
  rules_log_index   BIGINT UNIQUE CHECK (rules_log_index IS NULL OR rules_log_index >= 0),
  closed_by         BIGINT,
  closed_at_ms      BIGINT,
  tally_entry       BYTEA CHECK (tally_entry IS NULL OR length(tally_entry) BETWEEN 1 AND 65535),
  tally_log_index   BIGINT UNIQUE CHECK (tally_log_index IS NULL OR tally_log_index >= 0),
  CHECK (closes_at_ms > opens_at_ms),
  CHECK ((state <> 'draft') = (opened_by IS NOT NULL) AND (state <> 'draft') = (opened_at_ms IS NOT NULL)
         AND (state <> 'draft') = (electorate_as_of IS NOT NULL) AND (state <> 'draft') = (electorate_size IS NOT NULL)
         AND (state <> 'draft') = (rules_entry IS NOT NULL) AND (state <> 'draft') = (rules_log_index IS NOT NULL)),
  CHECK ((state = 'closed') = (closed_by IS NOT NULL) AND (state = 'closed') = (closed_at_ms IS NOT NULL)
         AND (state = 'closed') = (tally_entry IS NOT NULL) AND (state = 'closed') = (tally_log_index IS NOT NULL)),
  CHECK (opened_by IS NULL OR opened_by <> drafted_by)
);
CREATE INDEX votes_by_village ON votes (village_code, state, id);

CREATE FUNCTION votes_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state <> 'draft' THEN
      RAISE EXCEPTION 'opened votes are kept' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.id, NEW.village_code, NEW.question, NEW.options, NEW.method, NEW.electorate_rule, NEW.secret, NEW.channel,
      NEW.opens_at_ms, NEW.closes_at_ms, NEW.drafted_by, NEW.drafted_at_ms)
     IS DISTINCT FROM
     (OLD.id, OLD.village_code, OLD.question, OLD.options, OLD.method, OLD.electorate_rule, OLD.secret, OLD.channel,
      OLD.opens_at_ms, OLD.closes_at_ms, OLD.drafted_by, OLD.drafted_at_ms)
     OR OLD.state = 'closed'
     OR (OLD.state = 'draft' AND NEW.state IS DISTINCT FROM 'open')
     OR (OLD.state = 'open' AND (NEW.state IS DISTINCT FROM 'closed'
         OR (NEW.opened_by, NEW.opened_at_ms, NEW.electorate_as_of, NEW.electorate_size, NEW.rules_entry, NEW.rules_log_index)
            IS DISTINCT FROM
            (OLD.opened_by, OLD.opened_at_ms, OLD.electorate_as_of, OLD.electorate_size, OLD.rules_entry, OLD.rules_log_index))) THEN
    RAISE EXCEPTION 'the rules of a vote never change; a vote only opens once and closes once'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER votes_rules_frozen BEFORE UPDATE OR DELETE ON votes FOR EACH ROW EXECUTE FUNCTION votes_guard();

CREATE TABLE votes_electorate (
  vote_id      BIGINT NOT NULL REFERENCES votes (id),
  resident_id  BIGINT NOT NULL CHECK (resident_id > 0),
  unit_id      BIGINT NOT NULL CHECK (unit_id > 0),
  PRIMARY KEY (vote_id, resident_id)
);

CREATE TABLE votes_participation (
  vote_id      BIGINT NOT NULL REFERENCES votes (id),
  unit_id      BIGINT NOT NULL CHECK (unit_id > 0),
  cast_by      BIGINT NOT NULL CHECK (cast_by > 0),
  consent_id   BIGINT NOT NULL DEFAULT 0,
  cast_at_ms   BIGINT NOT NULL,
  PRIMARY KEY (vote_id, unit_id)
);

-- PostgreSQL keeps heap rows roughly in insertion order (ctid); see README.md, "Threat model".
CREATE TABLE votes_ballots (
  vote_id      BIGINT NOT NULL REFERENCES votes (id),
  ballot_id    TEXT COLLATE "C" NOT NULL CHECK (ballot_id ~ '^[0-9a-f]{32}$'),
  choice       TEXT COLLATE "C" NOT NULL CHECK (length(choice) BETWEEN 3 AND 200),
  unit_id      BIGINT,
  cast_at_ms   BIGINT,
  PRIMARY KEY (vote_id, ballot_id),
  CHECK ((unit_id IS NULL) = (cast_at_ms IS NULL))
);
CREATE UNIQUE INDEX votes_ballots_named ON votes_ballots (vote_id, unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE votes_paper_counts (
  vote_id        BIGINT NOT NULL REFERENCES votes (id),
  clerk          BIGINT NOT NULL CHECK (clerk > 0),
  ballots        BIGINT NOT NULL CHECK (ballots >= 0),
  blank          BIGINT NOT NULL CHECK (blank >= 0 AND blank <= ballots),
  counts         TEXT COLLATE "C" NOT NULL CHECK (length(counts) BETWEEN 2 AND 1000),
  entered_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (vote_id, clerk)
);

CREATE FUNCTION votes_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% rows are never changed', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER votes_electorate_kept BEFORE UPDATE OR DELETE ON votes_electorate
  FOR EACH ROW EXECUTE FUNCTION votes_append_only();
CREATE TRIGGER votes_participation_kept BEFORE UPDATE OR DELETE ON votes_participation
  FOR EACH ROW EXECUTE FUNCTION votes_append_only();
CREATE TRIGGER votes_ballots_kept BEFORE UPDATE OR DELETE ON votes_ballots
  FOR EACH ROW EXECUTE FUNCTION votes_append_only();

CREATE FUNCTION votes_paper_counts_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' OR (SELECT state FROM votes WHERE id = OLD.vote_id) IS DISTINCT FROM 'open'
     OR (NEW.vote_id, NEW.clerk) IS DISTINCT FROM (OLD.vote_id, OLD.clerk) THEN
    RAISE EXCEPTION 'a clerk changes only their own count, and only while the vote is open'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER votes_paper_counts_while_open BEFORE UPDATE OR DELETE ON votes_paper_counts
  FOR EACH ROW EXECUTE FUNCTION votes_paper_counts_guard();
)sql";


// Participatory budgeting. The `votes.method` CHECK of votes/1 names three methods and SQLite
// cannot change a CHECK without rebuilding the table (and every table referencing it); so a budget
// vote's row says 'approval' -- its ballots ARE approval sets -- and its row in `votes_budget`
// (written in the same transaction as the draft, never changed) makes it a budget vote.
constexpr std::string_view kBudgetSqlite = R"sql(
CREATE TABLE votes_budget_rounds (
  id             INTEGER NOT NULL PRIMARY KEY,
  village_code   TEXT NOT NULL CHECK (length(village_code) = 12 AND village_code NOT GLOB '*[^0-9]*'),
  title          TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 100),
  budget         INTEGER NOT NULL CHECK (budget BETWEEN 1 AND 10000000000),
  rule           TEXT NOT NULL CHECK (rule IN ('greedy', 'mes')),
  created_by     INTEGER NOT NULL CHECK (created_by > 0),
  created_at_ms  INTEGER NOT NULL
);
CREATE INDEX votes_budget_rounds_by_village ON votes_budget_rounds (village_code, id);
CREATE TRIGGER votes_budget_rounds_kept BEFORE UPDATE ON votes_budget_rounds
BEGIN
  SELECT RAISE(ABORT, 'a budget round never changes');
END;
CREATE TRIGGER votes_budget_rounds_no_delete BEFORE DELETE ON votes_budget_rounds
BEGIN
  SELECT RAISE(ABORT, 'a budget round never changes');
END;

CREATE TABLE votes_budget_projects (
  id              INTEGER NOT NULL PRIMARY KEY,
  round_id        INTEGER NOT NULL REFERENCES votes_budget_rounds (id),
  title           TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 60),
  description     TEXT NOT NULL CHECK (length(description) <= 2000),
  cost            INTEGER NOT NULL CHECK (cost >= 1),
  state           TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'rejected')),
  proposed_by     INTEGER NOT NULL CHECK (proposed_by > 0),
  recorded_by     INTEGER NOT NULL CHECK (recorded_by > 0),
  consent_id      INTEGER NOT NULL DEFAULT 0,
  proposed_at_ms  INTEGER NOT NULL,
  review_reason   TEXT NOT NULL DEFAULT '' CHECK (length(review_reason) <= 500),
  reviewed_by     INTEGER,
  reviewed_at_ms  INTEGER,
  CHECK ((state = 'proposed') = (reviewed_by IS NULL) AND (reviewed_by IS NULL) = (reviewed_at_ms IS NULL)),
  CHECK (state <> 'rejected' OR length(review_reason) >= 2)
);
CREATE INDEX votes_budget_projects_by_round ON votes_budget_projects (round_id, id);
CREATE TRIGGER votes_budget_projects_reviewed_once BEFORE UPDATE ON votes_budget_projects
WHEN OLD.state <> 'proposed' OR NEW.id IS NOT OLD.id OR NEW.round_id IS NOT OLD.round_id
  OR NEW.title IS NOT OLD.title OR NEW.description IS NOT OLD.description OR NEW.cost IS NOT OLD.cost
  OR NEW.proposed_by IS NOT OLD.proposed_by OR NEW.recorded_by IS NOT OLD.recorded_by
  OR NEW.consent_id IS NOT OLD.consent_id OR NEW.proposed_at_ms IS NOT OLD.proposed_at_ms
BEGIN
  SELECT RAISE(ABORT, 'a project is reviewed once; what was proposed never changes');
END;
CREATE TRIGGER votes_budget_projects_no_delete BEFORE DELETE ON votes_budget_projects
BEGIN
  SELECT RAISE(ABORT, 'proposed projects are kept');
END;

CREATE TABLE votes_budget (
  vote_id         INTEGER NOT NULL PRIMARY KEY REFERENCES votes (id),
  round_id        INTEGER UNIQUE REFERENCES votes_budget_rounds (id),
  budget          INTEGER NOT NULL CHECK (budget BETWEEN 1 AND 10000000000),
  rule            TEXT NOT NULL CHECK (rule IN ('greedy', 'mes')),
  costs           TEXT NOT NULL CHECK (length(costs) BETWEEN 3 AND 1000),
  round_projects  TEXT NOT NULL CHECK (length(round_projects) BETWEEN 2 AND 1000)
);
CREATE TRIGGER votes_budget_kept BEFORE UPDATE ON votes_budget
BEGIN
  SELECT RAISE(ABORT, 'the rules of a vote never change');
END;
CREATE TRIGGER votes_budget_no_delete BEFORE DELETE ON votes_budget
WHEN (SELECT state FROM votes WHERE id = OLD.vote_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'the rules of a vote never change');
END;
)sql";

constexpr std::string_view kBudgetPostgres = R"sql(
CREATE TABLE votes_budget_rounds (
  id             BIGINT NOT NULL PRIMARY KEY,
  village_code   TEXT COLLATE "C" NOT NULL CHECK (village_code ~ '^[0-9]{12}$'),
  title          TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 100),
  budget         BIGINT NOT NULL CHECK (budget BETWEEN 1 AND 10000000000),
  rule           TEXT COLLATE "C" NOT NULL CHECK (rule IN ('greedy', 'mes')),
  created_by     BIGINT NOT NULL CHECK (created_by > 0),
  created_at_ms  BIGINT NOT NULL
);
CREATE INDEX votes_budget_rounds_by_village ON votes_budget_rounds (village_code, id);
CREATE TRIGGER votes_budget_rounds_kept BEFORE UPDATE OR DELETE ON votes_budget_rounds
  FOR EACH ROW EXECUTE FUNCTION votes_append_only();

CREATE TABLE votes_budget_projects (
  id              BIGINT NOT NULL PRIMARY KEY,
  round_id        BIGINT NOT NULL REFERENCES votes_budget_rounds (id),
  title           TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 60),
  description     TEXT NOT NULL CHECK (length(description) <= 2000),
  cost            BIGINT NOT NULL CHECK (cost >= 1),
  state           TEXT COLLATE "C" NOT NULL CHECK (state IN ('proposed', 'accepted', 'rejected')),
  proposed_by     BIGINT NOT NULL CHECK (proposed_by > 0),
  recorded_by     BIGINT NOT NULL CHECK (recorded_by > 0),
  consent_id      BIGINT NOT NULL DEFAULT 0,
  proposed_at_ms  BIGINT NOT NULL,
  review_reason   TEXT NOT NULL DEFAULT '' CHECK (length(review_reason) <= 500),
  reviewed_by     BIGINT,
  reviewed_at_ms  BIGINT,
  CHECK ((state = 'proposed') = (reviewed_by IS NULL) AND (reviewed_by IS NULL) = (reviewed_at_ms IS NULL)),
  CHECK (state <> 'rejected' OR length(review_reason) >= 2)
);
CREATE INDEX votes_budget_projects_by_round ON votes_budget_projects (round_id, id);
CREATE FUNCTION votes_budget_projects_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.state <> 'proposed'
     OR (NEW.id, NEW.round_id, NEW.title, NEW.description, NEW.cost, NEW.proposed_by, NEW.recorded_by,
         NEW.consent_id, NEW.proposed_at_ms)
        IS DISTINCT FROM (OLD.id, OLD.round_id, OLD.title, OLD.description, OLD.cost, OLD.proposed_by,
                          OLD.recorded_by, OLD.consent_id, OLD.proposed_at_ms) THEN
    RAISE EXCEPTION 'a project is reviewed once; what was proposed never changes'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER votes_budget_projects_reviewed_once BEFORE UPDATE OR DELETE ON votes_budget_projects
  FOR EACH ROW EXECUTE FUNCTION votes_budget_projects_guard();

CREATE TABLE votes_budget (
  vote_id         BIGINT NOT NULL PRIMARY KEY REFERENCES votes (id),
  round_id        BIGINT UNIQUE REFERENCES votes_budget_rounds (id),
  budget          BIGINT NOT NULL CHECK (budget BETWEEN 1 AND 10000000000),
  rule            TEXT COLLATE "C" NOT NULL CHECK (rule IN ('greedy', 'mes')),
  costs           TEXT COLLATE "C" NOT NULL CHECK (length(costs) BETWEEN 3 AND 1000),
  round_projects  TEXT COLLATE "C" NOT NULL CHECK (length(round_projects) BETWEEN 2 AND 1000)
);
CREATE FUNCTION votes_budget_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' OR (SELECT state FROM votes WHERE id = OLD.vote_id) IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'the rules of a vote never change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER votes_budget_kept BEFORE UPDATE OR DELETE ON votes_budget
  FOR EACH ROW EXECUTE FUNCTION votes_budget_guard();
)sql";


// Township-wide budget rounds, and the county code on the large tables (issue #8's sharding
// rule: a distributed PostgreSQL takes them by county; a vote -- also a township's -- never spans
// two counties, so one vote's rows stay on one shard).
//   votes_budget_rounds: `scope` (village | township), checked against the division code: a
//     village round carries a village code, a township round a township code (VVV = 000).
//     votes.village_code likewise holds the township code of a township-wide budget vote.
//   votes_electorate, votes_participation, votes_ballots: `county_code`, the first six digits of
//     the vote's division, filled for the rows already there and checked on every insert. A
//     township's electorate is tens of thousands of rows per vote: these are the large tables.
// SQLite rebuilds the three tables (a NOT NULL column cannot be added to filled ones); PostgreSQL
// adds the column, fills it with the append-only triggers disabled, then makes it NOT NULL.
constexpr std::string_view kTownshipSqlite = R"sql(
ALTER TABLE votes_budget_rounds ADD COLUMN scope TEXT NOT NULL DEFAULT 'village'
  CHECK (scope IN ('village', 'township') AND substr(village_code, 7, 3) <> '000'
         AND (scope = 'township') = (substr(village_code, 10, 3) = '000'));

-- SQLite adds no NOT NULL column without a default to a filled table: the three tables are
-- rebuilt (nothing references them), their rows copied with the county of their vote, and
-- their indexes and append-only triggers created again as votes/1 made them.
CREATE TABLE votes_electorate_3 (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  resident_id  INTEGER NOT NULL CHECK (resident_id > 0),
  unit_id      INTEGER NOT NULL CHECK (unit_id > 0),
  county_code  TEXT NOT NULL CHECK (length(county_code) = 6 AND county_code NOT GLOB '*[^0-9]*'),
  PRIMARY KEY (vote_id, resident_id)
) WITHOUT ROWID;
INSERT INTO votes_electorate_3 (vote_id, resident_id, unit_id, county_code)
  SELECT e.vote_id, e.resident_id, e.unit_id, substr(v.village_code, 1, 6) FROM votes_electorate e JOIN votes v ON v.id = e.vote_id;
DROP TABLE votes_electorate;
ALTER TABLE votes_electorate_3 RENAME TO votes_electorate;

CREATE TABLE votes_participation_3 (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  unit_id      INTEGER NOT NULL CHECK (unit_id > 0),
  cast_by      INTEGER NOT NULL CHECK (cast_by > 0),
  consent_id   INTEGER NOT NULL DEFAULT 0,
  cast_at_ms   INTEGER NOT NULL,
  county_code  TEXT NOT NULL CHECK (length(county_code) = 6 AND county_code NOT GLOB '*[^0-9]*'),
  PRIMARY KEY (vote_id, unit_id)
) WITHOUT ROWID;
INSERT INTO votes_participation_3 (vote_id, unit_id, cast_by, consent_id, cast_at_ms, county_code)
  SELECT p.vote_id, p.unit_id, p.cast_by, p.consent_id, p.cast_at_ms, substr(v.village_code, 1, 6)
  FROM votes_participation p JOIN votes v ON v.id = p.vote_id;
DROP TABLE votes_participation;
ALTER TABLE votes_participation_3 RENAME TO votes_participation;

-- Rows are copied in the order of their key (vote, random ballot id): as before, nothing of the
-- insertion order survives (README.md, "Threat model").
CREATE TABLE votes_ballots_3 (
  vote_id      INTEGER NOT NULL REFERENCES votes (id),
  ballot_id    TEXT NOT NULL CHECK (length(ballot_id) = 32 AND ballot_id NOT GLOB '*[^0-9a-f]*'),
  choice       TEXT NOT NULL CHECK (length(choice) BETWEEN 3 AND 200),
  unit_id      INTEGER,
  cast_at_ms   INTEGER,
  county_code  TEXT NOT NULL CHECK (length(county_code) = 6 AND county_code NOT GLOB '*[^0-9]*'),
  PRIMARY KEY (vote_id, ballot_id),
  CHECK ((unit_id IS NULL) = (cast_at_ms IS NULL))
) WITHOUT ROWID;
INSERT INTO votes_ballots_3 (vote_id, ballot_id, choice, unit_id, cast_at_ms, county_code)
  SELECT b.vote_id, b.ballot_id, b.choice, b.unit_id, b.cast_at_ms, substr(v.village_code, 1, 6)
  FROM votes_ballots b JOIN votes v ON v.id = b.vote_id ORDER BY b.vote_id, b.ballot_id;
DROP TABLE votes_ballots;
ALTER TABLE votes_ballots_3 RENAME TO votes_ballots;
CREATE UNIQUE INDEX votes_ballots_named ON votes_ballots (vote_id, unit_id) WHERE unit_id IS NOT NULL;

CREATE TRIGGER votes_electorate_kept BEFORE UPDATE ON votes_electorate
BEGIN
  SELECT RAISE(ABORT, 'a frozen electorate never changes');
END;
CREATE TRIGGER votes_electorate_no_delete BEFORE DELETE ON votes_electorate
BEGIN
  SELECT RAISE(ABORT, 'a frozen electorate never changes');
END;
CREATE TRIGGER votes_participation_kept BEFORE UPDATE ON votes_participation
BEGIN
  SELECT RAISE(ABORT, 'participation is never changed');
END;
CREATE TRIGGER votes_participation_no_delete BEFORE DELETE ON votes_participation
BEGIN
  SELECT RAISE(ABORT, 'participation is never changed');
END;
CREATE TRIGGER votes_ballots_kept BEFORE UPDATE ON votes_ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never changed');
END;
CREATE TRIGGER votes_ballots_no_delete BEFORE DELETE ON votes_ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never changed');
END;

-- The county of the vote's division on every new row.
CREATE TRIGGER votes_electorate_county BEFORE INSERT ON votes_electorate
WHEN NEW.county_code IS NOT (SELECT substr(village_code, 1, 6) FROM votes WHERE id = NEW.vote_id)
BEGIN
  SELECT RAISE(ABORT, 'county_code must be the county of the vote');
END;
CREATE TRIGGER votes_participation_county BEFORE INSERT ON votes_participation
WHEN NEW.county_code IS NOT (SELECT substr(village_code, 1, 6) FROM votes WHERE id = NEW.vote_id)
BEGIN
  SELECT RAISE(ABORT, 'county_code must be the county of the vote');
END;
CREATE TRIGGER votes_ballots_county BEFORE INSERT ON votes_ballots
WHEN NEW.county_code IS NOT (SELECT substr(village_code, 1, 6) FROM votes WHERE id = NEW.vote_id)
BEGIN
  SELECT RAISE(ABORT, 'county_code must be the county of the vote');
END;
)sql";

constexpr std::string_view kTownshipPostgres = R"sql(
ALTER TABLE votes_budget_rounds ADD COLUMN scope TEXT COLLATE "C" NOT NULL DEFAULT 'village'
  CHECK (scope IN ('village', 'township'));
ALTER TABLE votes_budget_rounds ADD CONSTRAINT votes_budget_rounds_scope_code
  CHECK (substr(village_code, 7, 3) <> '000' AND (scope = 'township') = (substr(village_code, 10, 3) = '000'));

ALTER TABLE votes_electorate ADD COLUMN county_code TEXT COLLATE "C";
ALTER TABLE votes_participation ADD COLUMN county_code TEXT COLLATE "C";
ALTER TABLE votes_ballots ADD COLUMN county_code TEXT COLLATE "C";
ALTER TABLE votes_electorate DISABLE TRIGGER votes_electorate_kept;
ALTER TABLE votes_participation DISABLE TRIGGER votes_participation_kept;
ALTER TABLE votes_ballots DISABLE TRIGGER votes_ballots_kept;
UPDATE votes_electorate e SET county_code = substr(v.village_code, 1, 6) FROM votes v WHERE v.id = e.vote_id;
UPDATE votes_participation p SET county_code = substr(v.village_code, 1, 6) FROM votes v WHERE v.id = p.vote_id;
UPDATE votes_ballots b SET county_code = substr(v.village_code, 1, 6) FROM votes v WHERE v.id = b.vote_id;
ALTER TABLE votes_electorate ENABLE TRIGGER votes_electorate_kept;
ALTER TABLE votes_participation ENABLE TRIGGER votes_participation_kept;
ALTER TABLE votes_ballots ENABLE TRIGGER votes_ballots_kept;
ALTER TABLE votes_electorate ALTER COLUMN county_code SET NOT NULL,
  ADD CONSTRAINT votes_electorate_county CHECK (county_code ~ '^[0-9]{6}$');
ALTER TABLE votes_participation ALTER COLUMN county_code SET NOT NULL,
  ADD CONSTRAINT votes_participation_county CHECK (county_code ~ '^[0-9]{6}$');
ALTER TABLE votes_ballots ALTER COLUMN county_code SET NOT NULL,
  ADD CONSTRAINT votes_ballots_county CHECK (county_code ~ '^[0-9]{6}$');

-- The county of the vote's division (as SQLite's insert triggers check).
CREATE FUNCTION votes_county_of_vote() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.county_code IS DISTINCT FROM (SELECT substr(village_code, 1, 6) FROM votes WHERE id = NEW.vote_id) THEN
    RAISE EXCEPTION 'county_code must be the county of the vote' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER votes_electorate_county BEFORE INSERT ON votes_electorate
  FOR EACH ROW EXECUTE FUNCTION votes_county_of_vote();
CREATE TRIGGER votes_participation_county BEFORE INSERT ON votes_participation
  FOR EACH ROW EXECUTE FUNCTION votes_county_of_vote();
CREATE TRIGGER votes_ballots_county BEFORE INSERT ON votes_ballots
  FOR EACH ROW EXECUTE FUNCTION votes_county_of_vote();
)sql";

}  // namespace

const std::vector<storage::Migration>& VoteMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {"votes", 1, "create_votes", kCreateSqlite, kCreatePostgres},
      {"votes", 2, "budget_rounds", kBudgetSqlite, kBudgetPostgres},
      {"votes", 3, "township_rounds", kTownshipSqlite, kTownshipPostgres},
  };
  return migrations;
}

}  // namespace gz::votes
