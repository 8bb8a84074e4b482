#!/usr/bin/env bash
# Apply every migration to an empty database while the test suite runs (make test).
#   scripts/migrate_check.sh start   migrate in the background: the database of DATABASE_URL when it is
#                                    PostgreSQL (CI's fresh, otherwise unused database), else a scratch
#                                    SQLite file under var/
#   scripts/migrate_check.sh wait    wait for it; print its log and fail if the migrations failed
set -euo pipefail
cd "$(dirname "$0")/.."
dir=var/migrate-check
case "${1:-}" in
  start)
    rm -rf "$dir" && mkdir -p "$dir"
    url=${DATABASE_URL:-}
    case "$url" in
      postgres*) ;;
      *) url="sqlite:///$PWD/$dir/db.sqlite3" ;;
    esac
    (
      rc=0
      DJANGO_ENV=test DATABASE_URL="$url" .venv/bin/python manage.py migrate --noinput -v 1 >"$dir/log" 2>&1 || rc=$?
      echo "$rc" >"$dir/rc"
    ) &
    echo $! >"$dir/pid"
    ;;
  wait)
    while [ ! -f "$dir/rc" ]; do
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null && [ ! -f "$dir/rc" ]; then
        echo "--- the migration check stopped without a result" >&2
        exit 1
      fi
      sleep 1
    done
    if [ "$(cat "$dir/rc")" != 0 ]; then
      echo "--- applying the migrations to an empty database failed:" >&2
      cat "$dir/log" >&2
      exit 1
    fi
    applied=$(grep -c '  Applying' "$dir/log" || true)
    if [ "$applied" = 0 ]; then
      echo "--- the migration check applied no migration: its database was not empty" >&2
      exit 1
    fi
    echo "Migrations: all $applied applied to an empty database."
    ;;
  *) echo "usage: $0 start|wait" >&2; exit 2 ;;
esac
