"""Benchmark: audit verification against raw HMAC-SHA-256 over the same bytes, in one run.

Builds `BENCH_EVENTS` chained events (default 1,000,000) with the scale world's loader into the database in
`DATABASE_URL` (an empty PostgreSQL database: the scale world is written with COPY), then, interleaved
`BENCH_RUNS` times (default 3):

- **verify**: `find_break(workers=N)` — what `manage.py audit_verify` runs (N: one process per core, as
  its default): every sealed event streamed in order, its chain hash recomputed, its columns checked against
  its body; and the same in this process alone (`--workers 1`, a second connection reading ahead);
- **raw HMAC**: the messages the chain hashes cover (previous hash, position, body), read into memory
  beforehand and not timed, each put through `hmac.digest(key, message, "sha256")` in one process — the
  ceiling; and through OpenSSL's one-shot HMAC without the `hmac` module's Python wrapper
  (`_hashlib.hmac_digest`, which verification calls), a tenth faster.

Both figures are MB/s over the same bytes; the target is verify ≥ 50 % of raw. For comparison the way
verification worked before (model instances, JSON rebuilt per event) runs on the first 200,000 events.

Then the log by month (PostgreSQL): how many monthly partitions the events fill; the oldest month archived
(verified and detached), verified on its own (`audit_verify --archived`), the whole log verified across
it, and the month attached again; and sealing — `BENCH_SEAL` consultations (default 20,000) written
unsealed as page views write them, then sealed into the chain, each moved into its month's partition.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit make bench-audit
"""

from __future__ import annotations

import hmac
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
OLD_SAMPLE = 200_000


def build() -> None:
    from throughcare.audit.models import AuditEvent
    from throughcare.demo.scale_world import Shape, World

    call_command("migrate", verbosity=0)
    if AuditEvent.objects.exists():
        print(f"Using the {AuditEvent.objects.count():,} events already in the database.")
        return
    started = time.perf_counter()
    World(Shape(cases=max(1, EVENTS // 100), entries=1, audit=100)).build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    print(f"Built {EVENTS:,} events in {time.perf_counter() - started:.0f} s.")


def messages() -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prev_hash, seq, body FROM audit_auditevent WHERE seq IS NOT NULL ORDER BY seq")
        return [f"{prev}\n{seq}\n{body}".encode() for prev, seq, body in cursor.fetchall()]


def raw_hmac(all_messages: list[bytes], digest: Callable[[bytes, bytes, str], bytes]) -> float:
    key = settings.AUDIT_CHAIN_KEY.encode()
    started = time.perf_counter()
    for message in all_messages:
        digest(key, message, "sha256")
    return time.perf_counter() - started


WORKERS = min(os.cpu_count() or 1, 8)  # audit_verify's default


def verify(workers: int) -> float:
    from throughcare.audit.chain import find_break

    started = time.perf_counter()
    assert find_break(workers=workers) is None
    return time.perf_counter() - started


def old_way(limit: int) -> float:
    """Before: model instances, each event's JSON rebuilt and hashed (as `chain_hash` over its payload)."""
    import json

    from throughcare.audit.models import AuditEvent

    key = settings.AUDIT_CHAIN_KEY.encode()
    started = time.perf_counter()
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        payload = json.dumps([event.seq, *event.content()], sort_keys=True, separators=(",", ":"))
        hmac.digest(key, (event.prev_hash or "").encode() + b"\n" + payload.encode(), "sha256")
        limit -= 1
        if not limit:
            break
    return time.perf_counter() - started


def main() -> None:
    build()
    all_messages = messages()
    size = sum(map(len, all_messages)) / 1e6
    count = len(all_messages)
    print(f"Audit verification: {count:,} events, {size:,.1f} MB hashed, {RUNS} runs, {connection.vendor}")
    from throughcare.audit.runs import hmac_digest

    alone, raw, one_shot = "verify, 1 process", "raw hmac.digest", "raw one-shot"
    times: dict[str, list[float]] = {"verify": [], alone: [], raw: [], one_shot: []}
    for _ in range(RUNS):
        times["verify"].append(verify(WORKERS))
        times[alone].append(verify(1))
        times[raw].append(raw_hmac(all_messages, hmac.digest))
        times[one_shot].append(raw_hmac(all_messages, hmac_digest))
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:<17} median {median:6.2f} s {size / median:6.1f} MB/s {count / median:10,.0f} events/s"
        )
    for name in (raw, one_shot):
        ratio = statistics.median(times[name]) / statistics.median(times["verify"])
        print(f"  verify ({WORKERS} workers) runs at {ratio:.0%} of {name} (target: at least 50 %)")
    sample = min(OLD_SAMPLE, count)
    seconds = old_way(sample)
    per_event = size / count
    print(
        f"  before (model instances, JSON rebuilt): {sample / seconds:,.0f} events/s, "
        f"{sample * per_event / seconds:.1f} MB/s on the first {sample:,} events"
    )
    if connection.vendor == "postgresql":
        months()
        sealing(int(os.environ.get("BENCH_SEAL", "20000")))


def months() -> None:
    from throughcare.audit import archive, partitions
    from throughcare.audit.chain import find_break

    attached = partitions.attached()
    print(f"The log by month: {len(attached)} monthly partitions")
    oldest = attached[0]
    started = time.perf_counter()
    archived = archive.archive(oldest)
    took = time.perf_counter() - started
    print(f"  {oldest:%Y-%m} archived ({archived.events:,} events, verified first) in {took:.2f} s")
    started = time.perf_counter()
    assert archive.verify_archived(archived) is None
    took = time.perf_counter() - started
    rate = archived.events / took
    print(f"  the archived month verified on its own in {took:.2f} s ({rate:,.0f} events/s)")
    started = time.perf_counter()
    assert find_break(workers=WORKERS) is None
    print(f"  the log verified across the archived month in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    archive.restore(oldest)
    print(f"  the month attached again (verified first) in {time.perf_counter() - started:.2f} s")


def sealing(count: int) -> None:
    from throughcare.accounts.models import User
    from throughcare.audit.chain import seal_all
    from throughcare.audit.log import record_consultation

    reader = User.objects.order_by("pk").first()
    assert reader is not None
    started = time.perf_counter()
    for n in range(count):
        record_consultation(
            by=reader, agency=None, object_type="cases.timelineentry", shown={n % 1000 + 1: [n]},
            justification="case page: lead", channel="case page",
        )  # fmt: skip
    wrote = time.perf_counter() - started
    started = time.perf_counter()
    sealed = seal_all()
    took = time.perf_counter() - started
    print(
        f"Sealing: {count:,} consultations written unsealed at {count / wrote:,.0f}/s (one connection); "
        f"{sealed:,} sealed into the chain and their months at {sealed / took:,.0f} events/s"
    )


if __name__ == "__main__":
    main()
