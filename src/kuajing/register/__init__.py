"""The transfer register: an organisation's recurring data exports (flows), their history, and
the ledger batches recorded against them."""
