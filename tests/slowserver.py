"""Stand-in trackers that misbehave in time: they hang, trickle, or never end, on 127.0.0.1.

``SlowServer(mode)`` answers every request on its own thread:

- ``hang``: accept, read the request, send nothing (until stopped);
- ``trickle``: send the status line and headers (a 2,000-byte JSON body announced), then one body byte
  every ``interval`` seconds;
- ``trickle-headers``: send the header lines one byte every ``interval`` seconds;
- ``endless``: a chunked body that never ends, as fast as the socket takes it.

Each connection gives up by itself after ``limit`` seconds, so a test of code that does not honour a
deadline fails on its own assertion instead of hanging the suite.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import List


class SlowServer:
    def __init__(self, mode: str, *, interval: float = 0.5, limit: float = 20.0) -> None:
        self.mode, self.interval, self.limit = mode, interval, limit
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._stop = threading.Event()
        self.requests: List[bytes] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> SlowServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        end = time.monotonic() + self.limit
        try:
            conn.settimeout(self.limit)
            self.requests.append(conn.recv(65536))
            if self.mode == "hang":
                self._stop.wait(self.limit)
            elif self.mode == "trickle":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n")
                self._trickle(conn, b"{" + b" " * 1998 + b"}", end)
            elif self.mode == "trickle-headers":
                self._trickle(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", end)
            elif self.mode == "endless":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
                while time.monotonic() < end and not self._stop.is_set():
                    conn.sendall(chunk)
        except OSError:
            pass
        finally:
            conn.close()

    def _trickle(self, conn: socket.socket, data: bytes, end: float) -> None:
        for i in range(len(data)):
            if time.monotonic() > end or self._stop.wait(self.interval):
                return
            conn.sendall(data[i : i + 1])
