# Start the local PostgreSQL and Redis that CI and `make bench` use (sourced, not run).
# Needs root and Debian's postgresql and redis-server packages.
#   start_postgres DBNAME   start the newest cluster, create role `congress` and DBNAME owned by it
#   drop_database DBNAME    drop DBNAME if it exists (closing its connections)
#   start_redis             a throwaway Redis on 127.0.0.1:6379 (no persistence)

start_postgres() {
  local database=$1 version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    pg_createcluster "$version" main
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
  for _ in $(seq 1 30); do
    runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break
    sleep 1
  done
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'congress') THEN
    CREATE ROLE congress LOGIN CREATEDB PASSWORD 'congress';
  END IF;
END
$$;
SQL
  runuser -u postgres -- psql -q -tc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || runuser -u postgres -- createdb -O congress "$database"
}

drop_database() {
  runuser -u postgres -- dropdb --if-exists --force "$1"
}

start_redis() {
  if ! redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG; then
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no
  fi
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG && break
    sleep 1
  done
}
