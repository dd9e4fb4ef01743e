from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from throughcare.api import outbox, tokens
from throughcare.api.models import ApiToken, Delivery, Subscription


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made by their users (Your account) or with `manage.py create_api_token`; here an
    administrator sees them all and can revoke one (a service account's, a leaver's)."""

    list_display = [
        "prefix",
        "name",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "user__kind"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            tokens.revoke(token, by=request.user)  # type: ignore[arg-type]
        messages.success(request, gettext("The selected tokens are revoked."))


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ["subscriber", "url", "event_types", "categories", "is_active", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret"]
    readonly_fields = ["subscriber", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the service account itself (POST /api/v1/subscriptions): the secret is its


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Deliveries that failed too often are parked as dead; an administrator replays them once the
    receiver is mended."""

    list_display = [
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "delivered_at",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    @admin.action(description="Send the selected dead deliveries again")
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = outbox.replay(queryset)
        messages.success(request, gettext("%(count)s deliveries will be sent again.") % {"count": count})
