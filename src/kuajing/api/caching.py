"""Tenant data is never kept by a browser or a shared cache: every `/v1/` response says
`Cache-Control: no-store` unless the route set its own. Pure ASGI, so the JSON hot path pays
one header and no extra task."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_HEADER = (b"cache-control", b"no-store")


class NoStore:
    def __init__(self, app: ASGIApp, prefix: str = "/v1/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == _HEADER[0] for name, _ in headers):
                    headers.append(_HEADER)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
