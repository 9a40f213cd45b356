# Services the test suite needs, started by .ci/run (sourced, bash).
#
# - headless Chromium (Debian's chromium package) for the HTML report tests;
# - a throw-away PostgreSQL server for the fleet store tests: its own temporary
#   folder, a Unix socket only (no TCP), stopped and removed when CI exits.
# Both are then *required*: the tests fail instead of skipping without them.

ensure_chromium() {
    if command -v chromium >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "error: Chromium is missing; install Debian's chromium package (as root)" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

_pg_bin() {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    else
        echo "$(pg_config --bindir)/$1"
    fi
}

_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    PARITY_PG_DIR="$(mktemp -d /tmp/parity-ci-pg.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PARITY_PG_DIR"
    fi
    _pg_as_owner "$(_pg_bin initdb)" -D "$PARITY_PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
    _pg_as_owner "$(_pg_bin pg_ctl)" -D "$PARITY_PG_DIR/data" -l "$PARITY_PG_DIR/server.log" -w \
        -o "-k $PARITY_PG_DIR -c listen_addresses= -c fsync=off" start >/dev/null
    export PARITY_TEST_POSTGRES_URL="postgresql://postgres@/postgres?host=$PARITY_PG_DIR"
    export PARITY_TEST_POSTGRES_REQUIRED=1
}

stop_postgres() {
    if [ -n "${PARITY_PG_DIR:-}" ] && [ -d "$PARITY_PG_DIR/data" ]; then
        _pg_as_owner "$(_pg_bin pg_ctl)" -D "$PARITY_PG_DIR/data" stop -m fast >/dev/null || true
        rm -rf "$PARITY_PG_DIR"
    fi
}
