-- The after-capture jobs, one per Dintero transaction, and their history.
CREATE TABLE jobs (
    transaction_id TEXT PRIMARY KEY NOT NULL,
    state          TEXT NOT NULL,
    failed_step    TEXT,
    attempts       BIGINT NOT NULL DEFAULT 0,
    capture_intent BIGINT,
    captured       BIGINT NOT NULL DEFAULT 0,
    invoice_number TEXT,
    buyer_email    TEXT,
    locale         TEXT,
    email_sent     BIGINT NOT NULL DEFAULT 0,
    webhook_sent   BIGINT NOT NULL DEFAULT 0,
    void_requested BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    report         TEXT,
    next_run_at    BIGINT NOT NULL,
    lease_owner    TEXT,
    lease_until    BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, next_run_at);
CREATE TABLE job_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL,
    at             BIGINT NOT NULL,
    step           TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX job_history_transaction ON job_history (transaction_id, id);
