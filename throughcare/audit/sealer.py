"""The sealer: a thread in each web process (or `manage.py audit_seal --follow`) that seals waiting
consultations into the chain every `AUDIT_SEAL_INTERVAL` seconds. Several processes (and machines) may each
run one: a round that finds the chain head locked by another sealer leaves the work to it (`chain.seal`)."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

from throughcare.audit.chain import seal_all

logger = logging.getLogger(__name__)
_started = threading.Event()


def start() -> None:
    """Start this process's sealer thread, once (wsgi.py, when AUDIT_SEALER is "thread")."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(
        target=follow, args=(settings.AUDIT_SEAL_INTERVAL,), name="audit-sealer", daemon=True
    ).start()


def follow(interval: float) -> None:
    """Seal what waits every `interval` seconds, for ever; a failed round is logged and the next one
    seals what still waits (the thread here, and `manage.py audit_seal --follow`)."""
    while True:
        try:
            seal_all()
        except Exception:  # a database away for a moment: the next round seals what waits
            logger.exception("Sealing audit events failed; trying again")
        finally:
            close_old_connections()
        time.sleep(max(0.05, interval))
