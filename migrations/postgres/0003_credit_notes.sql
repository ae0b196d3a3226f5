-- Issue 14: credit notes for voided invoices, and the UBL e-invoice beside a B2B PDF.
-- The job's credit note: its own number (from credit_series), its delivery.
ALTER TABLE jobs ADD COLUMN credit_number TEXT;
ALTER TABLE jobs ADD COLUMN credit_email_sent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN credit_webhook_sent BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX jobs_credit_number ON jobs (credit_number);
-- How often the job was claimed from a lease that ran out unreleased (its
-- instance died or stalled): visible in the API, counted by the crash test.
ALTER TABLE jobs ADD COLUMN takeovers BIGINT NOT NULL DEFAULT 0;
-- The credit-note number series: one counter per prefix; a number is taken in
-- the same transaction that gives it to a job, so none is skipped or reused.
CREATE TABLE credit_series (
    prefix TEXT PRIMARY KEY NOT NULL,
    next   BIGINT NOT NULL
);
-- Documents archived beside an invoice's PDF (today: the UBL e-invoice of a
-- B2B invoice, kind 'ubl'). Never updated, never deleted by the service.
CREATE TABLE invoice_documents (
    invoice_number TEXT NOT NULL,
    kind           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    content        BYTEA NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (invoice_number, kind)
);
