"""How rehabilitation takes part in the whole: its Needs attention items (registered in
`RehabConfig.ready`)."""

from __future__ import annotations

from throughcare.rehab import attention


def register() -> None:
    attention.contribute()
