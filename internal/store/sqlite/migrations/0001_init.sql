-- Findings, their history and evidence; units, jurisdictions, officers, activities and runs.
-- Times are INTEGER microseconds since the Unix epoch (UTC); days are TEXT 'YYYY-MM-DD' in
-- Asia/Shanghai; structured values are JSON TEXT.

CREATE TABLE jurisdictions (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    parent TEXT NOT NULL DEFAULT ''
);
INSERT INTO jurisdictions (code, name, parent) VALUES
    ('341500', '六安市', '340000'),
    ('341502', '金安区', '341500'),
    ('341503', '裕安区', '341500'),
    ('341504', '叶集区', '341500'),
    ('341522', '霍邱县', '341500'),
    ('341523', '舒城县', '341500'),
    ('341524', '金寨县', '341500'),
    ('341525', '霍山县', '341500');

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    jurisdiction  TEXT NOT NULL DEFAULT '',
    slack_channel TEXT NOT NULL DEFAULT '',
    created       INTEGER NOT NULL
);

CREATE TABLE officers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    organization   TEXT NOT NULL DEFAULT '',
    term_start     TEXT NOT NULL,
    term_end       TEXT NOT NULL,
    review_on      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dismissed')),
    dismissed_at   INTEGER,
    dismiss_reason TEXT NOT NULL DEFAULT '',
    created        INTEGER NOT NULL
);
CREATE INDEX officers_name ON officers (name);

CREATE TABLE activities (
    id      INTEGER PRIMARY KEY,
    day     TEXT NOT NULL,
    mode    TEXT NOT NULL CHECK (mode IN ('group', 'individual')),
    form    TEXT NOT NULL CHECK (form IN ('online', 'offline', 'survey')),
    title   TEXT NOT NULL DEFAULT '',
    note    TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL
);
CREATE INDEX activities_day ON activities (day);

CREATE TABLE activity_officers (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (activity_id, officer_id)
);
CREATE INDEX activity_officers_officer ON activity_officers (officer_id);

CREATE TABLE runs (
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('sweep', 'scenario', 'verify')),
    site     TEXT NOT NULL DEFAULT '',
    channels TEXT NOT NULL DEFAULT '[]',
    status   TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started  INTEGER NOT NULL,
    finished INTEGER,
    total    INTEGER NOT NULL DEFAULT 0,
    done     INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    errors   TEXT NOT NULL DEFAULT '[]',
    workers  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_started ON runs (started);

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('problem', 'praise')),
    status        TEXT NOT NULL CHECK (status IN ('found', 'fed_back', 'handled', 'verified', 'dismissed')),
    rule          TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL,
    source        TEXT NOT NULL,
    item_code     TEXT NOT NULL DEFAULT '',
    item_name     TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    unit_id       INTEGER REFERENCES units (id),
    jurisdiction  TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    fingerprint   TEXT NOT NULL DEFAULT '',
    scenario      TEXT NOT NULL DEFAULT '',
    run_id        TEXT NOT NULL DEFAULT '',
    measured      TEXT,
    recurrence_of INTEGER REFERENCES findings (id),
    officer_id    INTEGER REFERENCES officers (id),
    activity_id   INTEGER REFERENCES activities (id),
    deadline      INTEGER,
    deadline_note TEXT NOT NULL DEFAULT '',
    occurrences   INTEGER NOT NULL DEFAULT 1,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);
-- At most one open finding per fingerprint: the dedupe key of ingest.
CREATE UNIQUE INDEX findings_open_fingerprint ON findings (fingerprint)
    WHERE fingerprint <> '' AND status IN ('found', 'fed_back', 'handled');
-- The closed findings of a fingerprint, for recurrence (回潮) and dismissed defects.
CREATE INDEX findings_closed_fingerprint ON findings (fingerprint, id)
    WHERE fingerprint <> '' AND status IN ('verified', 'dismissed');
-- A unit's inbox: its open problems, nearest deadline first, those without one last.
CREATE INDEX findings_inbox ON findings (unit_id, coalesce(deadline, 9223372036854775807), id)
    WHERE kind = 'problem' AND status IN ('found', 'fed_back', 'handled');
-- Overdue scans.
CREATE INDEX findings_fed_back_deadline ON findings (deadline) WHERE status = 'fed_back';
CREATE INDEX findings_status ON findings (status, id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_finding ON events (finding_id, id);

CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    finding_id   INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    event_id     INTEGER REFERENCES events (id),
    run_id       TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created      INTEGER NOT NULL
);
CREATE INDEX evidence_finding ON evidence (finding_id, id);

-- One row per sighting, the busiest table. Only Ingest writes it, in the transaction that
-- creates or updates the finding, so it goes without a foreign key (as in Postgres).
CREATE TABLE sightings (
    run_id     TEXT NOT NULL,
    finding_id INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
);
CREATE INDEX sightings_run ON sightings (run_id, finding_id);
