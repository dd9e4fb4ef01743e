"""Reading an instrument file. One record per line, comma-separated (quote fields containing commas):

    instrument,<code>,<version>,<name>,<licensed|unlicensed>
    scale,<value>,<label>                       (at least two, in order; "missing" is always added)
    domain,<code>,<title>[,protective]
    item,<code>,<domain code>,<text>[,<guidance>]
    translation,<language>,instrument,<name>
    translation,<language>,scale,<value>,<label>
    translation,<language>,domain,<code>,<title>
    translation,<language>,item,<code>,<text>[,<guidance>]

A translation names something declared above it, in a language Throughcare offers; what it does not
translate reads in the file's own language. Blank lines and lines starting with # are ignored. Anything
wrong is refused with its line and the reason, and nothing is loaded.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from throughcare.accounts.models import User
from throughcare.lib.translated import fill_translations
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
    # (what, code) → language → field → wording; what: "instrument" (code ""), "scale", "domain" or "item"
    translations: dict[tuple[str, str], dict[str, dict[str, str]]] = field(default_factory=dict)


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
    handlers = {
        "instrument": _instrument,
        "scale": _scale,
        "domain": _domain,
        "item": _item,
        "translation": _translation,
    }
    if kind not in handlers:
        raise InstrumentFileError(
            line, f"unknown record '{kind}' (expected instrument, scale, domain, item or translation)"
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


# What a translation line gives, after its language and what it translates: (code?, fields).
TRANSLATED = {
    "instrument": (False, ("name",)),
    "scale": (True, ("label",)),
    "domain": (True, ("title",)),
    "item": (True, ("text", "guidance")),
}


def _translation(parsed: Parsed, row: list[str], line: int) -> None:
    usage = "write: translation,<language>,<instrument|scale|domain|item>,[<code>,]<wording>"
    if len(row) < 4 or row[2] not in TRANSLATED:
        raise InstrumentFileError(line, usage)
    language, what = row[1], row[2]
    offered = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    if language not in offered:
        raise InstrumentFileError(
            line, f"language '{language}' is not one Throughcare offers ({', '.join(offered)})"
        )
    coded, fields = TRANSLATED[what]
    code, wording = (row[3], row[4:]) if coded else ("", row[3:])
    declared: dict[str, set[str]] = {
        "instrument": {""},
        "scale": {value for value, _ in parsed.scale},
        "domain": set(parsed.domains),
        "item": set(parsed.items),
    }
    if code not in declared[what]:
        raise InstrumentFileError(line, f"{what} '{code}' is not declared above this translation")
    if not wording or not wording[0] or len(wording) > len(fields):
        raise InstrumentFileError(line, usage)
    given = {name: text for name, text in zip(fields, wording, strict=False) if text}
    parsed.translations.setdefault((what, code), {})[language] = given


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
            translations=_instrument_translations(parsed),
        )
        domains = {}
        for order, (domain_code, (title, protective, _)) in enumerate(parsed.domains.items()):
            domains[domain_code] = Domain.objects.create(
                instrument=instrument,
                code=domain_code,
                title=title,
                protective=protective,
                order=order,
                translations=parsed.translations.get(("domain", domain_code), {}),
            )
        Item.objects.bulk_create(
            Item(
                domain=domains[domain],
                code=item_code,
                text=text,
                guidance=guidance,
                order=order,
                translations=parsed.translations.get(("item", item_code), {}),
            )
            for order, (item_code, (domain, text, guidance, _)) in enumerate(parsed.items.items())
        )
    return instrument


def _instrument_translations(parsed: Parsed) -> dict[str, dict[str, object]]:
    """The instrument's name and its scale's labels (by value), per language."""
    found: dict[str, dict[str, object]] = {}
    for language, given in parsed.translations.get(("instrument", ""), {}).items():
        found.setdefault(language, {})["name"] = given["name"]
    for value, _ in parsed.scale:
        for language, given in parsed.translations.get(("scale", value), {}).items():
            labels = found.setdefault(language, {}).setdefault("scale_labels", {})
            labels[value] = given["label"]  # type: ignore[index]
    return found


def add_translations(text: str, instrument_model: Any, domain_model: Any, item_model: Any) -> None:
    """Give an instrument already loaded the file's translations where its rows have none (the same code
    and version; an administrator's own translations stay). For the shipped demonstration instruments."""
    parsed = parse(text)
    code, version = parsed.header[0], parsed.header[1]
    instrument = instrument_model.objects.filter(code=code, version=version).first()
    if instrument is None:
        return
    fill_translations([instrument], lambda row: _instrument_translations(parsed))
    domains = domain_model.objects.filter(instrument=instrument)
    fill_translations(domains, lambda row: parsed.translations.get(("domain", row.code)))
    items = item_model.objects.filter(domain__instrument=instrument)
    fill_translations(items, lambda row: parsed.translations.get(("item", row.code)))
