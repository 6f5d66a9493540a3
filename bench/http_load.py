"""A light HTTP/1.1 load generator for bench/api.py: keep-alive connections on one uvloop,
requests encoded once, answers read with httptools (uvicorn's C parser, already a dependency).

Its own cost per request is a few tens of microseconds, against some hundreds for an httpx
client in a thread: on a 2-core machine the load generator shares the server's cores, so a
heavy one would measure mostly itself.

Two workloads:
  - `closed`: each connection sends its next request as soon as the last is answered;
  - `open`: requests are due at fixed times (`rate` a second) whatever the answers; each is sent
    on the first free connection, so at most `connections` are in flight, and its latency runs
    from when it was due, not when it was sent: a server that falls behind is charged for the
    wait (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

import httptools
import uvloop


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # seconds, of every request
    errors: int = 0
    elapsed: float = 0.0
    first_error: str = ""

    def record(self, began: float, status: int | str) -> None:
        self.latencies.append(time.perf_counter() - began)
        if status != 200:
            self.errors += 1
            self.first_error = self.first_error or str(status)


def request(method: str, path: str, host: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """The bytes of one request, sent as they are for every call."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.answer: asyncio.Future[int | str] | None = None
        self.body = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._settle(f"bad answer: {exc}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self._settle(f"connection lost: {exc!r}")

    def on_message_begin(self) -> None:
        self.body = b""

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        status = self.parser.get_status_code()
        self._settle(200 if status == 200 else f"{status} {self.body[:200]!r}")

    def _settle(self, outcome: int | str) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_result(outcome)

    async def send(self, raw: bytes) -> int | str:
        """200, or what went wrong."""
        if self.transport is None:
            return "not connected"
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.answer


async def _connect(host: str, port: int, count: int) -> list[_Connection]:
    loop = asyncio.get_running_loop()
    made = [await loop.create_connection(_Connection, host, port) for _ in range(count)]
    return [protocol for _, protocol in made]


def _close(connections: list[_Connection]) -> None:
    for c in connections:
        if c.transport is not None:
            c.transport.close()


STALLED_S = 30.0  # past the run's end, with requests still unanswered: the server hangs


async def _within(run: Coroutine[Any, Any, Run], seconds: float) -> Run:
    try:
        return await asyncio.wait_for(run, seconds + STALLED_S)
    except TimeoutError:
        sys.exit(f"the server left requests unanswered for {STALLED_S:.0f} s")


async def _closed(host: str, port: int, raw: bytes, connections: int, seconds: float) -> Run:
    pool = await _connect(host, port, connections)
    for c in pool:  # one answered request each before the clock starts
        await c.send(raw)
    run = Run()
    began = time.perf_counter()
    end = began + seconds

    async def client(c: _Connection) -> None:
        while c.transport is not None and (start := time.perf_counter()) < end:
            run.record(start, await c.send(raw))

    await asyncio.gather(*(client(c) for c in pool))
    run.elapsed = time.perf_counter() - began
    _close(pool)
    return run


async def _open(
    host: str, port: int, raw: bytes, connections: int, rate: float, seconds: float
) -> Run:
    pool = await _connect(host, port, connections)
    for c in pool:
        await c.send(raw)
    free: asyncio.Queue[_Connection] = asyncio.Queue()
    for c in pool:
        free.put_nowait(c)
    run = Run()
    began = time.perf_counter()

    async def one(c: _Connection, due: float) -> None:
        run.record(due, await c.send(raw))  # from when it was due
        free.put_nowait(c)

    tasks = []
    for i in range(round(rate * seconds)):
        due = began + i / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(await free.get(), due)))
    await asyncio.gather(*tasks)
    run.elapsed = time.perf_counter() - began
    _close(pool)
    return run


def closed_loop(host: str, port: int, raw: bytes, connections: int, seconds: float) -> Run:
    return uvloop.run(_within(_closed(host, port, raw, connections, seconds), seconds))


def open_loop(
    host: str, port: int, raw: bytes, connections: int, rate: float, seconds: float
) -> Run:
    return uvloop.run(_within(_open(host, port, raw, connections, rate, seconds), seconds))
