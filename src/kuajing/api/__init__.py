"""The REST API (FastAPI): `create_app` builds it; `kuajing serve` runs it with uvicorn."""
