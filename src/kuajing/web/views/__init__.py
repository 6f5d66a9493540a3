"""The pages' view-models: what one page family shows, shaped from the services' answers (which
the CLI, the API and the pages share). Only the web's routes, and the CLI for the audit trail's
words, import them; `services/` never does (tests/unit/test_layout.py)."""
