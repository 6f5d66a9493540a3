"""The export ledger: distinct persons exported, per processor, year, counter and scope."""
