#!/usr/bin/env bash
# A PostgreSQL server from Debian's package, on loopback, for tests and the production profile.
#   scripts/postgres.sh start <dir> <port>   initialise <dir>/data on first use (data is kept), start
#   scripts/postgres.sh restart <dir>        fast restart (the fault test restarts during traffic)
#   scripts/postgres.sh stop <dir>
# Environment for `start`: PG_USER (default test), PG_PASSWORD_FILE (password authentication for
# that user; without it, trust on loopback for throwaway test clusters), PG_DATABASES (created if
# missing), PG_FSYNC (off by default: tests; the production profile turns it on).
# Debian's initdb refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
  start)
    port=$3
    user=${PG_USER:-test}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      auth=(--auth=trust)
      if [ -n "${PG_PASSWORD_FILE:-}" ]; then
        cp "$PG_PASSWORD_FILE" "$dir/pwfile"
        [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pwfile"
        auth=(--auth=scram-sha-256 "--pwfile=$dir/pwfile")
      fi
      as_owner "$bin/initdb" -D "$dir/data" -U "$user" "${auth[@]}" -E UTF8 >"$dir/initdb.log" 2>&1
      rm -f "$dir/pwfile"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off}" start >/dev/null
    for db in ${PG_DATABASES:-}; do
      export PGPASSWORD=""
      [ -n "${PG_PASSWORD_FILE:-}" ] && PGPASSWORD=$(cat "$PG_PASSWORD_FILE")
      exists=$(psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'")
      [ "$exists" = 1 ] || psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE $db"
    done
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
esac
