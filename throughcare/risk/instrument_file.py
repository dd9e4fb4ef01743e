"""Reading an instrument file. One record per line, comma-separated (quote fields containing commas):

    instrument,<code>,<version>,<name>,<licensed|unlicensed>
    scale,<value>,<label>                       (at least two, in order; "missing" is always added)
    domain,<code>,<title>[,protective]
    item,<code>,<domain code>,<text>[,<guidance>]

Blank lines and lines starting with # are ignored. Anything wrong is refused with its line and the reason,
and nothing is loaded.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from throughcare.accounts.models import User
from throughcare.risk.models import MISSING, Domain, Instrument, Item


class InstrumentFileError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Parsed:
    header: list[str] = field(default_factory=list)
    scale: list[tuple[str, str]] = field(default_factory=list)
    domains: dict[str, tuple[str, bool, int]] = field(default_factory=dict)  # code → title, protective, line
    items: dict[str, tuple[str, str, str, int]] = field(
        default_factory=dict
    )  # code → domain, text, guidance, line


def parse(text: str) -> Parsed:
    parsed = Parsed()
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        _record(parsed, [cell.strip() for cell in row], number)
    _check_complete(parsed)
    return parsed


def _record(parsed: Parsed, row: list[str], line: int) -> None:
    kind = row[0]
    handlers = {"instrument": _instrument, "scale": _scale, "domain": _domain, "item": _item}
    if kind not in handlers:
        raise InstrumentFileError(
            line, f"unknown record '{kind}' (expected instrument, scale, domain or item)"
        )
    handlers[kind](parsed, row, line)


def _instrument(parsed: Parsed, row: list[str], line: int) -> None:
    if parsed.header:
        raise InstrumentFileError(line, "a second 'instrument' line")
    if len(row) != 5 or not all(row[1:4]) or row[4] not in ("licensed", "unlicensed"):
        raise InstrumentFileError(line, "write: instrument,<code>,<version>,<name>,<licensed|unlicensed>")
    parsed.header = row[1:]


def _scale(parsed: Parsed, row: list[str], line: int) -> None:
    if len(row) != 3 or not row[1] or not row[2]:
        raise InstrumentFileError(line, "a scale line needs a value and a label: scale,<value>,<label>")
    if row[1] == MISSING:
        raise InstrumentFileError(line, "'missing' is added to every scale by Throughcare; do not list it")
    if row[1] in dict(parsed.scale):
        raise InstrumentFileError(line, f"scale value '{row[1]}' appears twice")
    parsed.scale.append((row[1], row[2]))


def _domain(parsed: Parsed, row: list[str], line: int) -> None:
    if (
        len(row) not in (3, 4)
        or not row[1]
        or not row[2]
        or (len(row) == 4 and row[3] not in ("", "protective"))
    ):
        raise InstrumentFileError(line, "write: domain,<code>,<title>[,protective]")
    if row[1] in parsed.domains:
        raise InstrumentFileError(
            line, f"domain code '{row[1]}' is already used on line {parsed.domains[row[1]][2]}"
        )
    parsed.domains[row[1]] = (row[2], len(row) == 4 and row[3] == "protective", line)


def _item(parsed: Parsed, row: list[str], line: int) -> None:
    if len(row) not in (4, 5) or not all(row[1:4]):
        raise InstrumentFileError(line, "write: item,<code>,<domain code>,<text>[,<guidance>]")
    code, domain = row[1], row[2]
    if code in parsed.items:
        raise InstrumentFileError(line, f"item code '{code}' is already used on line {parsed.items[code][3]}")
    if domain not in parsed.domains:
        raise InstrumentFileError(
            line, f"item '{code}' names domain '{domain}', which is not declared above it"
        )
    parsed.items[code] = (domain, row[3], row[4] if len(row) == 5 else "", line)


def _check_complete(parsed: Parsed) -> None:
    if not parsed.header:
        raise InstrumentFileError(1, "the file has no 'instrument' line")
    if len(parsed.scale) < 2:
        raise InstrumentFileError(1, "the scale needs at least two values")
    if not parsed.items:
        raise InstrumentFileError(1, "the file has no items")


def load(text: str, *, by: User | None) -> Instrument:
    """Parse and store an instrument, all or nothing. Re-importing the same code and version is refused."""
    parsed = parse(text)
    code, version, name, licence = parsed.header
    if Instrument.objects.filter(code=code, version=version).exists():
        raise InstrumentFileError(1, f"instrument {code} version {version} is already loaded")
    with transaction.atomic():
        instrument = Instrument.objects.create(
            code=code,
            version=version,
            name=name,
            licensed=licence == "licensed",
            scale=[list(pair) for pair in parsed.scale],
            imported_by=by,
        )
        domains = {}
        for order, (domain_code, (title, protective, _)) in enumerate(parsed.domains.items()):
            domains[domain_code] = Domain.objects.create(
                instrument=instrument, code=domain_code, title=title, protective=protective, order=order
            )
        Item.objects.bulk_create(
            Item(domain=domains[domain], code=item_code, text=text, guidance=guidance, order=order)
            for order, (item_code, (domain, text, guidance, _)) in enumerate(parsed.items.items())
        )
    return instrument
