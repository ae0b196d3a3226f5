-- The invoice archive: every issued invoice, its exact bytes and their hash.
-- Rows are never updated in their content and never deleted by the service.
CREATE TABLE invoices (
    invoice_number TEXT PRIMARY KEY NOT NULL,
    transaction_id TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    pdf            BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'issued'
);
CREATE INDEX invoices_transaction_id ON invoices (transaction_id);
