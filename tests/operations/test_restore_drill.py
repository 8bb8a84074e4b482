"""Backups and the restore drill (scripts/backup.sh, restore.sh, restore_drill.sh) against PostgreSQL.

A dedicated source database is migrated and filled with the demo data (`seed_demo`) and a few media
files of our own; the drill must bring it back table by table and file by file, and must fail
when the restored copy differs from the backup. The scripts run as subprocesses, as an operator
runs them; every database they create is dropped afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://", "pgsql://"))


def needs_postgres(test):
    """Marked `postgres`, and skipped without a PostgreSQL DATABASE_URL (CI has one)."""
    return pytest.mark.postgres(pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")(test))


TIMEOUT = 1800

# Media files of our own next to the demo's uploads: a Chinese name, a space, nesting, an empty file.
EXTRA_MEDIA = {
    "issues/photos/2026/05/群众来信 照片.jpg": bytes(range(256)) * 40,
    "stations/documents/制度汇编.pdf": b"%PDF-1.4\n% rules of the station\n",
    "suggestions/replies/2026/empty.txt": b"",
    "deputies/photos/a/b/c/deep.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 512,
}


@dataclass
class Source:
    name: str
    url: str
    media: Path
    env: dict[str, str]


def database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def connect(url: str):
    import psycopg2

    return psycopg2.connect(url)


def create_database(name: str) -> None:
    from psycopg2 import sql

    connection = connect(SERVER_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    connection.close()


def drop_database(name: str) -> None:
    from psycopg2 import sql

    connection = connect(SERVER_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    connection.close()


def database_exists(name: str) -> bool:
    connection = connect(SERVER_URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def row_counts(url: str) -> dict[str, int]:
    """Every table of schema public with its rows, counted here (not by the scripts)."""
    from psycopg2 import sql

    connection = connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def media_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def run(command: list[str], env: dict[str, str], **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own scripts and manage.py, with fixed arguments
        command,
        cwd=ROOT,
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def drill(source: Source, tmp_path: Path, *options: str, **extra_env: str):
    """Run the drill with a scratch database of our naming; return (result, report, scratch name)."""
    scratch = f"congress_drill_t_{uuid.uuid4().hex[:10]}"
    report = tmp_path / "drill.json"
    result = run(
        [str(SCRIPTS / "restore_drill.sh"), "--scratch-db", scratch, "--report", str(report), *options],
        source.env,
        **extra_env,
    )
    return result, (json.loads(report.read_text(encoding="utf-8")) if report.exists() else None), scratch


def python_hook(code: str) -> str:
    """A RESTORE_DRILL_AFTER_RESTORE command that runs `code` with the project's Python."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A migrated database with the demo data, and its media folder (demo uploads and ours)."""
    if not ON_POSTGRES:
        pytest.skip("needs PostgreSQL (DATABASE_URL); run by CI")
    name = f"congress_drill_src_{uuid.uuid4().hex[:8]}"
    url = database_url(name)
    media = tmp_path_factory.mktemp("drill-source") / "media"
    media.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}}
    # Test mode (eager Celery, no broker), the source database and media folder, no shared Redis.
    env.update(DJANGO_ENV="test", DJANGO_SETTINGS_MODULE="congress.settings", DATABASE_URL=url, MEDIA_ROOT=str(media))
    create_database(name)
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
            result = run([sys.executable, "manage.py", *command], env)
            assert result.returncode == 0, output(result)[-5000:]
        for relative, content in EXTRA_MEDIA.items():
            path = media / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield Source(name=name, url=url, media=media, env=env)
    finally:
        drop_database(name)


@pytest.fixture(scope="module")
def backup(source, tmp_path_factory):
    """One backup of the source, taken with backup.sh."""
    out = tmp_path_factory.mktemp("drill-backups")
    result = run([str(SCRIPTS / "backup.sh"), "--out", str(out)], source.env)
    assert result.returncode == 0, output(result)
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert folder.parent == out
    return folder


@needs_postgres
def test_the_manifest_describes_the_source(source, backup):
    # given the backup of the demo database
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))

    # then it names every table with the rows the source has, and every media file with its checksum
    source_counts = row_counts(source.url)
    assert manifest["tables"] == source_counts
    assert manifest["totals"] == {"tables": len(source_counts), "rows": sum(source_counts.values())}
    assert source_counts["deputies_deputy"] >= 400  # the demo's registry is in it
    checksums = {name: item["sha256"] for name, item in manifest["media"]["checksums"].items()}
    assert checksums == media_checksums(source.media)
    assert set(EXTRA_MEDIA) <= set(checksums)
    # the files are described exactly, and the migrations of this code are all applied
    for name in ("database.dump", "media.tar.gz"):
        data = (backup / name).read_bytes()
        assert manifest["files"][name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["migrations"]["applied"] > 0
    assert manifest["migrations"]["unapplied"] == []
    # and nobody but the owner may read it (personal data)
    assert (backup.stat().st_mode & 0o077) == 0
    assert ((backup / "database.dump").stat().st_mode & 0o077) == 0


@needs_postgres
def test_the_drill_restores_the_demo_data_whole(source, tmp_path):
    # when the drill backs up the source and restores it (kept, to look at it ourselves)
    result, report, scratch = drill(
        source, tmp_path, "--source-url", source.url, "--media-root", str(source.media), "--keep"
    )
    try:
        # then it passes and says so with the numbers and the time taken
        assert result.returncode == 0, output(result)
        assert "Restore drill: PASS" in result.stdout
        assert report["result"] == "pass"
        source_counts = row_counts(source.url)
        tables = report["report"]["tables"]
        assert tables["expected"] == tables["actual"] == tables["matching"] == len(source_counts)
        assert tables["expected_rows"] == tables["actual_rows"] == sum(source_counts.values())
        assert tables["differences"] == []
        media = report["report"]["media"]
        source_media = media_checksums(source.media)
        assert media["expected_files"] == media["actual_files"] == media["matching_files"] == len(source_media)
        assert report["seconds"]["total"] > 0
        print(  # the figures of the drill on the demo data, for the record (pytest -s)
            f"\ndrill on the demo data: {len(source_counts)} tables, {sum(source_counts.values())} rows, "
            f"{len(source_media)} media files, {report['seconds']}"
        )

        # and the restored copy, counted by this test, equals the source
        assert report["scratch"]["kept"] is True
        assert row_counts(database_url(scratch)) == source_counts
        assert media_checksums(Path(report["scratch"]["media"])) == source_media
    finally:
        drop_database(scratch)
        shutil.rmtree(Path(report["scratch"]["media"]).parent if report else tmp_path, ignore_errors=True)


@needs_postgres
def test_the_drill_fails_when_rows_or_a_table_are_missing(source, backup, tmp_path):
    # given a restored copy that loses three rows of one table and a whole other table
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    hook = python_hook(
        "import os, psycopg2\n"
        "connection = psycopg2.connect(os.environ['DRILL_DATABASE_URL'])\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('DELETE FROM deputies_historicaldeputy WHERE history_id IN "
        "(SELECT history_id FROM deputies_historicaldeputy ORDER BY history_id LIMIT 3)')\n"
        "cursor.execute('DROP TABLE suggestions_historicalsuggestion')\n"
        "connection.commit()\n"
    )

    # when the drill runs on the backup
    result, report, scratch = drill(source, tmp_path, "--backup", str(backup), RESTORE_DRILL_AFTER_RESTORE=hook)

    # then it fails and names both tables with the numbers
    assert result.returncode == 1, output(result)
    assert "Restore drill: FAIL" in result.stdout
    deputies = manifest["tables"]["deputies_historicaldeputy"]
    suggestions = manifest["tables"]["suggestions_historicalsuggestion"]
    assert deputies >= 3
    assert report["report"]["tables"]["differences"] == [
        {"table": "deputies_historicaldeputy", "expected": deputies, "actual": deputies - 3},
        {"table": "suggestions_historicalsuggestion", "expected": suggestions, "actual": None},
    ]
    assert f"DIFFERENT table deputies_historicaldeputy: backup {deputies:,} rows, restored {deputies - 3:,}" in (
        result.stdout
    )
    assert "DIFFERENT table suggestions_historicalsuggestion" in result.stdout
    assert report["report"]["media"]["missing"] == report["report"]["media"]["changed"] == []
    # and the scratch database is gone although the drill failed
    assert not database_exists(scratch)


@needs_postgres
def test_the_drill_fails_when_media_files_are_missing_changed_or_extra(source, backup, tmp_path):
    # given a restored media folder with one file gone, one altered and one that was never backed up
    gone, altered = "issues/photos/2026/05/群众来信 照片.jpg", "stations/documents/制度汇编.pdf"
    hook = (
        f'rm "$DRILL_MEDIA_DIR"/{shlex.quote(gone)} && '
        f'printf x >> "$DRILL_MEDIA_DIR"/{shlex.quote(altered)} && '
        'touch "$DRILL_MEDIA_DIR/stray.txt"'
    )

    # when the drill runs on the backup
    result, report, scratch = drill(source, tmp_path, "--backup", str(backup), RESTORE_DRILL_AFTER_RESTORE=hook)

    # then it fails and names each file
    assert result.returncode == 1, output(result)
    assert "Restore drill: FAIL" in result.stdout
    media = report["report"]["media"]
    assert (media["missing"], media["changed"], media["extra"]) == ([gone], [altered], ["stray.txt"])
    assert media["matching_files"] == media["expected_files"] - 2
    assert f"DIFFERENT media file missing: {gone}" in result.stdout
    assert f"DIFFERENT media file changed: {altered}" in result.stdout
    assert report["report"]["tables"]["differences"] == []
    assert not database_exists(scratch)


@needs_postgres
def test_the_drill_refuses_a_damaged_backup(source, backup, tmp_path):
    # given a copy of the backup whose dump lost a byte in the middle
    damaged = tmp_path / backup.name
    shutil.copytree(backup, damaged)
    dump = damaged / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    # when the drill runs on it
    result, report, scratch = drill(source, tmp_path, "--backup", str(damaged))

    # then it fails before restoring anything, and says why
    assert result.returncode == 1, output(result)
    assert "the backup is damaged: database.dump does not match the sha256 in its manifest" in output(result)
    assert "Restore drill: FAIL" in result.stdout
    assert report["report"] == {}
    assert not database_exists(scratch)


@needs_postgres
def test_restore_refuses_a_database_with_tables_unless_forced(source, backup, tmp_path):
    # given an empty database and an empty folder to restore into
    target = f"congress_drill_t_{uuid.uuid4().hex[:10]}"
    create_database(target)
    target_url = database_url(target)
    media = tmp_path / "media"
    restore = [str(SCRIPTS / "restore.sh"), str(backup), "--database-url", target_url, "--media-dir", str(media)]
    try:
        # when the backup is restored there, it is restored and verified
        first = run(restore, source.env)
        assert first.returncode == 0, output(first)
        assert "manage.py migrate --check: ok" in first.stdout
        assert row_counts(target_url) == row_counts(source.url)

        # when someone writes there and restores again without --force, it is refused and nothing changes
        connection = connect(target_url)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM deputies_historicaldeputy")
        connection.commit()
        connection.close()
        before = row_counts(target_url)
        refused = run(restore, source.env)
        assert refused.returncode == 2, output(refused)
        assert "restoring over it would mix two states" in refused.stderr
        assert row_counts(target_url) == before

        # when it is forced, the database is the backup again and the previous media folder is kept aside
        forced = run([*restore, "--force"], source.env)
        assert forced.returncode == 0, output(forced)
        assert row_counts(target_url) == row_counts(source.url)
        assert media_checksums(media) == media_checksums(source.media)
        assert len(list(tmp_path.glob("media.before-restore-*"))) == 1
    finally:
        drop_database(target)


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    # given the embedded SQLite database of development
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}}
    env.update(DJANGO_ENV="test", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    # when a backup is asked for
    result = run([str(SCRIPTS / "backup.sh"), "--out", str(tmp_path / "backups")], env)

    # then it is refused with a reason, and nothing is written
    assert result.returncode == 2, output(result)
    assert "not PostgreSQL" in result.stderr
    assert not (tmp_path / "backups").exists()
