"""Revokes ephemeral tokens when the interpreter ends (RFC 7009), so a token never outlives the
agent that used it: ``atexit`` covers a normal end, ``sys.exit`` and Ctrl-C (KeyboardInterrupt).
SIGTERM would kill the process without running ``atexit``, so where nobody else handles it the
SDK does: revoke, then die of the signal as before. Revoking twice is harmless.
"""
from __future__ import annotations

import atexit
import itertools
import os
import signal
import threading
from typing import Any, Callable, Dict

_live: Dict[int, Callable[[], None]] = {}
_lock = threading.Lock()
_installed = False
_ids = itertools.count()


def revoke_at_exit(revoke: Callable[[], None]) -> Callable[[], None]:
    """Registers a revoke callback; returns the function that unregisters it."""
    global _installed
    handle = next(_ids)
    with _lock:
        _live[handle] = revoke
        if not _installed:
            _installed = True
            atexit.register(revoke_all)
            _install_sigterm()

    def unregister() -> None:
        with _lock:
            _live.pop(handle, None)

    return unregister


def revoke_all() -> None:
    with _lock:
        pending = list(_live.values())
        _live.clear()
    for revoke in pending:
        try:
            revoke()
        except Exception:  # noqa: BLE001 - at exit there is no one left to tell
            pass


def _install_sigterm() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return  # the program handles SIGTERM itself (and usually exits, running atexit)
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):
        pass


def _on_sigterm(signum: int, _frame: Any) -> None:
    revoke_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
