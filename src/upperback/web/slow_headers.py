"""A header read timeout for uvicorn's HTTP/1.1 server, against slow-header ("slowloris") floods.

uvicorn closes idle keep-alive connections, but a client that opens a connection and sends its
request headers a byte at a time holds it open for as long as it likes. This protocol gives
every request `HEADER_TIMEOUT` seconds from its first byte (or from the connection's opening)
to finish its headers; a request still without them is closed. The body and the answer are not
timed here (the body size is capped by the app).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT: Final = 10.0


def _no_delay(transport: asyncio.Transport) -> None:
    """Send small answers at once (TCP_NODELAY). asyncio sets it only on sockets it knows are
    TCP, and the sockets uvicorn hands its worker processes (`serve --public --workers N`)
    say protocol 0, so without this every answer on a kept-alive connection waited ~40 ms for
    the peer's delayed ACK (Nagle's algorithm; uvicorn issue 3149)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline on reading each request's headers."""

    header_timeout: float = HEADER_TIMEOUT
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        _no_delay(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self._waiting_for_headers():
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if not self._waiting_for_headers():
            self._disarm()  # the headers are in: the app has the request now

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # the next request's headers are timed from here

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                with contextlib.suppress(h11.LocalProtocolError):
                    self.conn.send(h11.ConnectionClosed())
            self.transport.close()
