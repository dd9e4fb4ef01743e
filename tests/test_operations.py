"""Operations a deployment relies on: the restore drill (pg_dump, restore, the audit chain checked against
the checkpoint taken before the backup) and the daily signed checkpoint file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from throughcare.audit import anchor
from throughcare.audit.chain import checkpoint
from throughcare.test import Cast

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the drill backs up PostgreSQL")
def test_the_restore_drill_restores_a_backup_whose_audit_chain_reaches_the_checkpoint(cast: Cast) -> None:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    done = subprocess.run(
        ["ops/restore-drill"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Audit log intact: {checkpoint().count} events" in done.stdout
    assert "restore drill passed" in done.stdout


@pytest.mark.django_db
def test_the_daily_run_writes_and_mails_a_signed_checkpoint_that_audit_verify_checks(
    cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path)
    settings.AUDIT_CHECKPOINT_EMAIL = "audit-anchor@example.org"
    today = timezone.localdate()
    assert anchor.write_checkpoint(today - timedelta(days=1)) == 0  # a past day's head is not known
    assert anchor.write_checkpoint(today) == 1
    written = tmp_path / f"audit-checkpoint-{today.isoformat()}.txt"
    assert anchor.read(written.read_text()) == checkpoint()
    assert mail.outbox[0].to == ["audit-anchor@example.org"] and "signature: " in mail.outbox[0].body
    call_command("audit_verify", "--checkpoint-file", str(written))  # intact: no error

    forged = written.read_text().replace(f"checkpoint: {checkpoint().count}:", "checkpoint: 1:")
    written.write_text(forged)
    with pytest.raises(Exception, match="Not a checkpoint signed"):
        call_command("audit_verify", "--checkpoint-file", str(written))
