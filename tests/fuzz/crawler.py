"""A form fuzzer: crawl the product as a persona, collect every form it is offered, then send each form
malformed values of every kind that has crashed a form before, and count the server errors by cause.

Traffic goes only to Django's test client (in process: no socket, no other host). Bounded in requests.
"""

from __future__ import annotations

import os
import re
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.core.signals import got_request_exception
from django.test import Client

# Values that broke forms before, most telling first: every form gets the first ones even in a short run.
MALFORMED: list[tuple[str, str]] = [
    ("nul byte", "a\x00b"),
    ("superscript digit", "²"),
    ("circled digit", "①"),
    ("arabic-indic digits", "١٢"),
    ("year one", "0001-01-01"),
    ("year 9999", "9999-12-31"),
    ("over-long text", "x" * 10_050),
    ("text past a short column", "é" * 260),
    ("huge integer", "9" * 30),
    ("negative", "-1"),
    ("not a number", "abc"),
    ("impossible date", "2026-02-30"),
    ("empty", ""),
    ("blank", "   "),
    ("floating", "1e309"),
    ("date and time in year one", "0001-01-01T00:00"),
    ("huge count", "100000000"),
    ("markup", "<script>alert(1)</script>"),
]

SKIPPED_PATHS = re.compile(r"^/(static|media)/|/logout|/sign-out|/password|\.pdf$|/pdf/?$|/delete/?$")
SERVER_ERROR = 500
SLOW_SECONDS = 10  # an answer this slow is an outage under load
PROGRESS = os.environ.get("FORM_FUZZ_PROGRESS", "")


@dataclass
class Field:
    name: str
    kind: str
    value: str
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field]
    found_on: str

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, shape(self.action), tuple(sorted(f.name for f in self.fields)))

    def valid_looking(self) -> dict[str, str]:
        data: dict[str, str] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio") and not f.value:
                continue
            if f.kind == "select" and f.options:
                data.setdefault(f.name, next((o for o in f.options if o), f.options[0]))
            elif f.value or f.kind in ("hidden", "submit"):
                data.setdefault(f.name, f.value)
            else:
                data.setdefault(f.name, _plausible(f))
        return data


def _plausible(f: Field) -> str:
    if f.kind == "date" or f.name.endswith(("date", "_on", "-day")):
        return {"-day": "4", "-month": "12", "-year": "2026"}.get(
            f.name[-4:].replace("y-", "-"), "2026-12-04"
        )
    if f.kind in ("number",) or f.name.endswith(("-month", "-year", "months", "days", "hours")):
        return "3"
    if f.kind == "time":
        return "10:00"
    if f.kind == "datetime-local":
        return "2026-12-04T10:00"
    return "Checked by the form fuzzer"


def shape(url: str) -> str:
    """A URL with its numbers, uuids and tokens made general: one visit per kind of page."""
    parts = urlsplit(url)
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)", "/U", parts.path)
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    query = "&".join(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))
    return f"{path}?{query}" if query else path


def _input(a: dict[str, str]) -> list[Field]:
    kind = a.get("type", "text").lower()
    value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
    if kind == "file":
        return []
    if kind in ("checkbox", "radio") and "checked" not in a:
        return [Field(a["name"], kind, "", [value])]
    return [Field(a["name"], kind, value)]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[dict[str, str], list[Field]]] = []
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append((a, []))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif self.forms and "name" in a:
            self._control(tag, a)

    def _control(self, tag: str, a: dict[str, str]) -> None:
        fields = self.forms[-1][1]
        if tag == "input":
            fields.extend(_input(a))
        elif tag == "button" and a.get("type", "submit") == "submit":
            fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select", "")
            fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea", "")
            fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Failure:
    cause: str
    example: str


@dataclass
class Run:
    """One persona's crawl and fuzz, with what it found."""

    client: Client
    persona: str
    budget: int  # malformed submissions, after the crawl
    max_pages: int = 400  # pages the crawl visits
    sent: int = 0
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    _last_error: str = ""

    def crawl(self, start: list[str]) -> None:
        seen: Counter[str] = Counter()
        queue = list(start)
        visited = 0
        while queue and visited < self.max_pages:
            url = queue.pop(0)
            if seen[shape(url)] >= 2 or SKIPPED_PATHS.search(urlsplit(url).path):
                continue
            seen[shape(url)] += 1
            visited += 1
            response = self._send("GET", url, {}, f"visit {url}")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = _Page()
            page.feed(response.content.decode("utf-8", "replace"))
            for href in page.links:
                target = _local(url, href)
                if target and seen[shape(target)] < 2:
                    queue.append(target)
                    self._link_query(target)
            for attrs, fields in page.forms:
                self._found(url, attrs, fields)

    def _found(self, url: str, attrs: dict[str, str], fields: list[Field]) -> None:
        action = _local(url, attrs.get("action") or url)
        if not action or SKIPPED_PATHS.search(urlsplit(action).path):
            return
        form = Form(attrs.get("method", "get").upper(), action, fields, url)
        self.forms.setdefault(form.key(), form)

    def _link_query(self, url: str) -> None:
        """A link's query is a form too (a filter, a page number, an autocomplete term)."""
        path, _, query = url.partition("?")
        fields = [Field(k, "text", v) for k, v in parse_qsl(query, keep_blank_values=True)]
        if fields and not SKIPPED_PATHS.search(path):
            form = Form("GET", path, fields, url)
            self.forms.setdefault(("GET", shape(path), ()), form)  # one per page: filters vary by value

    def fuzz(self) -> None:
        """Round by round: each round sends every form one more kind of malformed value, in each field and
        in all of them at once, so a short run still reaches every form."""
        plans = {key: list(_submissions(form)) for key, form in self.forms.items()}
        rounds = max((len(p) for p in plans.values()), default=0)
        stop = self.sent + self.budget
        for index in range(rounds):
            for key, plan in plans.items():
                if self.sent >= stop:
                    return
                if index < len(plan):
                    form = self.forms[key]
                    label, data = plan[index]
                    self._send(form.method, form.action, data, f"{form.method} {shape(form.action)}: {label}")

    def _send(self, method: str, url: str, data: dict[str, str], what: str) -> Any:
        self.sent += 1
        if PROGRESS and self.sent % 100 == 0:
            with open(PROGRESS, "a") as log:
                log.write(f"{time.strftime('%H:%M:%S')} {self.persona} {self.sent} {len(self.forms)} forms\n")
        self._last_error = ""
        began = time.monotonic()
        if method == "POST":
            response = self.client.post(url, data, headers={"HX-Request": "true"} if "hx" in what else {})
        else:
            path, _, query = url.partition("?")
            merged = dict(parse_qsl(query, keep_blank_values=True)) | data
            response = self.client.get(path, merged)
        if response.status_code >= SERVER_ERROR:
            self.failures.append(
                Failure(self._last_error or f"{response.status_code}", f"{self.persona}: {what}")
            )
        elif (took := time.monotonic() - began) > SLOW_SECONDS:
            self.failures.append(
                Failure(f"slower than {SLOW_SECONDS} s", f"{self.persona}: {what} ({took:.0f} s)")
            )
        return response

    def record_exception(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        self._last_error = cause_of_current_exception()

    def __enter__(self) -> Run:
        got_request_exception.connect(self.record_exception)
        return self

    def __exit__(self, *exc: object) -> None:
        got_request_exception.disconnect(self.record_exception)


def cause_of_current_exception() -> str:
    """The exception's type and message head, with the deepest frame in the project's own code."""
    import sys

    kind, error, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "/throughcare/" in f.filename and "/tests/" not in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.lineno} {where.name}" if where else "?"
    head = str(error).splitlines()[0][:120] if error else ""
    return f"{kind.__name__ if kind else '?'} at {place}: {head}"


def _local(base: str, href: str) -> str:
    if href.startswith(("mailto:", "tel:", "#", "javascript:")):
        return ""
    target = urljoin(f"http://testserver{base}", href)
    parts = urlsplit(target)
    if parts.netloc != "testserver":
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _submissions(form: Form) -> Iterator[tuple[str, dict[str, str]]]:
    base = form.valid_looking()
    names = [f.name for f in form.fields if f.kind != "submit" and f.name != "csrfmiddlewaretoken"]
    yield "as offered", base
    for label, value in MALFORMED:
        yield f"{label} in every field", base | dict.fromkeys(names, value)
    for label, value in MALFORMED:
        for name in dict.fromkeys(names):
            yield f"{label} in {name}", base | {name: value}
