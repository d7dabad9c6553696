-- Users of the web UI and the API, their sessions and API tokens; and the indexes that keep the
-- scoped findings lists (by jurisdiction, unit or officer, nearest deadline first) fast at a
-- million findings.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'unit', 'officer')),
    unit_id       INTEGER REFERENCES units (id),
    jurisdiction  TEXT NOT NULL DEFAULT '',
    officer_id    INTEGER REFERENCES officers (id),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);

-- Only the SHA-256 of a session or API token is kept: a copy of the database opens nothing.
CREATE TABLE tokens (
    hash    TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    created INTEGER NOT NULL,
    expires INTEGER -- NULL: until revoked
);
CREATE INDEX tokens_user ON tokens (user_id, kind);
CREATE INDEX tokens_expires ON tokens (expires) WHERE expires IS NOT NULL;

-- Every list of the web UI is ordered by deadline, those without one last (as findings_inbox):
-- all findings, a status tab, a unit's findings.
CREATE INDEX findings_deadline_order ON findings (coalesce(deadline, 9223372036854775807), id);
CREATE INDEX findings_status_deadline ON findings (status, coalesce(deadline, 9223372036854775807), id);
CREATE INDEX findings_unit_deadline ON findings (unit_id, coalesce(deadline, 9223372036854775807), id);
-- Staff see their jurisdiction and the zones below it: a range of codes.
CREATE INDEX findings_zone ON findings (jurisdiction, status);
-- Overdue problems, counted by status and unit and filtered like the rest without a visit to
-- the table: "overdue" depends on the clock, so finding_counts cannot count it.
CREATE INDEX findings_overdue ON findings (deadline, kind, status, category, severity, source, channel, unit_id, jurisdiction, officer_id)
    WHERE kind = 'problem' AND status = 'fed_back';
-- An officer's own reports.
CREATE INDEX findings_officer ON findings (officer_id, id) WHERE officer_id IS NOT NULL;
-- Findings per category over time.
CREATE INDEX findings_first_seen ON findings (first_seen);

-- How many findings there are of each kind, status, category, severity, source, channel, unit
-- and jurisdiction: the inbox's counts per status, which would otherwise count up to a million
-- rows on every page. Triggers keep it in step with findings.
CREATE TABLE finding_counts (
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    category     TEXT NOT NULL,
    severity     TEXT NOT NULL,
    source       TEXT NOT NULL,
    channel      TEXT NOT NULL,
    unit_id      INTEGER NOT NULL, -- 0: no unit yet
    jurisdiction TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (kind, status, category, severity, source, channel, unit_id, jurisdiction)
) WITHOUT ROWID;

CREATE TRIGGER findings_count_insert AFTER INSERT ON findings BEGIN
    INSERT INTO finding_counts (kind, status, category, severity, source, channel, unit_id, jurisdiction, n) VALUES (NEW.kind, NEW.status, NEW.category, NEW.severity, NEW.source, NEW.channel, coalesce(NEW.unit_id, 0), NEW.jurisdiction, 1)
        ON CONFLICT (kind, status, category, severity, source, channel, unit_id, jurisdiction) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER findings_count_delete AFTER DELETE ON findings BEGIN
    UPDATE finding_counts SET n = n - 1 WHERE (kind, status, category, severity, source, channel, unit_id, jurisdiction) = (OLD.kind, OLD.status, OLD.category, OLD.severity, OLD.source, OLD.channel, coalesce(OLD.unit_id, 0), OLD.jurisdiction);
END;

-- An update moves a finding from one key to another only when a counted column changed; the
-- nightly ingest updates last_seen and occurrences and moves nothing.
CREATE TRIGGER findings_count_update AFTER UPDATE OF kind, status, category, severity, source, channel, unit_id, jurisdiction ON findings
WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.severity IS NOT NEW.severity OR OLD.source IS NOT NEW.source OR OLD.channel IS NOT NEW.channel OR OLD.unit_id IS NOT NEW.unit_id OR OLD.jurisdiction IS NOT NEW.jurisdiction
BEGIN
    UPDATE finding_counts SET n = n - 1 WHERE (kind, status, category, severity, source, channel, unit_id, jurisdiction) = (OLD.kind, OLD.status, OLD.category, OLD.severity, OLD.source, OLD.channel, coalesce(OLD.unit_id, 0), OLD.jurisdiction);
    INSERT INTO finding_counts (kind, status, category, severity, source, channel, unit_id, jurisdiction, n) VALUES (NEW.kind, NEW.status, NEW.category, NEW.severity, NEW.source, NEW.channel, coalesce(NEW.unit_id, 0), NEW.jurisdiction, 1)
        ON CONFLICT (kind, status, category, severity, source, channel, unit_id, jurisdiction) DO UPDATE SET n = n + 1;
END;

INSERT INTO finding_counts (kind, status, category, severity, source, channel, unit_id, jurisdiction, n)
SELECT kind, status, category, severity, source, channel, coalesce(unit_id, 0), jurisdiction, count(*)
FROM findings WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
