"""The database an end-to-end script's server keeps its data in, and the script's read-only look into it.

By default the SQLite file in the server's data directory. With a PostgreSQL URL (the scripts' `--database URL`),
a fresh database of the run's own, created on the cluster that URL names (its database part is only where
`CREATE DATABASE` connects) and dropped by `drop()`: runs never see each other's rows, on CI or beside another
session's run. The server gets it through `serve --database` and every CLI command through `server_args`.

psql (installed with PostgreSQL) runs the queries, so the scripts need no PostgreSQL driver of their own."""
import os, random, sqlite3, subprocess, time
from urllib.parse import urlsplit, urlunsplit


class TestDatabase:
    """SQLite in `data_dir`, or a fresh PostgreSQL database on the cluster of `postgres_url` (when given)."""

    def __init__(self, data_dir, postgres_url=None):
        self.data_dir = data_dir
        self.url = None
        if postgres_url:
            parts = urlsplit(postgres_url)
            if parts.scheme not in ("postgresql", "postgres"):
                raise SystemExit("--database wants postgresql://USER@HOST:PORT/DATABASE, got %r" % postgres_url)
            self.name = "dengao_e2e_%d_%06d" % (os.getpid(), random.randrange(10**6))
            self._admin = urlunsplit((parts.scheme, parts.netloc, parts.path or "/postgres", "", ""))
            self._psql(self._admin, "CREATE DATABASE %s" % self.name)
            self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, "sslmode=disable", ""))

    @property
    def is_postgres(self):
        return self.url is not None

    @property
    def server_args(self):
        """The flags that point `dengao serve` (or any other command) at this database."""
        return ["--database", self.url] if self.url else []

    def rows(self, sqlite_sql, postgres_sql, params=()):
        """The rows of a query, written once per dialect with `?` placeholders; PostgreSQL's values come back as
        text (psql's output), SQLite's as stored: callers convert what they compare."""
        if not self.url:
            connection = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.data_dir, "dengao.sqlite"),
                                         uri=True, timeout=10)
            try:
                return connection.execute(sqlite_sql, params).fetchall()
            finally:
                connection.close()
        pieces = postgres_sql.split("?")
        if len(pieces) != len(params) + 1:
            raise ValueError("%d placeholders for %d parameters" % (len(pieces) - 1, len(params)))
        sql = pieces[0] + "".join(literal(value) + piece for value, piece in zip(params, pieces[1:]))
        output = self._psql(self.url.split("?")[0], sql, fields=True)
        # Unit and record separators: question stems may hold newlines and tabs.
        return [tuple(record.split("\x1f")) for record in output.split("\x1e") if record]

    def drop(self):
        """Drops the run's PostgreSQL database (its server must have stopped); nothing on SQLite."""
        if self.url:
            self._psql(self._admin, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)
            self.url = None

    @staticmethod
    def _psql(url, sql, fields=False):
        command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        if fields:
            command[1:1] = ["-A", "-t", "-F", "\x1f", "-R", "\x1e"]
        for attempt in range(3):
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
            if result.returncode == 0:
                return result.stdout
            time.sleep(0.5)  # CREATE DATABASE fails while another session's CREATE DATABASE copies template1
        raise SystemExit("psql failed (%s): %s" % (sql[:80], result.stderr.strip()))


def literal(value):
    """A Python value as an SQL literal: integers as they are, anything else as a quoted string."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "'" + str(value).replace("'", "''") + "'"
    return str(value)
