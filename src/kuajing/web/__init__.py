"""The web application: server-rendered pages (Jinja2) over the same services as the API,
signed in with a session cookie, every form protected against cross-site requests, and every
asset served from `static/` (no CDN)."""
