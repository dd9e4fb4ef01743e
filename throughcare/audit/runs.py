"""An event's chain in bytes, apart from Django: what a hash covers, and a chunk of events (as
`walking.Source.chunk_sql` reads them) examined as one run. The processes that verify chunks beside
`audit_verify` need only this module: they are forked from a server process with a single thread, not from
a process whose other threads may hold a lock the child would wait on for ever.
"""

from __future__ import annotations

import hmac
import json
import re
from binascii import hexlify
from dataclasses import dataclass
from typing import Any

import psycopg

try:  # OpenSSL's one-shot HMAC without the `hmac` module's Python wrapper (a third of the cost per event)
    from _hashlib import hmac_digest as hmac_digest
except ImportError:  # pragma: no cover — a Python built without OpenSSL
    hmac_digest = hmac.digest


def said_in(body: str) -> dict[str, Any]:
    """Recipients and details from a body (an array; an event from before bodies were kept holds an
    object with them)."""
    told = json.loads(body)
    if isinstance(told, list):
        return {"recipients": told[8], "details": told[9]}
    return {"recipients": told.get("recipients", []), "details": told.get("details", {})}


def message(prev_hash: bytes, seq: bytes, body: bytes) -> bytes:
    """What an event's chain hash covers. An event from before bodies were kept (its body a JSON object
    holding its place) was hashed over the previous hash and its body alone."""
    if body[:1] == b"{":
        return prev_hash + b"\n" + body
    return prev_hash + b"\n" + seq + b"\n" + body


def lists_agree(body: bytes, listed: bytes) -> bool:
    """An event about no single case ("n" and the ids the index names): the cases its body lists are
    the cases the index names."""
    if not listed.startswith(b"n"):
        return False
    listed = listed[1:]
    shown = said_in(body.decode()).get("details", {}).get("shown")
    named = sorted(int(k) for k in shown) if isinstance(shown, dict) else []
    return named == ([int(c) for c in listed.split(b",")] if listed else [])


TIME_ENDS = 37  # where the body's start goes on after the time: ["YYYY-MM-DDTHH:MM:SS.ffffff+00:00","
# The rest of the body's start, from the columns quoted as they are (operation, the numbers, object type and
# id, justification), and the quotes it holds when no column holds one.
AFTER_TIME = b'%b",%b,"%b","%b","%b",'
QUOTES_AFTER_TIME = 7


FIELDS = 9  # the fields read of each event (walking.FIELDS_SQL)
# A reading connection reads a chunk along the seq index (a sequential or bitmap scan would return it in
# the order rows lie on disk).
READ_IN_ORDER = "SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off"


@dataclass(frozen=True)
class Run:
    """A chunk whose events all follow one another and verify: where it starts and ends in the chain."""

    first_seq: int
    first_prev: str
    last_seq: int
    last_hash: str


def examine(data: bytes, chain_key: bytes) -> Run | None:
    """A chunk as one run: every event follows the one before (its previous hash the hash before it, its
    place covered by its own hash), its hash and columns right, its list's cases as indexed. None at the
    first thing that is not (the chunk is then walked event by event). Written for speed: this loop is the
    cost of verification."""
    rows = data.split(b"\x01") if data else []
    if not rows or rows[0][64:65] != b"\n":
        return None
    first = prev = rows[0][:64]
    said = b""
    for row in rows:
        fields = row.split(b"\x02", FIELDS - 1)
        if len(fields) != FIELDS:
            return None
        said, digest, flags, listed, numbers, operation, kind, oid, why = fields
        start = AFTER_TIME % (operation, numbers, kind, oid, why)
        plain = not flags and start.count(b'"') == QUOTES_AFTER_TIME and b"\\" not in start
        plain = plain and said.startswith(start, said.find(b"\n", 65) + 1 + TIME_ENDS)
        if (
            not said.startswith(prev)
            or hexlify(hmac_digest(chain_key, said, "sha256")) != digest
            or not (plain or columns_agree(fields))
            or (listed and not lists_agree(body_of(said), listed))
        ):
            return None
        prev = digest
    first_seq, last_seq = seq_of(rows[0].split(b"\x02", 1)[0]), seq_of(said)
    if first_seq is None or last_seq is None or last_seq - first_seq + 1 != len(rows):
        return None
    return Run(first_seq, first.decode(), last_seq, prev.decode())


def seq_of(said: bytes) -> int | None:
    """The place an event's hash covers (an event from before bodies were kept holds it in its body)."""
    body = body_of(said)
    if body[:1] == b"{":
        try:
            seq = json.loads(body).get("seq")
        except (ValueError, AttributeError):
            return None
        return seq if isinstance(seq, int) else None
    place = said[65 : len(said) - len(body) - 1]
    return int(place) if place.isdigit() else None


def body_of(said: bytes) -> bytes:
    """The body in what an event's hash covers: after the previous hash and (not in an old body) its place."""
    body = said[65:]
    return body if body[:1] == b"{" else body[body.find(b"\n") + 1 :]


COPY_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
ESCAPED = re.compile(rb"\\(.)", re.DOTALL)


def unescaped(field: bytes) -> bytes:
    """A field of COPY's text format as it is."""
    if b"\\" not in field:
        return field
    if field == rb"\N":
        return b""  # NULL: no field read here is null
    return ESCAPED.sub(lambda found: COPY_ESCAPES.get(found.group(1), found.group(1)), field)


def columns_agree(fields: list[bytes]) -> bool:
    """The columns say what the start of the body says. Where no text column holds a character JSON would
    escape (no quote: exactly seven in the start after the time; no backslash), the start is the columns
    quoted as they are; otherwise the body is parsed."""
    said, _, flags, _, numbers, operation, kind, oid, why = fields
    if flags:
        return flags == b"true"  # an old body, checked by the database; "f": the time differs
    body = body_of(said)
    start = AFTER_TIME % (operation, numbers, kind, oid, why)
    if body.startswith(start, TIME_ENDS) and start.count(b'"') == QUOTES_AFTER_TIME and b"\\" not in start:
        return True
    try:
        told = json.loads(body)
        columns = [operation.decode(), *(None if n == b"null" else int(n) for n in numbers.split(b","))]
        columns += [kind.decode(), oid.decode(), why.decode()]
    except ValueError:
        return False
    return isinstance(told, list) and told[1:8] == columns


def copied(cursor: Any, sql: str) -> bytes:
    """What a COPY TO STDOUT sends: lines of text, without the last line end, or (binary format) the one
    field of its one row (nothing for a chunk of no events)."""
    with cursor.copy(sql) as copy:
        data = b"".join(bytes(block) for block in copy)
    if not data.startswith(BINARY_SIGNATURE):
        return data.removesuffix(b"\n")
    at = 19 + int.from_bytes(data[15:19], "big")  # after the header and its extension
    length = int.from_bytes(data[at + 2 : at + 6], "big", signed=True)  # after the row's count of fields
    return data[at + 6 : at + 6 + length] if length > 0 else b""


BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


# A worker: one process of a verification, reading and examining chunks on its own connection. It is
# forked from multiprocessing's fork server (a process that has only one thread), never from the
# verifying process: a fork copies whatever locks the parent's other threads held at that moment, and a
# child that needs one waits for ever.
_worker: dict[str, Any] = {}


def start_worker(params: dict[str, Any], chain_key: bytes) -> None:
    _worker["params"], _worker["key"] = params, chain_key


def examine_in_worker(sql: str) -> Run | None:
    """A chunk's run (None: not one). The connection is made with the first chunk, so that a worker which
    cannot connect fails that chunk, and the verification with it, rather than being started again and
    again by its pool."""
    if "db" not in _worker:
        _worker["db"] = psycopg.connect(**_worker["params"], autocommit=True)
        _worker["db"].execute(READ_IN_ORDER)
    with _worker["db"].cursor() as cursor:
        return examine(copied(cursor, sql), _worker["key"])
