"""Ports, polling, child processes and racing threads for tests over real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable

import requests

NO_PROXY = {"http": None, "https": None}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    predicate: Callable, timeout: float, every: float = 0.2, why: Callable[[], str] | None = None
):
    """Poll until predicate() is truthy; return its value. On timeout an AssertionError says
    `why()` (e.g. the server's log), else that the condition was not met. The one wait of
    the test suites: nothing sleeps for a fixed time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(why() if why else f"condition not met within {timeout}s")


def run_threads(target: Callable, args_list, timeout: float = 120.0) -> None:
    """Start target(*args) in one thread per args, all at once, and wait for every one."""
    threads = [threading.Thread(target=target, args=tuple(args)) for args in args_list]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), f"threads still running after {timeout}s"


def healthy(base_url: str) -> bool:
    """Whether GET /healthz answers 200 right now."""
    try:
        return requests.get(base_url + "/healthz", timeout=2, proxies=NO_PROXY).status_code == 200
    except requests.RequestException:
        return False


def wait_healthy(
    base_url: str,
    process: subprocess.Popen | None = None,
    log: Callable[[], str] = str,
    timeout: float = 30.0,
) -> None:
    """Wait until the server answers /healthz; its log in the error if it died or never did
    (RuntimeError: it exited; AssertionError: it never answered)."""

    def up() -> bool:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{base_url} exited early:\n{log()}")
        return healthy(base_url)

    try:
        wait_for(up, timeout, every=0.1)
    except AssertionError as exc:
        raise AssertionError(f"{base_url} did not come up ({exc}):\n{log()}") from None


def stop(process: subprocess.Popen, timeout: float = 20, group: bool = False) -> None:
    """SIGTERM and wait; SIGKILL (the whole process group with `group`) if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(10)
