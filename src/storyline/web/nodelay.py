"""uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

Why: with ``--workers N`` uvicorn binds the listening socket itself (protocol number 0), and
asyncio turns on ``TCP_NODELAY`` only for sockets whose protocol is ``IPPROTO_TCP``; so the
connections of a multi-process server kept Nagle's algorithm. uvicorn writes a response's head
and body separately, and on a kept-alive connection the body then waited for the client's
delayed acknowledgement: 40 ms added to some answers (a 52 KB ``/stories.json`` took 44 ms on
loopback where the app spent 0.3 ms). One process (``asyncio.create_server`` with a host and
port) has ``TCP_NODELAY`` already; this sets it in every case.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """:class:`H11Protocol` that sets ``TCP_NODELAY`` when a connection is made."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
