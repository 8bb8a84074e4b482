#!/usr/bin/env bash
# Back up the PostgreSQL database and the media folder into one timestamped folder (docs/OPERATIONS.md).
#
#   scripts/backup.sh [--out DIR] [--database-url URL] [--media-root DIR] [--keep N]
#
#   --out DIR           where backup folders go (default $BACKUP_DIR, else var/backups)
#   --database-url URL  the database to dump (default: the application's, DATABASE_URL or .env)
#   --media-root DIR    the uploads folder (default: the application's MEDIA_ROOT, var/media)
#   --keep N            afterwards delete all but the newest N backup folders in DIR
#
# Writes DIR/congress-<UTC time>/ with database.dump (pg_dump -Fc), media.tar.gz and manifest.json
# (sizes and sha256 of both files, server and pg_dump versions, the Django migrations applied, the
# row count of every table and the sha256 of every media file). Row counts and the dump come from
# one snapshot, so they agree even while the application writes. The folder is written under a
# hidden name and renamed when complete: a folder named congress-* is a whole backup. The last line
# printed is its path. Exit 2 when the database is not PostgreSQL or cannot be reached.
#
# Environment: PYTHON (default .venv/bin/python), PG_BINDIR (a folder holding pg_dump/pg_restore to
# use instead of the one matched to the server's version).
#
# restore.sh and restore_drill.sh source this file for the helpers below (ops_* functions and the
# Python helper), so what needs Python lives in one place.
set -euo pipefail

OPS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OPS_CALLER_PWD=${OPS_CALLER_PWD:-$PWD}
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$OPS_ROOT/.venv/bin/python" ]; then PYTHON="$OPS_ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi

# The Python half: run as `ops_py COMMAND ARGS`, from the repository root (so `congress.settings`
# imports). Connections use libpq's PG* variables exported by `ops_connect`.
IFS= read -r -d '' OPS_HELPER <<'PY' || true
import datetime
import hashlib
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
from urllib.parse import quote

PROG = os.environ.get("OPS_PROG", "ops")
PG_VARIABLES = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")
SSL_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


def fail(message, code=2):
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(code)


def django_settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    from django.conf import settings

    return settings


def connect(dbname=None):
    import psycopg2

    try:
        return psycopg2.connect(dbname=dbname) if dbname else psycopg2.connect("")
    except psycopg2.OperationalError as error:
        where = f"{os.environ.get('PGDATABASE', '?')} on {os.environ.get('PGHOST') or 'the local socket'}"
        fail(f"cannot connect to the database {where}: {str(error).strip()}")


def identifier(*parts):
    from psycopg2 import sql

    return sql.Identifier(*parts)


# --- settings -------------------------------------------------------------------------------------
def cmd_params(url, media_flag):
    """Shell assignments for the database of `url` (or the application's) and the media root."""
    if url:
        import environ

        database = environ.Env.db_url_config(url)
    else:
        database = dict(django_settings().DATABASES["default"])
    engine = database.get("ENGINE", "")
    if "postgresql" not in engine and "postgis" not in engine:
        kind = engine.rsplit(".", 1)[-1] or "unknown"
        fail(
            f"the database is {kind} ({database.get('NAME')}), not PostgreSQL. These scripts back up and restore "
            "PostgreSQL with pg_dump/pg_restore: point DATABASE_URL (or --database-url) at PostgreSQL. The embedded "
            "SQLite database of development is backed up by copying var/db.sqlite3 while the application is stopped."
        )
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
    }
    options = database.get("OPTIONS") or {}
    for option, variable in SSL_OPTIONS.items():
        values[variable] = str(options.get(option) or "")
    if not values["PGDATABASE"]:
        fail("the database URL names no database")
    for variable, value in values.items():
        if value:
            os.environ[variable] = value
        else:
            os.environ.pop(variable, None)
    connection = connect()
    values["OPS_SERVER_MAJOR"] = str(connection.server_version // 10000)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        values["OPS_SERVER_VERSION"] = cursor.fetchone()[0].split()[0]
    connection.close()
    if media_flag == "--media":
        values["OPS_MEDIA_ROOT"] = str(django_settings().MEDIA_ROOT)
    for variable, value in values.items():
        quoted = "'" + value.replace("'", "'\"'\"'") + "'"
        print(f"export {variable}={quoted}" if value else f"unset {variable}")


def cmd_url(dbname):
    """The URL of database `dbname` on the server of the current PG* variables."""
    user = quote(os.environ.get("PGUSER", ""), safe="")
    password = quote(os.environ.get("PGPASSWORD", ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = os.environ.get("PGHOST", "")
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{os.environ['PGPORT']}" if os.environ.get("PGPORT") else ""
    query = "&".join(
        f"{option}={quote(os.environ[variable], safe='')}"
        for option, variable in SSL_OPTIONS.items()
        if os.environ.get(variable)
    )
    print(f"postgres://{credentials}{host}{port}/{quote(dbname, safe='')}" + (f"?{query}" if query else ""))


# --- databases ------------------------------------------------------------------------------------
def cmd_createdb(name):
    import psycopg2
    from psycopg2 import sql

    connection = connect()
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(identifier(name)))
    except psycopg2.Error as error:
        fail(f"cannot create the database {name}: {str(error).strip()}")
    connection.close()


def cmd_dropdb(name):
    if name == os.environ.get("PGDATABASE"):
        fail(f"refusing to drop {name}: it is the database connected to")
    connection = connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        from psycopg2 import sql

        force = sql.SQL(" WITH (FORCE)") if connection.server_version >= 130000 else sql.SQL("")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(identifier(name)) + force)
    connection.close()


def cmd_relations():
    """How many tables, views and sequences the database holds outside the system schemas."""
    connection = connect()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
        )
        print(cursor.fetchone()[0])
    connection.close()


def cmd_reset_schema():
    """restore.sh --force: drop schema public with everything in it and create it empty."""
    connection = connect()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.commit()
    connection.close()


def cmd_analyze():
    """pg_restore brings no planner statistics; the estimated counts of the admin need them."""
    connection = connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


def table_counts(cursor):
    """{table: rows} for every table outside the system schemas (schema-qualified unless public)."""
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND NOT c.relispartition "
        "AND n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
    )
    tables = cursor.fetchall()
    from psycopg2 import sql

    counts = {}
    for schema, table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(identifier(schema, table)))
        counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def migration_state(cursor):
    """The migrations recorded in the database against those of this code."""
    cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    applied = set()
    if cursor.fetchone()[0]:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {tuple(row) for row in cursor.fetchall()}
    django_settings()
    import django

    django.setup()
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unapplied = []
    for key, migration in graph.nodes.items():
        replaced = getattr(migration, "replaces", None) or []
        if key not in applied and not (replaced and all(tuple(item) in applied for item in replaced)):
            unapplied.append(f"{key[0]}.{key[1]}")
    known = set(graph.nodes)
    for migration in graph.nodes.values():
        known.update(tuple(item) for item in (getattr(migration, "replaces", None) or []))
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return {
        "applied": len(applied),
        "latest": latest,
        "unapplied": sorted(unapplied),
        "unknown": sorted(f"{app}.{name}" for app, name in applied - known),
    }


# --- files ----------------------------------------------------------------------------------------
def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_from_archive(path):
    files = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            digest = hashlib.sha256()
            handle = archive.extractfile(member)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
            files[os.path.normpath(member.name)] = {"bytes": member.size, "sha256": digest.hexdigest()}
    return files


def media_from_folder(root):
    files = {}
    if not os.path.isdir(root):
        return files
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            files[os.path.relpath(path, root)] = {"bytes": os.path.getsize(path), "sha256": sha256_of(path)}
    return files


def summary_of(files):
    return {"files": len(files), "bytes": sum(item["bytes"] for item in files.values())}


# --- backup ---------------------------------------------------------------------------------------
def cmd_dump(pg_dump, dump_file, state_file):
    """pg_dump and the row counts from one snapshot, held open by this transaction."""
    connection = connect()
    connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        started = time.monotonic()
        dump = subprocess.run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump_file}"], check=False
        )
        if dump.returncode != 0:
            fail(f"pg_dump failed (exit {dump.returncode})", 1)
        dump_seconds = time.monotonic() - started
        state = {"tables": table_counts(cursor), "migrations": migration_state(cursor), "dump_seconds": dump_seconds}
    connection.rollback()
    connection.close()
    with open(state_file, "w", encoding="utf-8") as handle:
        json.dump(state, handle)


def cmd_manifest(folder, state_file, media_root, pg_dump_version, started):
    with open(state_file, encoding="utf-8") as handle:
        state = json.load(handle)
    files = {}
    for name in ("database.dump", "media.tar.gz"):
        path = os.path.join(folder, name)
        files[name] = {"bytes": os.path.getsize(path), "sha256": sha256_of(path)}
    media = media_from_archive(os.path.join(folder, "media.tar.gz"))
    tables = state["tables"]
    manifest = {
        "format": 1,
        "created_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "host": socket.gethostname(),
        "database": {
            "name": os.environ.get("PGDATABASE"),
            "host": os.environ.get("PGHOST") or "local socket",
            "port": os.environ.get("PGPORT") or "5432",
            "server_version": os.environ.get("OPS_SERVER_VERSION"),
            "pg_dump": pg_dump_version,
        },
        "files": files,
        "migrations": state["migrations"],
        "totals": {"tables": len(tables), "rows": sum(tables.values())},
        "tables": tables,
        "media": {"root": media_root, **summary_of(media), "checksums": media},
        "seconds": round(time.time() - float(started), 2),
    }
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False, sort_keys=False)
        handle.write("\n")
    print(
        f"backup: {len(tables)} tables, {manifest['totals']['rows']:,} rows; database.dump "
        f"{megabytes(files['database.dump']['bytes'])}; media {len(media)} files, "
        f"{megabytes(manifest['media']['bytes'])} (media.tar.gz {megabytes(files['media.tar.gz']['bytes'])}); "
        f"{manifest['migrations']['applied']} migrations applied; {manifest['seconds']} s"
    )


def megabytes(size):
    """A size for people: 812 B, 4.1 kB, 1.1 MB, 2.3 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


# --- restore and its verification -----------------------------------------------------------------
def load_manifest(folder):
    path = os.path.join(folder, "manifest.json")
    if not os.path.isfile(path):
        fail(f"{folder} is not a backup: manifest.json is missing", 1)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def cmd_check_files(folder):
    """The backup's files are whole: sizes and sha256 as the manifest says."""
    manifest = load_manifest(folder)
    for name, expected in manifest["files"].items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            fail(f"the backup is incomplete: {name} is missing", 1)
        if os.path.getsize(path) != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            fail(f"the backup is damaged: {name} does not match the sha256 in its manifest", 1)
    print(f"backup: {folder} ({manifest['created_at']}), files match the manifest")


def cmd_verify(folder, media_dir, report_file, migrate_exit, migrate_output_file):
    """Compare a restored database and media folder with the manifest; exit 0 (same), 1 (different)
    or 3 (same, but this code has migrations the backup had not applied)."""
    manifest = load_manifest(folder)
    connection = connect()
    with connection.cursor() as cursor:
        actual_tables = table_counts(cursor)
        migrations = migration_state(cursor)
    connection.close()
    expected_tables = manifest["tables"]
    differences = []
    for table in sorted(set(expected_tables) | set(actual_tables)):
        expected, actual = expected_tables.get(table), actual_tables.get(table)
        if expected != actual:
            differences.append({"table": table, "expected": expected, "actual": actual})
    expected_media = manifest["media"]["checksums"]
    actual_media = media_from_folder(media_dir)
    missing = sorted(set(expected_media) - set(actual_media))
    extra = sorted(set(actual_media) - set(expected_media))
    changed = sorted(
        name
        for name in set(expected_media) & set(actual_media)
        if expected_media[name]["sha256"] != actual_media[name]["sha256"]
    )
    matching_media = len(expected_media) - len(missing) - len(changed)
    migrate_output = ""
    if migrate_output_file and os.path.isfile(migrate_output_file):
        with open(migrate_output_file, encoding="utf-8", errors="replace") as handle:
            migrate_output = handle.read()[-4000:]
    data_ok = not differences and not (missing or extra or changed)
    migrations_ok = int(migrate_exit) == 0 and not migrations["unapplied"]
    result = "pass" if data_ok and migrations_ok else ("fail" if not data_ok else "migrate")
    report = {
        "result": result,
        "backup": os.path.abspath(folder),
        "backup_created_at": manifest["created_at"],
        "tables": {
            "expected": len(expected_tables),
            "actual": len(actual_tables),
            "matching": len(set(expected_tables) | set(actual_tables)) - len(differences),
            "expected_rows": sum(expected_tables.values()),
            "actual_rows": sum(actual_tables.values()),
            "differences": differences,
        },
        "table_counts": actual_tables,
        "media": {
            "expected_files": len(expected_media),
            "actual_files": len(actual_media),
            "matching_files": matching_media,
            "expected_bytes": sum(item["bytes"] for item in expected_media.values()),
            "actual_bytes": sum(item["bytes"] for item in actual_media.values()),
            "missing": missing,
            "extra": extra,
            "changed": changed,
        },
        "migrations": {
            "backup_applied": manifest["migrations"]["applied"],
            "applied": migrations["applied"],
            "unapplied": migrations["unapplied"],
            "unknown": migrations["unknown"],
            "migrate_check_exit": int(migrate_exit),
            "migrate_check_output": migrate_output,
        },
    }
    if report_file:
        with open(report_file, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
    tables = report["tables"]
    print(
        f"verify: tables {tables['matching']}/{len(set(expected_tables) | set(actual_tables))} match the manifest; "
        f"rows: backup {tables['expected_rows']:,}, restored {tables['actual_rows']:,}"
    )
    for item in differences[:50]:
        expected = "absent" if item["expected"] is None else f"{item['expected']:,} rows"
        actual = "absent" if item["actual"] is None else f"{item['actual']:,} rows"
        print(f"verify: DIFFERENT table {item['table']}: backup {expected}, restored {actual}")
    media = report["media"]
    print(
        f"verify: media {matching_media}/{len(expected_media)} files match the manifest; "
        f"restored {media['actual_files']} files, {megabytes(media['actual_bytes'])}"
    )
    for label, names in (("missing", missing), ("changed", changed), ("not in the backup", extra)):
        for name in names[:50]:
            print(f"verify: DIFFERENT media file {label}: {name}")
    check = "ok" if int(migrate_exit) == 0 else f"exit {migrate_exit}"
    print(
        f"verify: migrations {migrations['applied']} applied (backup {manifest['migrations']['applied']}), "
        f"{len(migrations['unapplied'])} of this code not applied; manage.py migrate --check: {check}"
    )
    if migrations["unapplied"]:
        print(f"verify: not applied: {', '.join(migrations['unapplied'][:20])}")
    if migrations["unknown"]:
        print(f"verify: applied but unknown to this code (a backup of newer code?): {', '.join(migrations['unknown'][:20])}")
    if result == "migrate":
        print("verify: the data matches; run `manage.py migrate` to bring the schema up to this code")
    sys.exit({"pass": 0, "fail": 1, "migrate": 3}[result])


def cmd_drill_summary(
    report_file, backup_seconds, restore_seconds, verify_seconds, total_seconds, status, out_file, scratch, media, kept
):
    report = {}
    if os.path.isfile(report_file):
        with open(report_file, encoding="utf-8") as handle:
            report = json.load(handle)
    # 3: the data came back whole, and this code has migrations to apply after a restore.
    passed = int(status) in (0, 3) and report.get("result") in ("pass", "migrate")
    seconds = {
        "backup": round(float(backup_seconds), 1),
        "restore": round(float(restore_seconds), 1),
        "verify": round(float(verify_seconds), 1),
        "total": round(float(total_seconds), 1),
    }
    drill = {
        "result": "pass" if passed else "fail",
        "exit_status": int(status),
        "seconds": seconds,
        "scratch": {"database": scratch, "media": media, "kept": kept == "true"},
        "report": report,
    }
    if out_file:
        with open(out_file, "w", encoding="utf-8") as handle:
            json.dump(drill, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
    print("")
    print(f"Restore drill: {'PASS' if passed else 'FAIL'}")
    if report:
        tables, media, migrations = report["tables"], report["media"], report["migrations"]
        print(f"  backup      {report['backup']} ({report['backup_created_at']})")
        print(
            f"  tables      {tables['matching']} of {max(tables['expected'], tables['actual'])} match; "
            f"rows in the backup {tables['expected_rows']:,}, restored {tables['actual_rows']:,}"
        )
        print(
            f"  media       {media['matching_files']} of {media['expected_files']} files match "
            f"({megabytes(media['expected_bytes'])}); missing {len(media['missing'])}, "
            f"changed {len(media['changed'])}, extra {len(media['extra'])}"
        )
        print(
            f"  migrations  {migrations['applied']} applied, {len(migrations['unapplied'])} of this code not applied "
            f"(run migrate after a restore); migrate --check exit {migrations['migrate_check_exit']}"
            if migrations["unapplied"]
            else f"  migrations  {migrations['applied']} applied, none pending; migrate --check exit "
            f"{migrations['migrate_check_exit']}"
        )
    else:
        print(f"  stopped before the comparison (exit {status}); see the messages above")
    print(
        f"  time        backup {seconds['backup']} s, restore {seconds['restore']} s, "
        f"verify {seconds['verify']} s, total {seconds['total']} s"
    )


COMMANDS = {
    "params": cmd_params,
    "url": cmd_url,
    "createdb": cmd_createdb,
    "dropdb": cmd_dropdb,
    "relations": cmd_relations,
    "reset-schema": cmd_reset_schema,
    "analyze": cmd_analyze,
    "dump": cmd_dump,
    "manifest": cmd_manifest,
    "check-files": cmd_check_files,
    "verify": cmd_verify,
    "drill-summary": cmd_drill_summary,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
PY

ops_py() {
  (cd "$OPS_ROOT" && "$PYTHON" -c "$OPS_HELPER" "$@")
}

ops_die() {
  echo "${OPS_PROG:-ops}: $*" >&2
  exit 2
}

# An absolute path for a path the caller gave relative to where they ran the script.
ops_abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$OPS_CALLER_PWD/$1" ;;
  esac
}

# Export PG* variables for the database of URL (empty: the application's settings) and OPS_SERVER_MAJOR,
# OPS_SERVER_VERSION (and OPS_MEDIA_ROOT with --media). Refuses anything but PostgreSQL.
ops_connect() {
  local url=$1 media=${2:-} assignments
  assignments=$(ops_py params "$url" "$media") || exit $?
  eval "$assignments"
}

# The major version of a PostgreSQL client program.
ops_tool_major() {
  "$1" --version 2>/dev/null | sed -E 's/^[^0-9]*([0-9]+).*/\1/' | head -n 1
}

# A pg_dump or pg_restore for a server of major version MAJOR: that version's own binary, else the
# newest installed one that is newer (they read older servers and archives; older ones refuse).
ops_find_tool() {
  local name=$1 major=$2 candidate found="" found_major=0 tool_major
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/$name" ] || ops_die "PG_BINDIR=$PG_BINDIR has no $name"
    printf '%s\n' "$PG_BINDIR/$name"
    return
  fi
  for candidate in "/usr/lib/postgresql/$major/bin/$name" "/usr/pgsql-$major/bin/$name" \
    "/opt/homebrew/opt/postgresql@$major/bin/$name" "/usr/local/opt/postgresql@$major/bin/$name"; do
    if [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
  for candidate in /usr/lib/postgresql/*/bin/"$name" /usr/pgsql-*/bin/"$name" "$(command -v "$name" || true)"; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    tool_major=$(ops_tool_major "$candidate")
    [ -n "$tool_major" ] || continue
    if [ "$tool_major" -ge "$major" ] && { [ -z "$found" ] || [ "$tool_major" -gt "$found_major" ]; }; then
      found=$candidate
      found_major=$tool_major
    fi
  done
  [ -n "$found" ] || ops_die "no $name for PostgreSQL $major found: install postgresql-client-$major or set PG_BINDIR"
  printf '%s\n' "$found"
}

backup_main() {
  local out="${BACKUP_DIR:-$OPS_ROOT/var/backups}" url="" media_root="" keep="" started pg_dump stamp final status
  OPS_PROG=backup.sh
  export OPS_PROG
  while [ $# -gt 0 ]; do
    case "$1" in
      --out) out=$(ops_abspath "$2"); shift 2 ;;
      --database-url) url=$2; shift 2 ;;
      --media-root) media_root=$(ops_abspath "$2"); shift 2 ;;
      --keep) keep=$2; shift 2 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
      *) ops_die "unknown argument $1 (see --help)" ;;
    esac
  done
  case "$keep" in "" | [1-9] | [1-9][0-9]*) ;; *) ops_die "--keep takes a number of backups, at least 1" ;; esac
  started=$(date +%s.%N)
  ops_connect "$url" --media
  media_root=${media_root:-$OPS_MEDIA_ROOT}
  pg_dump=$(ops_find_tool pg_dump "$OPS_SERVER_MAJOR")

  # Backups hold personal data: readable by their owner only.
  umask 077
  mkdir -p "$out"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  final="$out/congress-$stamp"
  [ ! -e "$final" ] || ops_die "$final exists already"
  # Global, for the EXIT trap: an interrupted backup leaves no folder behind.
  OPS_PARTIAL="$out/.congress-$stamp.partial"
  local partial=$OPS_PARTIAL
  rm -rf "$partial"
  mkdir "$partial"
  trap 'rm -rf "$OPS_PARTIAL"' EXIT

  echo "backup: database $PGDATABASE (PostgreSQL $OPS_SERVER_VERSION) with $pg_dump; media $media_root"
  ops_py dump "$pg_dump" "$partial/database.dump" "$partial/state.json"
  # The media after the database's snapshot, so every file a row names is in the archive.
  if [ -d "$media_root" ]; then
    # GNU tar exits 1 when a file changed or vanished while it was read (uploads go on): the archive
    # is sound and the manifest describes what it holds. 2 and above are real failures.
    tar -C "$media_root" --sort=name -czf "$partial/media.tar.gz" . || {
      status=$?
      [ "$status" = 1 ] || ops_die "tar failed (exit $status) archiving $media_root"
      echo "backup: warning: media files changed while they were archived; the manifest lists what was archived" >&2
    }
  else
    echo "backup: warning: the media folder $media_root does not exist; media.tar.gz is empty" >&2
    tar -C "$partial" -czf "$partial/media.tar.gz" --files-from /dev/null
  fi
  ops_py manifest "$partial" "$partial/state.json" "$media_root" "$("$pg_dump" --version)" "$started"
  rm -f "$partial/state.json"
  mv "$partial" "$final"
  trap - EXIT

  if [ -n "$keep" ]; then
    find "$out" -mindepth 1 -maxdepth 1 -type d -name 'congress-*' | sort -r | tail -n +"$((keep + 1))" |
      while read -r old; do
        echo "backup: removing $old (keeping the newest $keep)"
        rm -rf "$old"
      done
  fi
  echo "$final"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  backup_main "$@"
fi
