"""The practitioners of `bench/load.py` for locust: each simulated user is one person of the scale world,
signed in (a session made for them beforehand), going through the pages of their working day without
pausing. The plan — who, their cookies, their pages — comes from the file named by BENCH_LOAD_PLAN.

Officers: their caseload, one of their cases, its timeline, a search by surname, Needs attention.
Managers: every case they can see, their agency's Needs attention, a search, a case.
A plan with only a "trivial" page measures the box's ceiling: the same load on a page that does nothing.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
_people = itertools.cycle(PLAN["people"])


class Practitioner(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.person = next(_people)
        self.headers = {"Cookie": self.person["cookie"]}
        self.random = random.Random(self.person["username"])

    @task
    def next_page(self) -> None:
        name, urls = self.random.choices(self.person["pages"], weights=self.person["weights"])[0]
        url = self.random.choice(urls)
        with self.client.get(
            url, headers=self.headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:  # a redirect would be to the sign-in page: signed out
                response.failure(f"{response.status_code} for {url}")
