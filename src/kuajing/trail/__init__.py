"""The audit trail: who did what in an organisation (user and role changes, API tokens, ledger
batches, list editions and the company's own lists, reviews and inspections), each entry naming
the acting user, API token or the operator at the command line, and chained with a MAC keyed by
the installation secret, so that an entry altered, removed or reordered is detected."""
