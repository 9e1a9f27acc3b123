"""The append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change: who (actor, copied name, organisation), what (namespaced action such as
    ``patents.patent.approved``), on which object (type, id, repr), the before/after values in
    ``data``, and the request id that groups one request's changes. Written inside the same
    transaction as the change it records; never updated or deleted by the application.
    """

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    # Imports write one event per patent; every index here costs on each of them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    actor_name = models.CharField(max_length=150, blank=True)
    org = models.ForeignKey("accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-timestamp", "-id")
        indexes = (models.Index(fields=("target_type", "target_id")),)
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("AuditEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("AuditEvent is append-only")


class Notification(models.Model):
    """A message to an organisation shown in the platform (e.g. a patent entered the public list)."""

    org = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"

    def __str__(self) -> str:
        return self.message[:60]
