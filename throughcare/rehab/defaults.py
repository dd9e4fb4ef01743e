"""The default criteria set, written for Throughcare, loaded from `data/criteria-default.json`.

Used by the data migration (with historical models) and wherever the set must exist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "criteria-default.json"


def ensure_default_criteria(criteria_set_model: Any, criterion_model: Any) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if criteria_set_model.objects.filter(code=data["code"]).exists():
        return
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
