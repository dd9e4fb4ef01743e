"""The conditions catalogue shipped with Throughcare (version 2026.2), written for this project.

Stable codes, categories, templated inputs and the Framework Decision 2008/947 measure each maps to, so a
transfer certificate can be produced later. Deploying organisations edit or replace it in administration.

A condition once ordered keeps the wording of the catalogue version it was ordered from: a correction is a
new version (the earlier one stays, no longer offered). 2026.2 rewrote CND-01 without "device(s)".
"""

from __future__ import annotations

from typing import Any

from throughcare.lib.translated import fill_translations

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


# The wording in other languages, written for this project (code → language → field → text); a deploying
# organisation changes them in the administration like the English.
TRANSLATIONS: dict[str, dict[str, dict[str, Any]]] = {
    "SUP-01": {
        "de": {
            "text": (
                "Halten Sie nach Anweisung Kontakt zur Bewährungshelferin oder zum Bewährungshelfer und "
                "nehmen Sie jeden Termin wahr."
            )
        },
        "fr": {
            "text": (
                "Rester en contact avec le conseiller de probation selon ses instructions et se présenter à"
                " chaque rendez-vous."
            )
        },
        "nl": {"text": "Houd contact met de reclasseringswerker zoals aangegeven en kom op elke afspraak."},
    },
    "SUP-02": {
        "de": {"text": "Empfangen Sie Hausbesuche der Bewährungshilfe wie vereinbart."},
        "fr": {"text": "Recevoir les visites à domicile du conseiller de probation comme convenu."},
        "nl": {"text": "Ontvang huisbezoeken van de reclasseringswerker zoals afgesproken."},
    },
    "RES-01": {
        "de": {
            "text": "Wohnen Sie unter {address} und holen Sie vor einem Umzug die Zustimmung ein.",
            "input_labels": {"address": "Anschrift"},
        },
        "fr": {
            "text": "Résider au {address} et obtenir l'accord préalable avant tout déménagement.",
            "input_labels": {"address": "Adresse"},
        },
        "nl": {
            "text": "Woon op {address} en vraag toestemming voordat u verhuist.",
            "input_labels": {"address": "Adres"},
        },
    },
    "RSR-01": {
        "de": {
            "text": "Wohnen Sie nicht in {area} ohne vorherige Zustimmung.",
            "input_labels": {"area": "Gebiet"},
        },
        "fr": {"text": "Ne pas résider dans {area} sans accord préalable.", "input_labels": {"area": "Zone"}},
        "nl": {
            "text": "Woon niet in {area} zonder voorafgaande toestemming.",
            "input_labels": {"area": "Gebied"},
        },
    },
    "CUR-01": {
        "de": {
            "text": (
                "Halten Sie sich täglich zwischen {from_time} und {to_time} in der genehmigten Unterkunft "
                "auf."
            ),
            "input_labels": {"from_time": "Von (Uhrzeit)", "to_time": "Bis (Uhrzeit)"},
        },
        "fr": {
            "text": "Rester à l'adresse approuvée entre {from_time} et {to_time} chaque jour.",
            "input_labels": {"from_time": "De (heure)", "to_time": "À (heure)"},
        },
        "nl": {
            "text": "Blijf elke dag tussen {from_time} en {to_time} op het goedgekeurde adres.",
            "input_labels": {"from_time": "Van (tijd)", "to_time": "Tot (tijd)"},
        },
    },
    "MOV-01": {
        "de": {
            "text": "Betreten Sie die Verbotszone {zone} nicht ohne vorherige Zustimmung.",
            "input_labels": {"zone": "Zone"},
        },
        "fr": {
            "text": "Ne pas pénétrer dans la zone d'exclusion {zone} sans accord préalable.",
            "input_labels": {"zone": "Zone"},
        },
        "nl": {
            "text": "Betreed het verboden gebied {zone} niet zonder voorafgaande toestemming.",
            "input_labels": {"zone": "Gebied"},
        },
    },
    "MOV-02": {
        "de": {
            "text": "Verlassen Sie {territory} nicht ohne vorherige Zustimmung.",
            "input_labels": {"territory": "Land oder Region"},
        },
        "fr": {
            "text": "Ne pas quitter {territory} sans accord préalable.",
            "input_labels": {"territory": "Pays ou région"},
        },
        "nl": {
            "text": "Verlaat {territory} niet zonder voorafgaande toestemming.",
            "input_labels": {"territory": "Land of regio"},
        },
    },
    "MOV-03": {
        "de": {"text": "Geben Sie Ihren Reisepass und Ihre Reisedokumente bei der Bewährungshilfe ab."},
        "fr": {"text": "Remettre son passeport et ses documents de voyage au conseiller de probation."},
        "nl": {"text": "Lever uw paspoort en reisdocumenten in bij de reclasseringswerker."},
    },
    "CON-01": {
        "de": {
            "text": "Nehmen Sie weder direkt noch über andere Kontakt zu {person} auf.",
            "input_labels": {"person": "Benannte Person"},
        },
        "fr": {
            "text": "N'avoir aucun contact avec {person}, directement ou par l'intermédiaire d'autrui.",
            "input_labels": {"person": "Personne désignée"},
        },
        "nl": {
            "text": "Heb geen contact met {person}, direct of via anderen.",
            "input_labels": {"person": "Genoemde persoon"},
        },
    },
    "CON-02": {
        "de": {
            "text": (
                "Holen Sie vor jedem Kontakt zu einem Kind unter 18 Jahren die Zustimmung ein, außer bei "
                "{exception}."
            ),
            "input_labels": {"exception": "Ausnahme (z. B. eigene Kinder)"},
        },
        "fr": {
            "text": (
                "Obtenir un accord avant tout contact avec un enfant de moins de 18 ans, sauf {exception}."
            ),
            "input_labels": {"exception": "Exception (par ex. ses propres enfants)"},
        },
        "nl": {
            "text": "Vraag toestemming voor elk contact met een kind onder de 18, behalve {exception}.",
            "input_labels": {"exception": "Uitzondering (bijv. eigen kinderen)"},
        },
    },
    "EXT-01": {
        "de": {
            "text": (
                "Haben Sie ohne vorherige Zustimmung keinen Kontakt zu Personen, die wegen einer "
                "extremistischen oder terroristischen Straftat angeklagt oder verurteilt sind."
            )
        },
        "fr": {
            "text": (
                "N'avoir aucun contact, sans accord préalable, avec une personne poursuivie ou condamnée "
                "pour une infraction extrémiste ou terroriste."
            )
        },
        "nl": {
            "text": (
                "Heb zonder voorafgaande toestemming geen contact met iemand die voor een extremistisch of "
                "terroristisch misdrijf is vervolgd of veroordeeld."
            )
        },
    },
    "EXT-02": {
        "de": {
            "text": (
                "Besuchen oder organisieren Sie ohne vorherige Zustimmung keine Versammlungen oder Treffen "
                "außer zum Gottesdienst."
            )
        },
        "fr": {
            "text": (
                "Ne pas assister à des réunions ou rassemblements, ni en organiser, autres que pour le "
                "culte, sans accord préalable."
            )
        },
        "nl": {
            "text": (
                "Bezoek of organiseer zonder voorafgaande toestemming geen bijeenkomsten of samenkomsten, "
                "behalve voor erediensten."
            )
        },
    },
    "EXT-03": {
        "de": {
            "text": (
                "Halten Sie ohne vorherige Zustimmung keine Vorträge, Reden oder Predigten und nehmen Sie "
                "nicht daran teil."
            )
        },
        "fr": {
            "text": (
                "Ne pas donner de conférences, d'exposés ou de prêches, ni y participer, sans accord "
                "préalable."
            )
        },
        "nl": {"text": "Geef of volg zonder voorafgaande toestemming geen lezingen, toespraken of preken."},
    },
    "EXT-04": {
        "de": {
            "text": "Versuchen Sie nicht, andere für extremistische Ansichten oder Aktivitäten zu gewinnen."
        },
        "fr": {"text": "Ne pas tenter d'entraîner quiconque vers des idées ou des activités extrémistes."},
        "nl": {"text": "Probeer niemand te betrekken bij extremistische opvattingen of activiteiten."},
    },
    "EXT-05": {
        "de": {
            "text": (
                "Besitzen Sie kein Material, das Extremismus, Terrorismus oder paramilitärische Aktivitäten"
                " fördert."
            )
        },
        "fr": {
            "text": (
                "Ne détenir aucun document faisant la promotion de l'extrémisme, du terrorisme ou "
                "d'activités paramilitaires."
            )
        },
        "nl": {
            "text": "Bezit geen materiaal dat extremisme, terrorisme of paramilitaire activiteiten bevordert."
        },
    },
    "CND-01": {
        "de": {
            "text": (
                "Internetfähige Geräte: Nutzen Sie höchstens {number}, melden Sie jedes der Bewährungshilfe"
                " und bewahren Sie den Browserverlauf auf."
            ),
            "input_labels": {"number": "Höchstzahl der Geräte"},
        },
        "fr": {
            "text": (
                "Appareils connectés à internet : en utiliser au plus {number}, chacun déclaré au "
                "conseiller de probation, et conserver leur historique de navigation."
            ),
            "input_labels": {"number": "Nombre maximal d'appareils"},
        },
        "nl": {
            "text": (
                "Apparaten met internettoegang: gebruik er hoogstens {number}, meld elk ervan bij de "
                "reclasseringswerker en bewaar de browsegeschiedenis."
            ),
            "input_labels": {"number": "Maximumaantal apparaten"},
        },
    },
    "CND-02": {
        "de": {
            "text": (
                "Nutzen Sie ohne Zustimmung keine Verschlüsselung, Anonymisierungsdienste oder "
                "Cloud-Speicher."
            )
        },
        "fr": {
            "text": (
                "Ne pas utiliser de chiffrement, de services d'anonymisation ou de stockage en ligne sans "
                "accord."
            )
        },
        "nl": {
            "text": "Gebruik zonder toestemming geen versleuteling, anonimiseringsdiensten of cloudopslag."
        },
    },
    "CND-03": {
        "de": {
            "text": "Verkehren Sie nicht mit der Gruppe {group} oder ihren Mitgliedern.",
            "input_labels": {"group": "Benannte Gruppe"},
        },
        "fr": {
            "text": "Ne pas fréquenter le groupe {group} ni ses membres.",
            "input_labels": {"group": "Groupe désigné"},
        },
        "nl": {
            "text": "Ga niet om met de groep {group} of haar leden.",
            "input_labels": {"group": "Genoemde groep"},
        },
    },
    "POS-01": {
        "de": {"text": "Besitzen Sie nicht mehr als ein Mobiltelefon und geben Sie dessen Nummer an."},
        "fr": {"text": "Ne pas détenir plus d'un téléphone portable et en déclarer le numéro."},
        "nl": {"text": "Bezit niet meer dan één mobiele telefoon en geef het nummer op."},
    },
    "DIS-01": {
        "de": {
            "text": (
                "Teilen Sie der Bewährungshilfe jede neue Beziehung, Arbeitsstelle oder Ausbildung vor "
                "deren Beginn mit."
            )
        },
        "fr": {
            "text": (
                "Informer le conseiller de probation de toute nouvelle relation, de tout emploi ou de toute"
                " formation avant qu'ils ne commencent."
            )
        },
        "nl": {
            "text": (
                "Meld elke nieuwe relatie, baan of opleiding bij de reclasseringswerker voordat die begint."
            )
        },
    },
    "DIS-02": {
        "de": {
            "text": (
                "Geben Sie der Bewährungshilfe Auskunft über jedes Bankkonto und jedes Fahrzeug, das Sie "
                "nutzen."
            )
        },
        "fr": {
            "text": (
                "Communiquer au conseiller de probation les détails de chaque compte bancaire et de chaque "
                "véhicule utilisé."
            )
        },
        "nl": {
            "text": (
                "Geef de reclasseringswerker de gegevens van elke bankrekening en elk voertuig dat u "
                "gebruikt."
            )
        },
    },
    "MON-01": {
        "de": {
            "text": "Tragen Sie eine elektronische Fußfessel zur Überwachung von {monitored}.",
            "input_labels": {"monitored": "Was überwacht wird (z. B. Ausgangssperre, Zone)"},
        },
        "fr": {
            "text": "Porter un bracelet électronique pour contrôler le respect de {monitored}.",
            "input_labels": {"monitored": "Ce qui est contrôlé (par ex. couvre-feu, zone)"},
        },
        "nl": {
            "text": "Draag een enkelband om de naleving van {monitored} te controleren.",
            "input_labels": {"monitored": "Wat wordt gecontroleerd (bijv. avondklok, gebied)"},
        },
    },
    "PRG-01": {
        "de": {
            "text": "Nehmen Sie nach Anweisung an {programme} teil.",
            "input_labels": {"programme": "Programm"},
        },
        "fr": {
            "text": "Participer à {programme} selon les instructions.",
            "input_labels": {"programme": "Programme"},
        },
        "nl": {
            "text": "Neem deel aan {programme} zoals aangegeven.",
            "input_labels": {"programme": "Programma"},
        },
    },
    "PRG-02": {
        "de": {
            "text": "Treffen Sie die Mentorin oder den Mentor von {provider} wie vereinbart.",
            "input_labels": {"provider": "Träger"},
        },
        "fr": {
            "text": "Rencontrer le mentor de {provider} comme convenu.",
            "input_labels": {"provider": "Prestataire"},
        },
        "nl": {
            "text": "Ontmoet de mentor van {provider} zoals afgesproken.",
            "input_labels": {"provider": "Aanbieder"},
        },
    },
    "DRG-01": {
        "de": {
            "text": "Nehmen Sie die Termine bei {treatment} wahr und folgen Sie dem Behandlungsplan.",
            "input_labels": {"treatment": "Behandlungsstelle"},
        },
        "fr": {
            "text": "Se rendre aux rendez-vous de {treatment} et suivre son plan de traitement.",
            "input_labels": {"treatment": "Service de soins"},
        },
        "nl": {
            "text": "Kom op de afspraken bij {treatment} en volg het behandelplan.",
            "input_labels": {"treatment": "Behandelinstantie"},
        },
    },
    "ORG-01": {
        "de": {
            "text": "Führen Sie ohne Grund nicht mehr als {amount} Bargeld mit sich.",
            "input_labels": {"amount": "Betrag"},
        },
        "fr": {
            "text": "Ne pas transporter plus de {amount} en espèces sans motif.",
            "input_labels": {"amount": "Montant"},
        },
        "nl": {
            "text": "Draag zonder reden niet meer dan {amount} aan contant geld bij u.",
            "input_labels": {"amount": "Bedrag"},
        },
    },
    "PLY-01": {
        "de": {"text": "Nehmen Sie nach Anweisung an Polygraphentests teil."},
        "fr": {"text": "Se soumettre aux séances de polygraphe selon les instructions."},
        "nl": {"text": "Neem deel aan polygraafsessies zoals aangegeven."},
    },
    "TPS-01": {
        "de": {
            "text": (
                "Dulden Sie die Durchsuchung Ihrer Person, Ihrer Sachen und Ihres Fahrzeugs durch die "
                "Polizei zur Kontrolle der Einhaltung."
            )
        },
        "fr": {
            "text": (
                "Se soumettre à la fouille de sa personne, de ses effets et de son véhicule par la police "
                "pour contrôler le respect des obligations."
            )
        },
        "nl": {
            "text": (
                "Werk mee aan het doorzoeken van uw persoon, spullen en voertuig door de politie om de "
                "naleving te controleren."
            )
        },
    },
    "REP-01": {
        "de": {
            "text": "Melden Sie sich bei {place} zu folgenden Zeiten: {times}.",
            "input_labels": {"place": "Polizeidienststelle oder Büro", "times": "Tage und Uhrzeiten"},
        },
        "fr": {
            "text": "Se présenter à {place} aux jours et heures suivants : {times}.",
            "input_labels": {"place": "Commissariat ou bureau", "times": "Jours et heures"},
        },
        "nl": {
            "text": "Meld u bij {place} op deze dagen en tijden: {times}.",
            "input_labels": {"place": "Politiebureau of kantoor", "times": "Dagen en tijden"},
        },
    },
}


def ensure_catalogue(template_model: Any) -> None:
    """Install this version of the catalogue, with its translations; earlier versions stay (conditions
    ordered from them keep their wording) but are no longer offered."""
    for code, category, text, labels, measure in CONDITIONS:
        template_model.objects.get_or_create(
            catalogue_version=VERSION,
            code=code,
            defaults={"category": category, "text": text, "input_labels": labels, "fd_measure": measure},
        )
    template_model.objects.exclude(catalogue_version=VERSION).update(is_current=False)
    if any(field.name == "translations" for field in template_model._meta.get_fields()):
        translate_catalogue(template_model)


def translate_catalogue(template_model: Any) -> None:
    """Give this version's conditions their shipped translations where they have none yet (an
    administrator's own translations stay)."""
    fill_translations(
        template_model.objects.filter(catalogue_version=VERSION), lambda row: TRANSLATIONS.get(row.code)
    )
