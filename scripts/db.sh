#!/usr/bin/env bash
# The database servers for Ferry's integration tests: PostgreSQL 15 and MariaDB 10.11 from
# Debian's packages, each run from a data directory under target/db, on 127.0.0.1 only, with
# logical decoding (Postgres) and a row-based binlog (MariaDB) turned on. Both have a user
# `ferry`, password `ferry`, owning a database `ferry`. Idempotent; prints the environment it
# exports as its last two lines on stdout (progress goes to stderr).
#
#   scripts/db.sh start    start (or find running) both and print DATABASE_URL_PG=… and
#                          DATABASE_URL_MYSQL=…; the first start creates the data directories
#                          (a few seconds), later starts reuse them
#   scripts/db.sh stop     stop what `start` started (by PID)
#   scripts/db.sh status   print both lines if both are running, exit 1 if not
#   scripts/db.sh reset    stop and delete the data directories
#
# Postgres refuses to run as root: as root the script runs initdb and the server as the
# `postgres` system user (made by Debian's package; created if missing) through runuser, and
# target/db/pg belongs to that user. MariaDB runs as the calling user (`--user=root` as root).
#
# Environment:
#   FERRY_PG_PORT     Postgres port (default 15432)
#   FERRY_MYSQL_PORT  MariaDB port (default 13306)
#   FERRY_DB_DIR      data, socket, PID and log directory (default target/db); as root it must
#                     be reachable by the postgres user
#   FERRY_PG_BIN      Postgres binaries (default /usr/lib/postgresql/15/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

pg_port="${FERRY_PG_PORT:-15432}"
my_port="${FERRY_MYSQL_PORT:-13306}"
dir="${FERRY_DB_DIR:-$root/target/db}"
pg_bin="${FERRY_PG_BIN:-/usr/lib/postgresql/15/bin}"
pg_data="$dir/pg"                # also holds the Postgres unix socket and postgres.log
my_data="$dir/mariadb"
my_cnf="$dir/mariadb.cnf"
my_init="$dir/mariadb-init.sql"
my_pidfile="$dir/mariadb.pid"
my_socket="$dir/mariadb.sock"
my_log="$dir/mariadb.log"
pg_url="postgres://ferry:ferry@127.0.0.1:$pg_port/ferry"
my_url="mysql://ferry:ferry@127.0.0.1:$my_port/ferry"
my_child=""                      # PID of a mariadbd this run started

say() { echo "db.sh: $*" >&2; }

is_root() { [ "$(id -u)" = 0 ]; }

# runs a Postgres program as the user the server runs as
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# process $1 exists and is not a zombie (a killed server stays one until it is reaped)
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# PID in $1's first line, if that process is alive and is program $2
pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(head -n 1 "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == *"$2"* ]]
}

pg_running() { pid_alive "$pg_data/postmaster.pid" postgres; }
my_running() { pid_alive "$my_pidfile" mariadbd; }

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_ready() {
  PGPASSWORD=ferry PGCONNECT_TIMEOUT=2 "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" \
    -U ferry -d ferry -Atc 'select 1' >/dev/null 2>&1
}

my_ready() {
  mariadb --no-defaults --connect-timeout=2 -h 127.0.0.1 -P "$my_port" -u ferry -pferry ferry \
    -e 'select 1' >/dev/null 2>&1
}

# stops the process whose PID is in $1 (program $2): a fast shutdown, then harder
stop_pid() {
  local pid
  if pid_alive "$1" "$2"; then
    pid=$(head -n 1 "$1")
    say "stopping $2 (PID $pid)"
    kill "$3" "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do alive "$pid" || return 0; sleep 0.1; done
    say "$2 (PID $pid) did not stop in 15 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || return 0; sleep 0.1; done
  fi
}

make_dir() {
  mkdir -p "$dir"
  chmod 755 "$dir"
  if is_root; then
    if ! id postgres >/dev/null 2>&1; then
      say "creating the system user postgres"
      if getent group postgres >/dev/null; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
          --gid postgres postgres
      else
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
          --user-group postgres
      fi
    fi
    if ! runuser -u postgres -- test -x "$dir"; then
      say "the postgres user cannot reach $dir (a parent directory is not searchable by others);"
      say "make it searchable (chmod o+x) or set FERRY_DB_DIR to a directory it can reach"
      exit 1
    fi
  fi
}

pg_start() {
  if pg_running; then return 0; fi
  if port_open "$pg_port"; then
    say "port $pg_port is in use by another process; set FERRY_PG_PORT"
    exit 1
  fi
  if [ ! -f "$pg_data/ferry-initialised" ]; then
    say "creating the Postgres data directory $pg_data"
    rm -rf "$pg_data"
    mkdir -m 700 "$pg_data"
    if is_root; then chown postgres:postgres "$pg_data"; fi
    # local (socket) connections are trusted, so this script can create the ferry role;
    # TCP connections need a password
    as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 || {
      say "initdb failed; its output ($dir/initdb.log):"
      cat "$dir/initdb.log" >&2
      exit 1
    }
    echo "include = 'ferry.conf'" | as_pg tee -a "$pg_data/postgresql.conf" >/dev/null
    as_pg touch "$pg_data/ferry-initialised"
  fi
  # rewritten on every start, so a changed port or setting applies to an existing directory
  as_pg tee "$pg_data/ferry.conf" >/dev/null <<EOF
# written by scripts/db.sh on every start
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_data'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  say "starting Postgres on 127.0.0.1:$pg_port"
  # after a crash, the killed server's processes can hold the lock file or shared memory for
  # a moment: try a few times
  local attempt
  for attempt in 1 2 3 4 5; do
    if as_pg "$pg_bin/pg_ctl" start -D "$pg_data" -l "$pg_data/postgres.log" -w -t 60 \
      >/dev/null 2>&1; then
      break
    fi
    if [ "$attempt" = 5 ]; then
      say "Postgres did not start; its log ($pg_data/postgres.log):"
      tail -n 30 "$pg_data/postgres.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_data" -p "$pg_port" -U postgres -d postgres \
    >/dev/null <<'EOF'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ferry') THEN
    CREATE ROLE ferry;
  END IF;
END
$$;
ALTER ROLE ferry WITH LOGIN SUPERUSER REPLICATION PASSWORD 'ferry';
SELECT 'CREATE DATABASE ferry OWNER ferry'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ferry') \gexec
EOF
}

my_start() {
  if my_running; then return 0; fi
  if port_open "$my_port"; then
    say "port $my_port is in use by another process; set FERRY_MYSQL_PORT"
    exit 1
  fi
  local user_line=""
  if is_root; then user_line="user = root"; fi
  # the only option file mariadbd and mariadb-install-db read (not /etc/mysql)
  cat >"$my_cnf" <<EOF
# written by scripts/db.sh on every start
[mariadbd]
$user_line
datadir = $my_data
socket = $my_socket
pid-file = $my_pidfile
log-error = $my_log
port = $my_port
bind-address = 127.0.0.1
skip-name-resolve
log-bin = binlog
binlog_format = ROW
binlog_row_image = FULL
server_id = 1
binlog_expire_logs_seconds = 604800
sync_binlog = 0
innodb_flush_log_at_trx_commit = 0
innodb_buffer_pool_size = 128M
innodb_log_file_size = 32M
init-file = $my_init
EOF
  # run at every server start, before it accepts connections; kept out of the binlog
  cat >"$my_init" <<'EOF'
SET sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS ferry;
CREATE USER IF NOT EXISTS 'ferry'@'%' IDENTIFIED BY 'ferry';
CREATE USER IF NOT EXISTS 'ferry'@'localhost' IDENTIFIED BY 'ferry';
ALTER USER 'ferry'@'%' IDENTIFIED BY 'ferry';
ALTER USER 'ferry'@'localhost' IDENTIFIED BY 'ferry';
GRANT ALL PRIVILEGES ON *.* TO 'ferry'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'ferry'@'localhost' WITH GRANT OPTION;
DROP USER IF EXISTS ''@'localhost';
EOF
  if [ ! -f "$my_data/ferry-initialised" ]; then
    say "creating the MariaDB data directory $my_data"
    rm -rf "$my_data"
    mkdir -p "$my_data"
    local install_db
    install_db=$(command -v mariadb-install-db || command -v mysql_install_db || true)
    if [ -z "$install_db" ]; then
      say "mariadb-install-db not found: install the mariadb-server package"
      exit 1
    fi
    "$install_db" --defaults-file="$my_cnf" --skip-test-db --skip-name-resolve \
      >"$dir/mariadb-install-db.log" 2>&1 || {
      say "mariadb-install-db failed; its output ($dir/mariadb-install-db.log):"
      cat "$dir/mariadb-install-db.log" >&2
      exit 1
    }
    touch "$my_data/ferry-initialised"
  fi
  local mariadbd
  mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  if [ ! -x "$mariadbd" ]; then
    say "mariadbd not found: install the mariadb-server package"
    exit 1
  fi
  say "starting MariaDB on 127.0.0.1:$my_port"
  rm -f "$my_pidfile"
  # its own session, and no inherited stdout: a caller's $(db.sh start) must not wait for it
  setsid "$mariadbd" --defaults-file="$my_cnf" </dev/null >>"$my_log" 2>&1 &
  my_child=$!
}

# waits until $1_ready succeeds (up to $2 seconds) while the server runs
wait_ready() {
  local name=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt "$deadline" ]; do
    if "${name}_ready"; then return 0; fi
    if [ "$name" = pg ]; then
      pg_running || break
    elif [ -n "$my_child" ]; then
      # mariadbd writes its PID file a moment after it starts; until then, watch the child
      alive "$my_child" || break
    else
      my_running || break
    fi
    sleep 0.2
  done
  return 1
}

stop_all() {
  # SIGINT is Postgres's fast shutdown; SIGTERM is MariaDB's normal one
  stop_pid "$pg_data/postmaster.pid" postgres -INT
  stop_pid "$my_pidfile" mariadbd -TERM
  rm -f "$my_pidfile"
}

case "${1:-}" in
  start)
    make_dir
    pg_start
    my_start
    if ! wait_ready pg 60; then
      say "Postgres does not accept user ferry on 127.0.0.1:$pg_port; its log:"
      tail -n 30 "$pg_data/postgres.log" >&2 || true
      exit 1
    fi
    if ! wait_ready my 120; then
      say "MariaDB does not accept user ferry on 127.0.0.1:$my_port; its log ($my_log):"
      tail -n 30 "$my_log" >&2 || true
      exit 1
    fi
    echo "DATABASE_URL_PG=$pg_url"
    echo "DATABASE_URL_MYSQL=$my_url"
    ;;
  stop)
    stop_all
    ;;
  status)
    ok=0
    if pg_running; then say "Postgres is running"; else say "Postgres is not running"; ok=1; fi
    if my_running; then say "MariaDB is running"; else say "MariaDB is not running"; ok=1; fi
    if [ "$ok" = 0 ]; then
      echo "DATABASE_URL_PG=$pg_url"
      echo "DATABASE_URL_MYSQL=$my_url"
    fi
    exit "$ok"
    ;;
  reset)
    stop_all
    say "deleting $dir"
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|status|reset" >&2
    exit 2
    ;;
esac
