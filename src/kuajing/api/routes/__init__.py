"""The API's routers, one module a resource."""
