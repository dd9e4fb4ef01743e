"""No known identifier survives scrubbing, in any spelling a person might write it."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from throughcare.learning.scrub import IdentifierLeft, Known, fold, scrub

GIVEN = ["Zoë", "José", "Ana-María", "Rose", "Hope", "Will", "Björn", "Çağla", "Nourdin", "Siobhán", "Eve"]
FAMILY = [
    "Ó Briain",
    "Janssens-Loor",
    "Müller",
    "Baker",
    "Yilmazer",
    "Dąbrowska",
    "Smith",
    "De la Cruz",
    "Rivers",
]


def _plain(text: str) -> str:
    """Written without accents, as someone typing in a hurry would (the test's own folding)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _spellings(given: str, family: str) -> list[str]:
    """How a note might name the person."""
    return [
        f"{given} {family}",
        f"{family.upper()}, {given}",
        _plain(f"{given} {family}").lower(),
        f"{given}\n{family}",
        f"{given} {family.replace('-', ' ')}",
        f"{family}'s",
        given,
    ]


def _still_there(text: str, spelling: str) -> bool:
    words = [re.escape(w) for w in re.split(r"[\s,\-']+", _plain(spelling).lower()) if len(w) >= 2]
    body = r"[\s,\-]+".join(words)
    return bool(words) and re.search(rf"(?<!\w){body}(?!\w)", _plain(text).lower()) is not None


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(GIVEN), st.sampled_from(FAMILY), st.lists(st.integers(0, 6), min_size=1, max_size=5))
def test_no_spelling_of_a_known_name_survives(given: str, family: str, picks: list[int]) -> None:
    spellings = _spellings(given, family)
    text = " ".join(f"Seen {spellings[i]} at the centre; notes follow." for i in picks)
    known = [Known(f"{given} {family}", "[the person]", "name")]
    result = scrub(text, known)
    for spelling in spellings:
        assert not _still_there(result.text, spelling), (spelling, result.text)
    assert "[the person]" in result.text


def test_identifiers_addresses_and_staff_are_replaced_and_patterns_caught() -> None:
    known = [
        Known("Nourdin Yilmazer", "[the person]", "name"),
        Known("Abu Karim", "[an alias]", "name"),
        Known("WM038123", "[prison number]", "identifier"),
        Known("PRB-12345-03", "[probation reference]", "identifier"),
        Known("14 Harbour Road", "[an address]", "address"),
        Known("Maren Holt", "the probation officer", "staff"),
    ]
    text = (
        "Maren Holt met NOURDIN (aka abu karim, prison no. WM038123, ref PRB 12345 03) at 14 harbour road. "
        "Call him on +32 470 12 34 56 or nourdin.y@example.org before 12/03/2024; post to 1012 AB."
    )
    result = scrub(text, known)
    assert result.text == (
        "the probation officer met [the person] (aka [an alias], prison no. [prison number], ref "
        "[probation reference]) at [an address]. Call him on [telephone number] or [e-mail address] before "
        "[date]; post to [postcode]."
    )
    kinds = {r.kind for r in result.replacements}
    assert {"name", "identifier", "address", "staff", "phone", "email", "date", "postcode"} <= kinds


def test_the_replacements_are_where_the_originals_were_for_the_reviewer() -> None:
    result = scrub(
        "Zoë lives with Ana-María.", [Known("Zoë Müller", "[P]", "name"), Known("Ana-María", "[C]", "name")]
    )
    assert [(r.original, r.replacement) for r in result.replacements] == [
        ("Zoë", "[P]"),
        ("Ana-María", "[C]"),
    ]


def test_folding_keeps_every_character_in_its_place() -> None:
    text = "Çağla Dąbrowska – Siobhán ﬁle İstanbul"
    assert len(fold(text)) == len(text)
    assert fold("Çağla Dąbrowska") == "cagla dabrowska"


def test_a_name_that_cannot_be_replaced_refuses_the_training_case() -> None:
    known = [Known("Nourdin Yilmazer", "Nourdin Yilmazer's pseudonym", "name")]  # the replacement names him
    with pytest.raises(IdentifierLeft, match="near"):
        scrub("Nourdin arrived.", known)


def test_dates_in_text_move_with_the_training_case_and_addresses_go() -> None:
    from datetime import timedelta

    text = "Ordered on 12 Sep 2026 (6 months before release); seen 04/05/2023 at 14 Harbour Road."
    result = scrub(text, [], shift=timedelta(days=-10))
    assert result.text == "Ordered on 2 Sep 2026 (6 months before release); seen 24/04/2023 at [address]."
    assert scrub("Seen on 3 March.", []).text == "Seen on [date]."


def test_a_date_at_the_calendars_edge_in_free_text_is_no_date_not_a_crash() -> None:
    from datetime import timedelta

    from throughcare.learning.scrub import shift_date

    assert shift_date("31/12/9999", timedelta(days=40)) == "[date]"
    assert shift_date("0001-01-01", timedelta(days=-40)) == "[date]"


def test_dates_written_in_each_language_move_and_are_written_again_as_they_were() -> None:
    from datetime import timedelta

    back = timedelta(days=-10)
    german = scrub("Termin am 3. März 2026, Anhörung am 12. Nov. 2026.", [], shift=back, language="de")
    assert german.text == "Termin am 21. Februar 2026, Anhörung am 2. Nov. 2026."
    french = scrub("Vu le 3 mars 2026, le 1er juin et le 11 janv. 2027.", [], shift=back, language="fr")
    assert french.text == "Vu le 21 février 2026, le 22 mai et le 1er janv. 2027."
    dutch = scrub("Gesprek op 3 mrt 2026, zitting 12 november 2026.", [], shift=back, language="nl")
    assert dutch.text == "Gesprek op 21 feb 2026, zitting 2 november 2026."
    # a German date in an English training case still moves (a note quotes a letter), in its own words
    assert scrub("Letter of 12. Dezember 2025.", [], shift=back).text == "Letter of 2. Dezember 2025."
    assert scrub("Gezien op 3 mei.", []).text == "Gezien op [date]."


def test_what_replaces_a_pattern_is_written_in_the_training_cases_language() -> None:
    text = "Ruf an: +49 170 1234567, schreib an z.m@example.org, wohnhaft Hafenstraße 12."
    assert scrub(text, [], language="de").text == (
        "Ruf an: [Telefonnummer], schreib an [E-Mail-Adresse], wohnhaft [Adresse]."
    )
    assert scrub("Vu au 12 rue Victor Hugo.", [], language="fr").text == "Vu au [adresse]."


def test_a_refusal_says_what_was_left_in_the_readers_language() -> None:
    from django.utils import translation

    known = [Known("Nourdin Yilmazer", "Nourdin Yilmazer's pseudonym", "name")]
    with translation.override("de"), pytest.raises(IdentifierLeft, match="Name einer Person"):
        scrub("Nourdin arrived.", known, language="en")
