from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone, translation

from throughcare.lib.errors import ActionRefused
from throughcare.risk import actions
from throughcare.risk.instrument_file import InstrumentFileError, load
from throughcare.risk.models import Certification, Instrument, Item, Rating
from throughcare.test import Cast, texts

pytestmark = pytest.mark.django_db

DEMO = (Path(__file__).parents[1] / "instruments" / "demo-spj.csv").read_text()
LICENSED = """instrument,lic-tool,2.1,A licensed tool,licensed
scale,absent,Absent
scale,present,Present
domain,A,Domain A
item,A1,A,First item
"""


def test_the_demo_instrument_loads_with_its_domains_items_and_scale() -> None:
    instrument = load(DEMO, by=None)
    assert instrument.scale_values() == ["low", "moderate", "high"]
    assert [d.code for d in instrument.domains.all()] == ["ID", "CA", "CO", "PR"]
    assert instrument.domains.get(code="PR").protective
    assert Item.objects.filter(domain__instrument=instrument).count() == 12
    assert not instrument.licensed


def test_the_demo_instrument_reads_in_the_practitioners_language() -> None:
    instrument = load(DEMO, by=None)
    item = Item.objects.get(domain__instrument=instrument, code="CO3")
    with translation.override("de"):
        assert str(instrument).startswith("Throughcare-Demonstrationsinstrument")
        assert instrument.scale_choices()[0] == ("low", "Niedrig")
        assert instrument.domains.get(code="PR").translated("title") == "Schutzfaktoren"
        assert item.translated("text") == "Durchlebt eine Krise oder ein auslösendes Ereignis"
    with translation.override("fr"):
        assert item.translated("guidance").startswith("Par exemple une perte")
    assert instrument.scale_choices()[0] == ("low", "Low")  # English: the file's own words


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (LICENSED + "item,A1,A,Again\n", 6, "item code 'A1' is already used on line 5"),
        (
            LICENSED.replace("scale,present,Present\n", "scale,present\n"),
            3,
            "a scale line needs a value and a label",
        ),
        (
            LICENSED.replace("scale,present,Present\n", "scale,absent,Also absent\n"),
            3,
            "scale value 'absent' appears twice",
        ),
        (LICENSED.replace("scale,present,Present\n", ""), 1, "the scale needs at least two values"),
        (LICENSED + "item,B1,B,Orphan\n", 6, "names domain 'B', which is not declared"),
        (LICENSED + "scale,missing,Missing\n", 6, "'missing' is added to every scale"),
        (LICENSED + "weight,A1,2\n", 6, "unknown record 'weight'"),
        (LICENSED + "translation,xx,item,A1,Text\n", 6, "language 'xx' is not one Throughcare offers"),
        (LICENSED + "translation,de,item,Z9,Text\n", 6, "item 'Z9' is not declared above"),
        (LICENSED + "translation,de,colour,A1,Rot\n", 6, "write: translation,<language>"),
    ],
)
def test_a_bad_instrument_file_is_refused_with_the_line_and_reason_and_nothing_is_loaded(
    text: str, line: int, reason: str
) -> None:
    with pytest.raises(InstrumentFileError) as refused:
        load(text, by=None)
    assert refused.value.line == line
    assert reason in refused.value.reason
    assert not Instrument.objects.exists()


def test_an_uncertified_user_cannot_rate_with_a_licensed_instrument(cast: Cast) -> None:
    instrument = load(LICENSED, by=None)
    with pytest.raises(ActionRefused, match="only certified users may rate with it. Not certified"):
        actions.start_assessment(cast.case, instrument, by=cast.lead)
    Certification.objects.create(
        user=cast.lead,
        instrument_code="lic-tool",
        certified_on=date(2025, 1, 1),
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    assessment = actions.start_assessment(cast.case, instrument, by=cast.lead)
    item = Item.objects.get(code="A1")
    actions.rate(assessment, item, by=cast.lead, value="present", evidence="Seen in letters", source="Prison")
    with (
        time_machine.travel(timezone.localdate() + timedelta(days=31)),
        pytest.raises(ActionRefused, match="expired"),
    ):
        actions.rate(assessment, item, by=cast.lead, value="absent")
    assert Rating.objects.get().value == "present"


def test_ratings_must_be_on_the_scale_and_missing_is_allowed(cast: Cast) -> None:
    instrument = load(DEMO, by=None)
    assessment = actions.start_assessment(cast.case, instrument, by=cast.lead)
    item = Item.objects.get(code="ID1")
    with pytest.raises(ActionRefused, match="'severe' is not on the scale of ID1"):
        actions.rate(assessment, item, by=cast.lead, value="severe")
    actions.rate(assessment, item, by=cast.lead, value="missing", evidence="No information yet")
    actions.rate(assessment, Item.objects.get(code="ID2"), by=cast.lead, value="high")
    assert actions.rating_counts(assessment) == {"missing": 1, "high": 1}


def test_the_judgement_is_the_assessors_own_with_a_rationale(cast: Cast) -> None:
    instrument = load(DEMO, by=None)
    assessment = actions.start_assessment(cast.case, instrument, by=cast.lead)
    actions.rate(assessment, Item.objects.get(code="ID1"), by=cast.lead, value="high")
    with pytest.raises(ActionRefused, match="Give your own overall judgement"):
        actions.complete(assessment, by=cast.lead, judgement="", rationale="x" * 30)
    with pytest.raises(ActionRefused, match="Explain your judgement"):
        actions.complete(assessment, by=cast.lead, judgement="medium", rationale="because")
    actions.complete(
        assessment,
        by=cast.lead,
        judgement="medium",
        rationale="Views persist but no steps towards acting; family support is strong",
    )
    assessment.refresh_from_db()
    assert assessment.judgement == "medium"  # exactly what the human chose
    judged = texts(assessment.case.timeline.filter(nature="assessment", category="risk"))
    assert any("judged medium by Lead Officer" in t for t in judged)


def test_partners_without_risk_information_cannot_assess(cast: Cast) -> None:
    instrument = load(DEMO, by=None)
    with pytest.raises(ActionRefused, match="hold risk information"):
        actions.start_assessment(cast.case, instrument, by=cast.mentor)
