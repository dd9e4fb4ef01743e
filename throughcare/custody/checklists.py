"""The handover checklists shipped with Throughcare (data; administrators may change them)."""

from __future__ import annotations

from typing import Any

from throughcare.lib.translated import fill_translations

# (code, title, mandatory, owner, days before release, needs the owner's consent)
ENHANCED = [
    (
        "behaviour-report",
        "Custody behaviour report shared, including concerns such as false compliance",
        True,
        "prison",
        60,
        False,
    ),
    ("rmp-reviewed", "Risk management plan reviewed for release", True, "probation", 45, False),
    ("release-conference", "Release conference held and minuted", True, "probation", 30, False),
    (
        "conditions-agreed",
        "Licence conditions agreed (recommended and ordered recorded)",
        True,
        "probation",
        21,
        False,
    ),
    ("accommodation", "Accommodation confirmed", True, "probation", 14, False),
    (
        "first-appointment",
        "First community appointment within 24 hours of release booked",
        True,
        "probation",
        7,
        False,
    ),
    ("police-notified", "Police notified of the release and address", True, "police_ct", 7, False),
    ("mentor-introduced", "NGO mentor introduced", False, "ngo", 14, True),
]
STANDARD = [
    ("behaviour-report", "Custody behaviour report shared", True, "prison", 45, False),
    ("conditions-agreed", "Licence conditions agreed", True, "probation", 14, False),
    ("accommodation", "Accommodation confirmed", True, "probation", 14, False),
    ("first-appointment", "First community appointment booked", True, "probation", 7, False),
]


# Each title in other languages, written for this project (title → language → title).
TRANSLATIONS: dict[str, dict[str, str]] = {
    "Custody behaviour report shared, including concerns such as false compliance": {
        "de": "Bericht über das Verhalten in Haft geteilt, auch zu Bedenken wie scheinbarer Anpassung",
        "fr": (
            "Rapport sur le comportement en détention transmis, y compris les inquiétudes comme une "
            "adhésion de façade"
        ),
        "nl": "Rapport over het gedrag in detentie gedeeld, ook over zorgen zoals schijnaanpassing",
    },
    "Risk management plan reviewed for release": {
        "de": "Risikomanagementplan für die Entlassung überprüft",
        "fr": "Plan de gestion des risques réexaminé en vue de la sortie",
        "nl": "Risicomanagementplan geëvalueerd met het oog op invrijheidstelling",
    },
    "Release conference held and minuted": {
        "de": "Entlassungskonferenz abgehalten und protokolliert",
        "fr": "Réunion de sortie tenue et consignée",
        "nl": "Ontslagoverleg gehouden en genotuleerd",
    },
    "Licence conditions agreed (recommended and ordered recorded)": {
        "de": "Weisungen vereinbart (empfohlene und angeordnete erfasst)",
        "fr": "Obligations arrêtées (recommandées et ordonnées enregistrées)",
        "nl": "Bijzondere voorwaarden vastgesteld (aanbevolen en opgelegde vastgelegd)",
    },
    "Accommodation confirmed": {
        "de": "Unterkunft bestätigt",
        "fr": "Hébergement confirmé",
        "nl": "Huisvesting bevestigd",
    },
    "First community appointment within 24 hours of release booked": {
        "de": "Erster Termin in Freiheit innerhalb von 24 Stunden nach der Entlassung vereinbart",
        "fr": "Premier rendez-vous en milieu ouvert dans les 24 heures suivant la sortie fixé",
        "nl": "Eerste afspraak binnen 24 uur na de invrijheidstelling gepland",
    },
    "Police notified of the release and address": {
        "de": "Polizei über die Entlassung und die Anschrift informiert",
        "fr": "Police informée de la sortie et de l'adresse",
        "nl": "Politie geïnformeerd over de invrijheidstelling en het adres",
    },
    "NGO mentor introduced": {
        "de": "Mentorin oder Mentor der NGO vorgestellt",
        "fr": "Mentor de l'association présenté",
        "nl": "Mentor van de ngo voorgesteld",
    },
    "Custody behaviour report shared": {
        "de": "Bericht über das Verhalten in Haft geteilt",
        "fr": "Rapport sur le comportement en détention transmis",
        "nl": "Rapport over het gedrag in detentie gedeeld",
    },
    "Licence conditions agreed": {
        "de": "Weisungen vereinbart",
        "fr": "Obligations arrêtées",
        "nl": "Bijzondere voorwaarden vastgesteld",
    },
    "First community appointment booked": {
        "de": "Erster Termin in Freiheit vereinbart",
        "fr": "Premier rendez-vous en milieu ouvert fixé",
        "nl": "Eerste afspraak na invrijheidstelling gepland",
    },
}


def ensure_checklists(template_model: Any) -> None:
    for kind, rows in (("enhanced", ENHANCED), ("standard", STANDARD)):
        for order, (code, title, mandatory, owner, days, consent) in enumerate(rows):
            template_model.objects.get_or_create(
                kind=kind,
                code=code,
                defaults={
                    "title": title,
                    "mandatory": mandatory,
                    "owner": owner,
                    "due_days_before_release": days,
                    "needs_consent_of_owner": consent,
                    "order": order,
                },
            )
    if any(field.name == "translations" for field in template_model._meta.get_fields()):
        translate_checklists(template_model)


def translate_checklists(template_model: Any) -> None:
    """Give the shipped checklist items their translations where they have none yet (an administrator's
    own translations stay)."""
    fill_translations(
        template_model.objects.all(),
        lambda row: {code: {"title": title} for code, title in TRANSLATIONS.get(row.title, {}).items()},
    )
