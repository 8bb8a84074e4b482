#!/usr/bin/env bash
# The restore drill (docs/OPERATIONS.md): prove that a backup comes back whole.
#
#   scripts/restore_drill.sh [--source-url URL] [--media-root DIR] [--backup DIR] [--server-url URL]
#                            [--scratch-db NAME] [--report FILE] [--keep]
#
#   --source-url URL   the database to back up (default: the application's, DATABASE_URL or .env)
#   --media-root DIR   its media folder (default: the application's MEDIA_ROOT)
#   --backup DIR       drill this existing backup (e.g. last night's) instead of taking a new one
#   --server-url URL   a database on the server where the scratch database is created; the role
#                      needs CREATEDB (default: the source's server)
#   --scratch-db NAME  the scratch database's name (default congress_drill_<time>_<pid>); it must not exist
#   --report FILE      write the outcome as JSON (counts, differences, seconds)
#   --keep             keep the scratch database, media folder and backup for inspection
#
# Steps: back up the source with backup.sh (unless --backup); create the scratch database and an
# empty scratch media folder; restore into them with restore.sh; compare the row count of every
# table and the sha256 of every media file with the backup's manifest, and run `migrate --check`;
# print PASS or FAIL with the numbers and the seconds each step took; drop the scratch database and
# remove the scratch folders, also when a step fails. Exit 0 on PASS (also when this code has
# migrations the backup predates: restoring it needs `migrate` afterwards, the summary says so), 1 on
# any difference or failed step, 2 on bad arguments.
#
# For testing the drill itself: RESTORE_DRILL_AFTER_RESTORE, if set, is run with `bash -c` between
# the restore and the comparison, with DRILL_DATABASE_URL, DRILL_MEDIA_DIR and DRILL_BACKUP_DIR set,
# so a test can damage the restored copy and see the drill fail. Never set it for a real drill.
set -euo pipefail
# shellcheck disable=SC2034 # read by backup.sh: relative paths given are relative to where we ran
OPS_CALLER_PWD=$PWD
# shellcheck source=scripts/backup.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup.sh"
OPS_PROG=restore_drill.sh
export OPS_PROG

source_url="" media_root="" backup="" server_url="" scratch="" report="" keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --source-url) source_url=$2; shift 2 ;;
    --media-root) media_root=$(ops_abspath "$2"); shift 2 ;;
    --backup) backup=$(ops_abspath "$2"); shift 2 ;;
    --server-url) server_url=$2; shift 2 ;;
    --scratch-db) scratch=$2; shift 2 ;;
    --report) report=$(ops_abspath "$2"); shift 2 ;;
    --keep) keep=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) ops_die "unknown argument $1 (see --help)" ;;
  esac
done
if [ -n "$backup" ] && [ ! -f "$backup/manifest.json" ]; then
  ops_die "$backup is not a backup folder (no manifest.json)"
fi
scratch=${scratch:-congress_drill_$(date -u +%Y%m%d%H%M%S)_$$}
case "$scratch" in
  *[!a-z0-9_]* | "") ops_die "--scratch-db: lower-case letters, digits and _ only" ;;
esac

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

started=$(now)
backup_seconds=0
restore_seconds=0
verify_seconds=0
status=0
created=false
work=$(mktemp -d "${TMPDIR:-/tmp}/congress-drill.XXXXXX")
scratch_url=""

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  if $created && ! $keep; then
    echo "drill: dropping the scratch database $scratch"
    (ops_py dropdb "$scratch") || echo "drill: warning: could not drop $scratch; drop it by hand" >&2
  fi
  if $keep; then
    echo "drill: kept the scratch database $scratch and the folder $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT

# --- 1. the backup ---
if [ -z "$backup" ]; then
  echo "drill: taking a backup of the source"
  step=$(now)
  backup_args=(--out "$work/backups")
  [ -z "$source_url" ] || backup_args+=(--database-url "$source_url")
  [ -z "$media_root" ] || backup_args+=(--media-root "$media_root")
  if "$OPS_ROOT/scripts/backup.sh" "${backup_args[@]}" >"$work/backup.log" 2>&1; then
    cat "$work/backup.log"
    backup=$(tail -n 1 "$work/backup.log")
  else
    status=$?
    cat "$work/backup.log"
    echo "drill: the backup failed (exit $status)" >&2
  fi
  backup_seconds=$(elapsed "$step" "$(now)")
else
  echo "drill: using the existing backup $backup"
fi

# --- 2. the scratch database and folder, and the restore ---
if [ "$status" = 0 ]; then
  ops_connect "${server_url:-$source_url}"
  scratch_url=$(ops_py url "$scratch")
  echo "drill: creating the scratch database $scratch on ${PGHOST:-the local socket} (PostgreSQL $OPS_SERVER_VERSION)"
  ops_py createdb "$scratch"
  created=true
  step=$(now)
  "$OPS_ROOT/scripts/restore.sh" "$backup" --database-url "$scratch_url" --media-dir "$work/media" --no-verify ||
    status=$?
  restore_seconds=$(elapsed "$step" "$(now)")
  [ "$status" = 0 ] || echo "drill: the restore failed (exit $status)" >&2
fi

if [ "$status" = 0 ] && [ -n "${RESTORE_DRILL_AFTER_RESTORE:-}" ]; then
  echo "drill: running RESTORE_DRILL_AFTER_RESTORE (a test of the drill; the result below is not a real drill)"
  DRILL_DATABASE_URL=$scratch_url DRILL_MEDIA_DIR=$work/media DRILL_BACKUP_DIR=$backup \
    bash -c "$RESTORE_DRILL_AFTER_RESTORE"
fi

# --- 3. the comparison with the manifest ---
if [ "$status" = 0 ]; then
  step=$(now)
  "$OPS_ROOT/scripts/restore.sh" --verify-only "$backup" --database-url "$scratch_url" --media-dir "$work/media" \
    --report "$work/verify.json" || status=$?
  verify_seconds=$(elapsed "$step" "$(now)")
fi

ops_py drill-summary "$work/verify.json" "$backup_seconds" "$restore_seconds" "$verify_seconds" \
  "$(elapsed "$started" "$(now)")" "$status" "$report" "$scratch" "$work/media" "$keep"
# 3 from restore.sh: the data is identical and this code has newer migrations (see the summary).
case "$status" in 0 | 3) exit 0 ;; *) exit 1 ;; esac
