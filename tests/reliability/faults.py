"""Fault injection: a TCP proxy that cuts the database off, and armed points in the service."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from tests.support.processes import wait_for


class FaultPoint:
    """One `service.faults.reach(name)` point of servers started with OUTREACH_FAULT_DIR."""

    def __init__(self, folder: Path, name: str):
        self.armed = folder / f"{name}.armed"
        self.reached = folder / f"{name}.reached"

    def arm(self) -> None:
        """The next process to reach the point stops there (and only that one)."""
        self.reached.unlink(missing_ok=True)
        self.armed.touch()

    def wait_reached(self, timeout: float = 120) -> int:
        """The pid of the process stopped at the point, once it is there."""

        def pid() -> int | None:
            try:
                text = self.reached.read_text()
            except FileNotFoundError:
                return None
            return int(text) if text.strip().isdigit() else None

        return wait_for(
            pid, timeout, every=0.01, why=lambda: f"nothing reached {self.reached.stem}"
        )

    def release(self) -> None:
        """Let a process stopped at the point go on; disarm it if nobody reached it."""
        self.armed.unlink(missing_ok=True)
        self.reached.unlink(missing_ok=True)


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every connection and refuses new."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()  # "connection reset": the database looks down
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update({client, upstream})
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        """Drop every live connection and refuse new ones."""
        self.open.clear()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()
