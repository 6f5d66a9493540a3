"""Accounts of the service: organisations (the tenants), users with roles, API tokens, and the
log of every decision the service made, so that it can be shown and reproduced later."""
