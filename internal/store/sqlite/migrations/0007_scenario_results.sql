-- The step results of scenario runs, screenshots included: the step reports of the web pages.
CREATE TABLE scenario_results (
	id           INTEGER PRIMARY KEY,
	run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	scenario     TEXT NOT NULL,
	title        TEXT NOT NULL DEFAULT '',
	channel      TEXT NOT NULL CHECK (channel IN ('pc', 'h5')),
	site         TEXT NOT NULL DEFAULT '',
	base_url     TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL CHECK (status IN ('running', 'passed', 'failed')),
	started      INTEGER NOT NULL, -- unix microseconds
	duration_ms  INTEGER NOT NULL DEFAULT 0,
	error        TEXT NOT NULL DEFAULT '',
	browser_died INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scenario_results_run ON scenario_results (run_id, id);
CREATE INDEX scenario_results_latest ON scenario_results (scenario, channel, id);

CREATE TABLE scenario_steps (
	result_id       INTEGER NOT NULL REFERENCES scenario_results (id) ON DELETE CASCADE,
	idx             INTEGER NOT NULL,
	line            INTEGER NOT NULL DEFAULT 0,
	kind            TEXT NOT NULL DEFAULT '',
	description     TEXT NOT NULL DEFAULT '',
	passed          INTEGER NOT NULL,
	duration_ms     INTEGER NOT NULL DEFAULT 0,
	url             TEXT NOT NULL DEFAULT '',
	error           TEXT NOT NULL DEFAULT '',
	dom_excerpt     TEXT NOT NULL DEFAULT '',
	console_errors  TEXT NOT NULL DEFAULT '[]',
	failed_requests TEXT NOT NULL DEFAULT '[]',
	screenshot      BLOB,
	PRIMARY KEY (result_id, idx)
);
