from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "throughcare.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Registers the production settings checks (imported for its decorator) and the daily jobs: months
        # made ahead, sealing, the checkpoint.
        from throughcare.audit import checks  # noqa: F401
        from throughcare.audit.anchor import write_checkpoint
        from throughcare.audit.chain import seal_all
        from throughcare.audit.partitions import ahead
        from throughcare.lib.daily import DailyJob, register_daily

        register_daily("audit.partitions", DailyJob(898, "Audit log months made ahead: {count}.", ahead))
        register_daily("audit.seal", DailyJob(899, "Audit events sealed: {count}.", lambda day: seal_all()))
        register_daily(
            "audit.checkpoint", DailyJob(900, "Signed audit checkpoints written: {count}.", write_checkpoint)
        )
