"""The interface in every language it offers: each catalogue complete (no message untranslated or fuzzy,
placeholders kept), current with the source (`make messages` leaves it unchanged), and the switcher
remembered for the person and the browser."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from throughcare.test import Cast

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: str) -> None:
    catalogue = _catalogue(code)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    obsolete = [entry.msgid for entry in catalogue.obsolete_entries()]
    assert (untranslated, fuzzy, obsolete) == ([], [], []), code
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Language"] == code


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_keeps_the_placeholders(code: str) -> None:
    for entry in _catalogue(code):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == wanted, (code, entry.msgid, form)


def test_the_catalogues_hold_every_marked_string(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `make messages` would extract now is what the catalogues hold: no string is marked for
    translation without its translations. (Run on a copy: the command writes where it finds sources.)"""
    root = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("__pycache__", "tests", "migrations", "*.mo")
    for part in ("throughcare", "templates", "locale"):
        shutil.copytree(root / part, tmp_path / part, ignore=skip)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=TRANSLATED, no_location=True, no_obsolete=True, verbosity=0)
    for code in TRANSLATED:
        extracted = polib.pofile(str(tmp_path / "locale" / code / "LC_MESSAGES" / "django.po"))
        missing = sorted(entry.msgid for entry in extracted.untranslated_entries())
        assert missing == [], (code, "run make messages and translate", missing[:20])


pytestmark = pytest.mark.django_db


def test_the_switcher_remembers_the_persons_choice(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    home = reverse("cases:home")
    response = client.post(reverse("language"), {"language": "de", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    cast.lead.refresh_from_db()
    assert cast.lead.language == "de"
    page = client.get(home)
    assert page["Content-Language"] == "de"
    assert '<html lang="de"' in page.text
    assert "Abmelden" in page.text and "Sign out" not in page.text
    # On another device (no cookie, an English browser) the account's choice still holds.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(cast.lead)
    assert '<html lang="de"' in other.get(home).text


def test_without_a_choice_the_browser_decides_and_the_switcher_offers_each_language() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5").get(reverse("login"))
    assert '<html lang="nl"' in page.text
    for code, name in settings.LANGUAGES:
        assert f'lang="{code}"' in page.text and name in page.text
    assert '<span lang="nl" aria-current="true">Nederlands</span>' in page.text


def test_the_choice_returns_to_the_page_it_was_made_on() -> None:
    client = Client()
    page = "http://testserver" + reverse("login") + "?next=/caseload/"
    response = client.post(reverse("language"), {"language": "nl"}, HTTP_REFERER=page)
    assert response["Location"] == page


def test_a_signed_out_choice_is_kept_in_the_browser() -> None:
    client = Client()
    response = client.post(reverse("language"), {"language": "fr", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr"' in client.get(reverse("login")).text


@pytest.mark.parametrize(
    "data",
    [
        {"language": "xx", "next": "/"},
        {"language": "de", "next": "https://elsewhere.example/"},
        {"language": "de\x00", "next": "/\x00"},
        {},
    ],
)
def test_a_bad_choice_or_address_changes_nothing_and_stays_here(data: dict[str, str]) -> None:
    response = Client().post(reverse("language"), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    if data.get("language") != "de":
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    ("language", "title", "detail"),
    [
        ("de", "Nicht gefunden", "Diese Adresse gibt es in der API nicht"),
        ("fr", "Introuvable", "Cette adresse n'existe pas dans l'API"),
        ("nl", "Niet gevonden", "Dit adres bestaat niet in de API"),
    ],
)
def test_the_apis_problems_speak_the_callers_language(language: str, title: str, detail: str) -> None:
    """A problem's title and detail follow Accept-Language; its type, status and field names do not."""
    response = Client().get("/api/v1/no-such-address", HTTP_ACCEPT_LANGUAGE=language)
    problem = response.json()
    assert (response.status_code, problem["status"]) == (404, 404)
    assert problem["title"] == title and problem["detail"].startswith(detail)
    assert response["Content-Language"] == language


REFUSALS = {
    "ActionRefused",
    "EditConflict",
    "IdentifierLeft",
    "PermissionDenied",
    "Problem",
    "ValidationError",
}


def _untranslated_literals(node: ast.AST) -> list[str]:
    """English under `node` that no translation call wraps: a string, or an f-string's words."""
    if isinstance(node, ast.Compare | ast.Subscript):  # a condition ("approve"), not what is said
        return []
    if isinstance(node, ast.Dict):  # a message's values, named by their keys
        return [text for value in node.values if value for text in _untranslated_literals(value)]
    if isinstance(node, ast.Call):  # a translation, or a value a call computes (a date format's name)
        return []
    if isinstance(node, ast.JoinedStr):
        words = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        return [ast.unparse(node)] if any(re.search(r"[A-Za-z]{3}", w) for w in words) else []
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.search(r"[A-Za-z]{3}", node.value)
    ):
        return [node.value]
    return [text for child in ast.iter_child_nodes(node) for text in _untranslated_literals(child)]


def _told(node: ast.Call) -> list[ast.expr]:
    """What a call tells a person: a refusal's message, or the message after an action."""
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    if name in REFUSALS:
        return list(node.args[:2])  # Problem(status, detail)
    done = [k.value for k in node.keywords if k.arg == "done"] if name in ("submit", "attempt") else []
    return done + (list(node.args[2:3]) if name == "attempt" else [])  # attempt(request, action, done)


def test_every_refusal_and_message_after_an_action_is_marked_for_translation() -> None:
    """What a person is told — a refusal (`ActionRefused`, a 403's reason, a form's error, the API's problem)
    or the message after an action (`submit(..., done=…)`) — is a message of the catalogues, whole: a bare
    string, or a sentence assembled from English pieces, was English in every language. The pages checked
    in German (`test_every_page_translated.py`) show a refusal only when someone is refused."""
    found = []
    for path in Path(settings.BASE_DIR, "throughcare").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                found += [
                    f"{path.name}: {text}" for value in _told(node) for text in _untranslated_literals(value)
                ]
    assert found == []
