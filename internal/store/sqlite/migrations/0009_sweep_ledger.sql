-- The bookkeeping of sweeps that run as jobs (finding.SweepLedger), once created by the job
-- queue itself: IF NOT EXISTS keeps databases where it already did.
CREATE TABLE IF NOT EXISTS tiyan_sweep_probe (
	run_id      text    NOT NULL,
	item_code   text    NOT NULL,
	channel     text    NOT NULL,
	worker      text    NOT NULL,
	findings    integer NOT NULL,
	reachable   integer NOT NULL,
	duration_ms bigint  NOT NULL,
	errors      text    NOT NULL,
	result      text    NOT NULL,
	PRIMARY KEY (run_id, item_code, channel)
);
CREATE TABLE IF NOT EXISTS tiyan_sweep_compare (
	run_id    text    NOT NULL,
	item_code text    NOT NULL,
	job_id    bigint  NOT NULL,
	findings  integer NOT NULL,
	PRIMARY KEY (run_id, item_code)
);
CREATE TABLE IF NOT EXISTS tiyan_sweep_hold (
	run_id text   NOT NULL PRIMARY KEY,
	holder text   NOT NULL,
	beat   bigint NOT NULL
);
