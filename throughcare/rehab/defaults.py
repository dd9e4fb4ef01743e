"""The default criteria set, written for Throughcare, loaded from `data/criteria-default.json` with its
wording in German, French and Dutch.

Used by the data migrations (with historical models) and wherever the set must exist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from throughcare.lib.translated import fill_translations

DATA = Path(__file__).resolve().parent / "data" / "criteria-default.json"


def ensure_default_criteria(criteria_set_model: Any, criterion_model: Any) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if not criteria_set_model.objects.filter(code=data["code"]).exists():
        criteria_set = criteria_set_model.objects.create(
            code=data["code"], name=data["name"], description=data["description"], is_default=True
        )
        criterion_model.objects.bulk_create(
            criterion_model(
                criteria_set=criteria_set,
                code=item["code"],
                title=item["title"],
                guidance=item["guidance"],
                mandatory=item["mandatory"],
                order=order,
            )
            for order, item in enumerate(data["criteria"])
        )
    if _translatable(criteria_set_model):
        translate_default_criteria(criteria_set_model, criterion_model)


def translate_default_criteria(criteria_set_model: Any, criterion_model: Any) -> None:
    """Give the default set and its criteria their shipped translations where they have none yet (an
    administrator's own translations stay)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    criteria_set = criteria_set_model.objects.filter(code=data["code"]).first()
    if criteria_set is None:
        return
    fill_translations([criteria_set], lambda row: data.get("translations"))
    shipped = {item["code"]: item.get("translations") for item in data["criteria"]}
    fill_translations(
        criterion_model.objects.filter(criteria_set=criteria_set), lambda row: shipped.get(row.code)
    )


def _translatable(model: Any) -> bool:
    return any(field.name == "translations" for field in model._meta.get_fields())
