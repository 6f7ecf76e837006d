#!/usr/bin/env bash
# A private PostgreSQL server for the ground service's tests (docs/ground.md): a new cluster in a temporary folder,
# on a free loopback port, with a generated password (scram-sha-256), run as the 'postgres' system user when started
# by root (initdb refuses root). Nothing of the machine's own clusters is touched.
#   source tests/ground/postgres.sh start   -> exports ECLAIRS_TEST_POSTGRES (an Npgsql connection string)
#   tests/ground/postgres.sh stop DIR       -> stops the cluster in DIR and removes it (ECLAIRS_TEST_POSTGRES_DIR)
# Needs Debian's postgresql (its binaries in /usr/lib/postgresql/*/bin); .ci/run installs it.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_start() {
  local bin dir port password as=()
  bin="$(pg_bin)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: no PostgreSQL server binaries (Debian's postgresql; .ci/run installs it)" >&2
    return 1
  fi
  dir="$(mktemp -d /tmp/eclairs-pg.XXXXXX)"
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  printf '%s\n' "$password" > "$dir/pwfile"
  if [ "$(id -u)" = "0" ]; then
    chown -R postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U eclairs --auth=scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  export ECLAIRS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=eclairs;Password=$password;Database=postgres"
  export ECLAIRS_TEST_POSTGRES_DIR="$dir"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, cluster in $dir"
}

pg_stop() {
  local dir="${1:-${ECLAIRS_TEST_POSTGRES_DIR:-}}" bin as=()
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  bin="$(pg_bin)"
  [ "$(id -u)" = "0" ] && as=(runuser -u postgres --)
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) pg_start ;;
  stop) pg_stop "${2:-}" ;;
  *) echo "usage: source tests/ground/postgres.sh start | tests/ground/postgres.sh stop [DIR]" >&2 ;;
esac
