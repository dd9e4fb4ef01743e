"""An extract is read whole or refused whole, with the line and the reason; `manage.py reoffending` prints
the figures to check against a published table."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from throughcare.outcomes import engine
from throughcare.outcomes.extract import ExtractRefused, read_extract

HEADER = "release_date,outcome_date,outcome_kind,proven_date,censor_date,gender\n"


def _extract(*rows: str) -> str:
    return HEADER + "".join(f"{row}\n" for row in rows)


def test_an_extract_becomes_a_cohort_and_its_events() -> None:
    extract = read_extract(
        StringIO(
            _extract(
                "2019-05-01,2019-11-20,violent,2020-02-01,,male",
                "2019-06-01,,,,2020-01-01,female",
                "2019-07-01,2019-08-01,reengagement,,,",
            )
        )
    )
    assert extract.rows == 3 and list(extract.cohort.groups["gender"]) == ["male", "female", "not recorded"]
    followed = engine.follow(extract.cohort, extract.events, engine.Definition(outcome="any_or_reengagement"))
    assert list(followed.reoffended) == [True, False, True]  # re-engagement is proven when recorded


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("2019-05-01,2019-11-20,violent,2020-02-01", "does not have the 6 columns"),
        (",,,,,male", "release_date is empty"),
        ("01/05/2019,,,,,male", "is not a date written YYYY-MM-DD"),
        ("٢٠١٩-٠٥-٠١,,,,,male", "is not a date written YYYY-MM-DD"),
        ("2019-02-30,,,,,male", "is not a day of the calendar"),
        ("9999-01-01,,,,,male", "outside 1950–2100"),
        ("2019-05-01,2019-06-01,arson,2019-07-01,,male", "is not one of terrorism"),
        ("2019-05-01,2019-06-01,,,,male", "given together or not at all"),
        ("2019-05-01,2019-06-01,other,2019-05-20,,male", "is before the offence"),
        ("2019-05-01,,,,2019-04-01,male", "censor_date 2019-04-01 is before release_date"),
        ("2019-05-01,,,,," + "x" * 101, "longer than 100 characters"),
        ("2019-05-01,,,,,a\x00b", "NUL byte"),
    ],
)
def test_a_malformed_row_refuses_the_whole_file_naming_its_line(row: str, reason: str) -> None:
    with pytest.raises(ExtractRefused) as refused:
        read_extract(StringIO(_extract("2019-05-01,,,,,male", row)))
    assert str(refused.value).startswith("Line 3:") and reason in str(refused.value)


def test_a_file_without_the_columns_or_without_people_is_refused() -> None:
    with pytest.raises(ExtractRefused, match="Line 1: missing column.*censor_date"):
        read_extract(StringIO("release_date,outcome_date,outcome_kind,proven_date\n"))
    with pytest.raises(ExtractRefused, match="cohort would be empty"):
        read_extract(StringIO(HEADER))


def _published_study(path: Path, cohort: int, events: int) -> Path:
    """A cohort released in 2015 with `events` terrorism reconvictions within the first year."""
    rows = [f"2015-03-{1 + i % 28:02d},2015-09-01,terrorism,2016-01-15,,x" for i in range(events)]
    rows += [f"2015-04-{1 + i % 28:02d},,,,," for i in range(cohort - events)]
    path.write_text(_extract(*rows).replace(",gender\n", ",group\n", 1), encoding="utf-8")
    return path


def test_the_command_prints_the_figures_of_a_published_table_as_json(tmp_path: Path) -> None:
    """England and Wales, 2013–19 releases: 6 of 196 (3.06 %)."""
    out = StringIO()
    call_command(
        "reoffending",
        records=str(_published_study(tmp_path / "ew.csv", 196, 6)),
        follow_up_years=1,
        outcome="terrorism",
        json=True,
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    assert (figures["cohort"], figures["events"]) == (196, 6)
    assert figures["rate"] == pytest.approx(0.0306, abs=1e-4)
    assert figures["ci_low"] == pytest.approx(engine.wilson(6, 196)[0])
    assert figures["survival"]["0"] == 1.0 and min(figures["survival"].values()) == pytest.approx(190 / 196)


def test_the_command_says_in_words_what_it_found_or_why_it_cannot(tmp_path: Path) -> None:
    out = StringIO()
    path = _published_study(tmp_path / "be.csv", 557, 13)
    call_command("reoffending", records=str(path), follow_up_years=1, stdout=out)
    assert "13 of 557 people reoffended within 1 year(s)" in out.getvalue() and "2.3 %" in out.getvalue()
    with pytest.raises(CommandError, match="Line 1: missing column"):
        (tmp_path / "bad.csv").write_text("release_date\n2019-01-01\n")
        call_command("reoffending", records=str(tmp_path / "bad.csv"), follow_up_years=1)
    with pytest.raises(CommandError, match="follow-up is not over"):
        call_command("reoffending", records=str(path), follow_up_years=30)


@pytest.mark.django_db
def test_an_extract_is_stored_for_measures_or_refused_whole(tmp_path: Path) -> None:
    from throughcare.outcomes.models import Extract, ExtractPerson

    good = _published_study(tmp_path / "ok.csv", 40, 3)
    out = StringIO()
    call_command("load_extract", "Study data", str(good), stdout=out)
    assert "Stored 40 people" in out.getvalue()
    assert ExtractPerson.objects.filter(extract__name="Study data", outcome_kind="terrorism").count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(_extract("2019-05-01,,,,,x", "2019-13-01,,,,,x"), encoding="utf-8")
    with pytest.raises(CommandError, match="Line 3"):
        call_command("load_extract", "Broken", str(bad))
    assert not Extract.objects.filter(name="Broken").exists()
