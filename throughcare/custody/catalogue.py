"""The conditions catalogue shipped with Throughcare (version 2026.2), written for this project.

Stable codes, categories, templated inputs and the Framework Decision 2008/947 measure each maps to, so a
transfer certificate can be produced later. Deploying organisations edit or replace it in administration.

A condition once ordered keeps the wording of the catalogue version it was ordered from: a correction is a
new version (the earlier one stays, no longer offered). 2026.2 rewrote CND-01 without "device(s)".
"""

from __future__ import annotations

from typing import Any

VERSION = "2026.2"

# (code, category, text with {inputs}, {input: label}, FD 2008/947 Art. 4(1) measure)
CONDITIONS: list[tuple[str, str, str, dict[str, str], str]] = [
    (
        "SUP-01",
        "supervision",
        "Keep in touch with the supervising officer as instructed and attend every appointment.",
        {},
        "j",
    ),
    ("SUP-02", "supervision", "Receive home visits from the supervising officer as arranged.", {}, "j"),
    (
        "RES-01",
        "residence",
        "Live at {address} and obtain approval before moving.",
        {"address": "Address"},
        "a",
    ),
    (
        "RSR-01",
        "residency_restriction",
        "Do not live in {area} without prior approval.",
        {"area": "Area"},
        "b",
    ),
    (
        "CUR-01",
        "curfew",
        "Stay at the approved address between {from_time} and {to_time} every day.",
        {"from_time": "From (time)", "to_time": "To (time)"},
        "d",
    ),
    (
        "MOV-01",
        "movement",
        "Do not enter the exclusion zone {zone} without prior approval.",
        {"zone": "Zone"},
        "b",
    ),
    (
        "MOV-02",
        "movement",
        "Do not leave {territory} without prior approval.",
        {"territory": "Country or region"},
        "c",
    ),
    (
        "MOV-03",
        "movement",
        "Surrender your passport and travel documents to the supervising officer.",
        {},
        "c",
    ),
    (
        "CON-01",
        "contact",
        "Have no contact with {person} directly or through others.",
        {"person": "Named person"},
        "f",
    ),
    (
        "CON-02",
        "contact",
        "Seek approval before any contact with a child under 18, other than {exception}.",
        {"exception": "Exception (e.g. own children)"},
        "f",
    ),
    (
        "EXT-01",
        "extremism",
        "Have no contact with anyone charged with or convicted of an extremist or terrorist "
        "offence without prior approval.",
        {},
        "f",
    ),
    (
        "EXT-02",
        "extremism",
        "Do not attend or organise meetings or gatherings other than for worship without prior approval.",
        {},
        "d",
    ),
    (
        "EXT-03",
        "extremism",
        "Do not give or take part in lectures, talks or sermons without prior approval.",
        {},
        "d",
    ),
    ("EXT-04", "extremism", "Do not try to draw anyone into extremist views or activity.", {}, "d"),
    (
        "EXT-05",
        "extremism",
        "Do not possess material that promotes extremism, terrorism or paramilitary activity.",
        {},
        "g",
    ),
    (
        "CND-01",
        "conduct",
        "Internet-enabled devices: use at most {number}, each declared to the supervising officer, and keep "
        "their browsing history.",
        {"number": "Largest number of devices"},
        "g",
    ),
    (
        "CND-02",
        "conduct",
        "Do not use encryption, anonymising services or cloud storage without approval.",
        {},
        "g",
    ),
    (
        "CND-03",
        "conduct",
        "Do not associate with the group {group} or its members.",
        {"group": "Named group"},
        "f",
    ),
    ("POS-01", "possession", "Do not possess more than one mobile phone, and declare its number.", {}, "g"),
    (
        "DIS-01",
        "disclosure",
        "Tell the supervising officer about any new relationship, job or course before it starts.",
        {},
        "a",
    ),
    (
        "DIS-02",
        "disclosure",
        "Give the supervising officer details of every bank account and vehicle you use.",
        {},
        "d",
    ),
    (
        "MON-01",
        "monitoring",
        "Wear an electronic tag to monitor compliance with {monitored}.",
        {"monitored": "What is monitored (e.g. curfew, zone)"},
        "d",
    ),
    ("PRG-01", "programmes", "Take part in {programme} as directed.", {"programme": "Programme"}, "k"),
    ("PRG-02", "programmes", "Meet the mentor of {provider} as arranged.", {"provider": "Provider"}, "j"),
    (
        "DRG-01",
        "drugs_alcohol",
        "Attend appointments for {treatment} and follow its treatment plan.",
        {"treatment": "Treatment service"},
        "k",
    ),
    (
        "ORG-01",
        "organised_crime",
        "Do not carry more than {amount} in cash without a reason.",
        {"amount": "Amount"},
        "g",
    ),
    ("PLY-01", "polygraph", "Take part in polygraph sessions as directed.", {}, "j"),
    (
        "TPS-01",
        "personal_search",
        "Submit to a search of your person, belongings and vehicle by the police to check compliance.",
        {},
        "d",
    ),
    (
        "REP-01",
        "supervision",
        "Report to {place} at {times}.",
        {"place": "Police station or office", "times": "Days and times"},
        "e",
    ),
]


def ensure_catalogue(template_model: Any) -> None:
    """Install this version of the catalogue; earlier versions stay (conditions ordered from them keep
    their wording) but are no longer offered."""
    for code, category, text, labels, measure in CONDITIONS:
        template_model.objects.get_or_create(
            catalogue_version=VERSION,
            code=code,
            defaults={"category": category, "text": text, "input_labels": labels, "fd_measure": measure},
        )
    template_model.objects.exclude(catalogue_version=VERSION).update(is_current=False)
