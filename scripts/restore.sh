#!/usr/bin/env bash
# Restore a backup written by scripts/backup.sh, then check the result (docs/OPERATIONS.md).
#
#   scripts/restore.sh BACKUP_DIR [--database-url URL] [--media-dir DIR] [--force] [--jobs N]
#                      [--no-verify] [--report FILE]
#   scripts/restore.sh --verify-only BACKUP_DIR [--database-url URL] [--media-dir DIR] [--report FILE]
#
#   --database-url URL  the database to restore into; it must exist (createdb -T template0) and be
#                       empty (default: the application's, DATABASE_URL or .env)
#   --media-dir DIR     the folder to unpack the media into; it must be missing or empty
#                       (default: the application's MEDIA_ROOT)
#   --force             restore over a database that holds tables (its schema public is dropped
#                       first) and over a media folder with files (it is moved aside to
#                       DIR.before-restore-<time>, never deleted)
#   --jobs N            pg_restore in N parallel jobs (default 1: one transaction, all or nothing)
#   --no-verify         skip the checks after restoring
#   --verify-only       restore nothing; only compare the database and folder with the backup
#   --report FILE       write the comparison as JSON
#
# Before touching anything the backup's files are checked against the sha256 in its manifest and
# the archive is read with pg_restore --list. After restoring: ANALYZE (pg_restore does not carry
# the planner's statistics), `manage.py migrate --check`, and the row count of every table and the
# sha256 of every media file compared with the manifest.
#
# Exit status: 0 restored and identical to the backup; 1 the backup is damaged, the restore failed
# or the restored data differs (the differences are printed); 2 refused (not PostgreSQL, target not
# empty, bad arguments); 3 the data is identical but this code has migrations the backup had not
# applied: run `manage.py migrate`.
set -euo pipefail
# shellcheck disable=SC2034 # read by backup.sh: relative paths given are relative to where we ran
OPS_CALLER_PWD=$PWD
# shellcheck source=scripts/backup.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup.sh"
OPS_PROG=restore.sh
export OPS_PROG

backup="" url="" media="" force=false jobs=1 verify=true restore=true report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) url=$2; shift 2 ;;
    --media-dir) media=$(ops_abspath "$2"); shift 2 ;;
    --force) force=true; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-verify) verify=false; shift ;;
    --verify-only) restore=false; shift ;;
    --report) report=$(ops_abspath "$2"); shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) ops_die "unknown option $1 (see --help)" ;;
    *) [ -z "$backup" ] || ops_die "one backup folder only"; backup=$(ops_abspath "$1"); shift ;;
  esac
done
[ -n "$backup" ] || ops_die "which backup? usage: restore.sh BACKUP_DIR [options] (see --help)"
[ -d "$backup" ] || ops_die "$backup is not a folder"
case "$jobs" in [1-9] | [1-9][0-9]) ;; *) ops_die "--jobs takes a number from 1 to 99" ;; esac

ops_connect "$url" --media
media=${media:-$OPS_MEDIA_ROOT}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

verify_restored() {
  local migrate_status=0
  echo "verify: manage.py migrate --check against $PGDATABASE"
  if [ -n "$url" ]; then
    (cd "$OPS_ROOT" && DATABASE_URL="$url" "$PYTHON" manage.py migrate --check --noinput -v 1 >"$work/migrate.txt" 2>&1) ||
      migrate_status=$?
  else
    (cd "$OPS_ROOT" && "$PYTHON" manage.py migrate --check --noinput -v 1 >"$work/migrate.txt" 2>&1) || migrate_status=$?
  fi
  ops_py verify "$backup" "$media" "$report" "$migrate_status" "$work/migrate.txt"
}

if ! $restore; then
  ops_py check-files "$backup" || exit 1
  verify_restored
  exit 0
fi

# --- checks before anything is changed ---
ops_py check-files "$backup" || exit 1
pg_restore=$(ops_find_tool pg_restore "$OPS_SERVER_MAJOR")
if ! "$pg_restore" --list "$backup/database.dump" >"$work/toc.txt" 2>"$work/toc.err"; then
  cat "$work/toc.err" >&2
  echo "restore.sh: $pg_restore cannot read $backup/database.dump (an older pg_restore than the dump's pg_dump?)" >&2
  exit 1
fi
relations=$(ops_py relations)
if [ "$relations" != 0 ] && ! $force; then
  ops_die "the database $PGDATABASE already holds $relations tables, views or sequences; restoring over it would" \
    "mix two states. Restore into an empty database, or pass --force to drop its schema public first."
fi
media_has_files=false
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
  media_has_files=true
  $force || ops_die "the media folder $media is not empty; restore into an empty folder, or pass --force to move it aside."
  if [ "$(stat -c %d "$media")" != "$(stat -c %d "$media/..")" ]; then
    ops_die "the media folder $media is a mount point with files; empty it (move them elsewhere) and run again."
  fi
elif [ -e "$media" ] && [ ! -d "$media" ]; then
  ops_die "$media exists and is not a folder"
fi

# --- the database ---
started=$(date +%s)
if [ "$relations" != 0 ]; then
  echo "restore: --force: dropping schema public of $PGDATABASE ($relations relations)"
  ops_py reset-schema
fi
echo "restore: database $PGDATABASE (PostgreSQL $OPS_SERVER_VERSION) from $backup/database.dump with $pg_restore"
if [ "$jobs" = 1 ]; then
  mode=(--single-transaction)
else
  mode=(--jobs "$jobs")
fi
if ! "$pg_restore" --no-owner --no-privileges --exit-on-error "${mode[@]}" --dbname "$PGDATABASE" \
  "$backup/database.dump"; then
  echo "restore.sh: pg_restore failed; the database may be partly restored (run again with --force)" >&2
  exit 1
fi
ops_py analyze

# --- the media ---
stamp=$(date -u +%Y%m%dT%H%M%SZ)
if $media_has_files; then
  echo "restore: moving the present media folder aside to $media.before-restore-$stamp"
  mv "$media" "$media.before-restore-$stamp"
fi
mkdir -p "$media"
tar -xzf "$backup/media.tar.gz" -C "$media" --no-same-owner
echo "restore: media unpacked into $media; took $(($(date +%s) - started)) s in all"

if $verify; then
  verify_restored
fi
