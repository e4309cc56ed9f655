#!/usr/bin/env bash
# A PostgreSQL cluster of the project's own, under a directory of the work tree.
#   scripts/pg.sh start DIR   initialise (first time) and start it; creates role and database
#                             "permanence"; prints nothing else on success
#   scripts/pg.sh stop DIR    stop it (data kept)
#   scripts/pg.sh url DIR     print the application's DATABASE_URL
#   scripts/pg.sh admin-url DIR  print a superuser connection string (tests only)
# It listens on a Unix socket in DIR/sock only (no TCP port). PostgreSQL refuses to run as root,
# so as root it runs as the "postgres" system user.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|url|admin-url DIR}
dir=$(realpath -m "${2:?usage: pg.sh start|stop|url|admin-url DIR}")
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -n "$bin" ] || { echo "PostgreSQL 15 is not installed (run: make deps)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owner_user() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

case "$cmd" in
start)
  mkdir -p "$dir/sock"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "the postgres user cannot reach $dir (a parent directory is not searchable);" \
           "give others search permission on it, or set DATABASE_URL" >&2
      exit 1
    fi
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U "$(owner_user)" -A trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' -c max_connections=200 -c fsync=on" \
      start >/dev/null || { tail -20 "$dir/postgres.log" >&2; exit 1; }
  fi
  psql_admin=(as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -U "$(owner_user)" -d postgres)
  if [ -z "$("${psql_admin[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'permanence'")" ]; then
    "${psql_admin[@]}" -c "CREATE ROLE permanence LOGIN"
  fi
  if [ -z "$("${psql_admin[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'permanence'")" ]; then
    "${psql_admin[@]}" -c "CREATE DATABASE permanence OWNER permanence"
  fi
  ;;
stop)
  if [ -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null 2>&1 || true
  fi
  ;;
url)
  echo "postgresql:///permanence?host=$dir/sock&user=permanence"
  ;;
admin-url)
  echo "postgresql:///permanence?host=$dir/sock&user=$(owner_user)"
  ;;
*)
  echo "usage: pg.sh start|stop|url|admin-url DIR" >&2
  exit 2
  ;;
esac
