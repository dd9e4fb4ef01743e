from collections.abc import Collection

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "throughcare.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # The lock order (case rows, then the audit chain head) is wired here, where both apps are loaded.
        from throughcare.audit.chain import lock_first

        lock_first(lock_cases)


def lock_cases(case_ids: Collection[int]) -> None:
    """Lock case rows in ascending id, as the chain head's lock order asks (see audit.chain)."""
    from throughcare.cases.models import Case  # apps.py is imported before the models are ready

    list(
        Case.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(case_ids))
        .order_by("pk")
        .values("pk")
    )
