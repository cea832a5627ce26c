"""A throwaway PostgreSQL server for the tests and the SQL benchmark.

``initdb`` makes a cluster in a fresh temporary folder, the server listens on a free port of
127.0.0.1 and on a Unix socket in that folder, and everything is removed afterwards.  The
server runs as an unprivileged user: ``initdb`` refuses to run as root, so as root (CI) it
runs as the ``postgres`` system user that Debian's ``postgresql`` package creates, in a
folder that user owns.  The superuser ``kam`` logs in with a password (scram-sha-256), so
that password handling is tested for real.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

USER = "kam"
PASSWORD = "s3cret-Pg-pw"
DATABASE = "erp"
INSTALL_HINT = (
    "install the Debian package postgresql (make test does: scripts/system-packages.sh postgresql), "
    "or put PostgreSQL's initdb, pg_ctl and postgres on PATH"
)


class PostgresUnavailable(RuntimeError):
    """The binaries or an unprivileged user to run them are missing: the message says what to install."""


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server."""

    folder: Path
    port: int
    host: str = "127.0.0.1"
    user: str = USER
    password: str = PASSWORD
    database: str = DATABASE

    def url(self, database: str | None = None) -> str:
        """``postgresql://kam@127.0.0.1:PORT/erp`` — without the password, as a params file has it."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database or self.database}"

    def dsn(self, database: str | None = None) -> str:
        """The same URL with the password, for the tests' own set-up connections."""
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{database or self.database}"


def bin_dir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise PostgresUnavailable(f"PostgreSQL's initdb was not found: {INSTALL_HINT}")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The user the server runs as: ``postgres`` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            f"running as root and no 'postgres' user to run the server as: {INSTALL_HINT}"
        ) from None
    return "postgres"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway server; stop it and remove its folder when the block ends.

    Raises
    ------
    PostgresUnavailable
        The binaries (or, as root, the ``postgres`` user) are missing.
    """
    bindir = bin_dir()
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="kamreport-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    env = {**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}
    if user is not None:
        env["HOME"] = str(folder)

    def run(*args: str) -> None:
        done = subprocess.run(args, user=user, env=env, cwd=folder, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr or done.stdout}")

    port = _free_port()
    data = folder / "data"
    server = PostgresServer(folder, port)
    try:
        pwfile = folder / "pw"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        if user is not None:
            os.chown(pwfile, pwd.getpwnam(user).pw_uid, -1)
        run(
            str(bindir / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}", "--auth=scram-sha-256",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c timezone=UTC"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        try:
            _create_database(server)
            yield server
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(server: PostgresServer) -> None:
    execute(server, f'CREATE DATABASE "{server.database}"', database="postgres")


def execute(server: PostgresServer, *statements: str, database: str | None = None) -> None:
    """Run ``statements`` on the server as its superuser (set-up and changes made by the tests)."""
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(server.dsn(database), autocommit=True) as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def load_tables(server: PostgresServer, tables: dict[str, pa.Table]) -> None:
    """Create each table on the server from Arrow (ADBC's bulk ingest, COPY underneath)."""
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(server.dsn(), autocommit=True) as conn, conn.cursor() as cur:
        for name, table in tables.items():
            cur.adbc_ingest(name, table, mode="replace")
