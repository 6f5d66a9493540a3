"""The API's OpenAPI document, for the tests that check the API against it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from kuajing.api.app import create_app


def document() -> dict[str, Any]:
    """The OpenAPI document, from an app over a throwaway database (it needs no data)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{folder}/doc.db", key_file=Path(folder) / "ledger.key")
        try:
            return app.openapi()
        finally:
            app.state.accounts.close()
            app.state.ledger.close()
