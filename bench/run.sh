#!/usr/bin/env bash
# `make bench`: seed the scale data once, then measure pages, queries and the reminder sweep and write
# var/bench/report.md and report.json (docs/PERFORMANCE.md explains every row and target).
#
#   BENCH_SIZE=full   (default) seed_scale's defaults on PostgreSQL; the targets are enforced
#   BENCH_SIZE=small  seed_scale --small; BENCH_SIZE=smoke a few rows, 1-second loads (CI runs it to prove
#                     the pipeline works; targets are reported, not enforced)
#   BENCH_DATABASE_URL  an empty PostgreSQL database to fill (kept between runs); without it, as root on
#                     Debian, a local cluster and database congress_bench[_small|_smoke] are started/created
#   BENCH_RESEED=1    drop and seed the local bench database again
#   BENCH_DURATION, BENCH_MAX_REQUESTS, BENCH_PORT   per-row load bounds and the first port (two are used)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SIZE=${BENCH_SIZE:-full}
OUT=${BENCH_OUT:-var/bench}
mkdir -p "$OUT"

case "$SIZE" in
  full)  seed_options=(); database=congress_bench; sweep_options=(); duration=${BENCH_DURATION:-10}; enforce=(--enforce) ;;
  small) seed_options=(--small); database=congress_bench_small
         sweep_options=(--open 100000 --open-small 10000 --due 1000); duration=${BENCH_DURATION:-5}; enforce=() ;;
  smoke) seed_options=(--deputies 400 --congresses 5 --suggestions 500 --issues 2000 --stations 8 --focus-rows 40)
         database=congress_bench_smoke; sweep_options=(--open 5000 --open-small 1000 --due 100)
         duration=${BENCH_DURATION:-1}; enforce=() ;;
  *) echo "BENCH_SIZE must be full, small or smoke" >&2; exit 2 ;;
esac
export BENCH_DURATION=$duration

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "--- installing wrk (the load tool)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null \
      || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk; }
  else
    echo "make bench needs wrk on the PATH (Debian: sudo apt-get install wrk)." >&2
    exit 2
  fi
fi

redis_url=${BENCH_REDIS_URL:-}
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  database_url=$BENCH_DATABASE_URL
elif [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  # shellcheck source=../scripts/services.sh
  source scripts/services.sh
  echo "--- starting PostgreSQL and Redis (database $database)"
  start_postgres "$database"
  # A local bench database without this checkout's stamp holds nothing we know of (another checkout's
  # seed, or a half-finished one): start it again from empty.
  if [ "${BENCH_RESEED:-0}" = 1 ] || [ ! -f "$OUT/seeded-$database" ]; then
    drop_database "$database"
    rm -f "$OUT/seeded-$database"
    start_postgres "$database"
  fi
  if command -v redis-server >/dev/null 2>&1; then
    start_redis
    redis_url=${redis_url:-redis://127.0.0.1:6379/1}
  fi
  database_url=postgres://congress:congress@127.0.0.1:5432/$database
else
  echo "make bench needs PostgreSQL: set BENCH_DATABASE_URL=postgres://user:password@host/db (an empty database" >&2
  echo "it may fill), or run it as root on Debian with the postgresql package installed." >&2
  exit 2
fi
export DATABASE_URL=$database_url
if [ -n "$redis_url" ]; then export REDIS_URL=$redis_url; else unset REDIS_URL; fi
export DJANGO_DEBUG=false

echo "--- migrating the bench database"
$PY manage.py migrate --noinput -v 0

stamp="$OUT/seeded-$database"
wanted="$SIZE ${seed_options[*]:-}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -f "$OUT/manifest.json" ]; then
  echo "--- scale data already seeded ($wanted); BENCH_RESEED=1 seeds again"
else
  echo "--- seeding the scale data ($SIZE)"
  $PY manage.py seed_scale "${seed_options[@]}" --manifest "$OUT/manifest.json"
  echo "--- yesterday's reminder sweep (sends the backlog the seeded history leaves, once)"
  $PY manage.py run_reminders --as-of "$(date -d yesterday +%F)" | tail -n 3
  echo "$wanted" > "$stamp"
fi

echo "--- collecting static files"
DJANGO_ENV=production DJANGO_SECRET_KEY=bench-only-collectstatic-key-0123456789abcdefghijklmnop \
  DJANGO_ALLOWED_HOSTS=127.0.0.1 $PY manage.py collectstatic --noinput -v 0

echo "--- pages and API calls (gunicorn + wrk)"
$PY bench/bench.py --manifest "$OUT/manifest.json" --out "$OUT"
echo "--- queries per page"
$PY bench/queries.py --manifest "$OUT/manifest.json" --out "$OUT"
echo "--- reminder sweep"
$PY bench/sweep.py "${sweep_options[@]}" --out "$OUT"
echo "--- report"
$PY bench/report.py --out "$OUT" "${enforce[@]}"
