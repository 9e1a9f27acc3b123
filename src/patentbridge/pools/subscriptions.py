"""The pools' part of the nightly run: when the daily licensing sweep finishes (its summary audit
event ``licensing.sweep.completed`` is saved), the pool statuses are brought up to the same day
once that transaction commits — a signal, so neither the scheduler nor licensing knows pools."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.services.sweep import SUMMARY_ACTION

__all__ = ["after_licensing_sweep", "register"]

logger = logging.getLogger(__name__)


def _run(day: dt.date) -> None:
    from patentbridge.pools.services.ledger import sweep

    try:
        sweep(day)
    except Exception:  # the licensing sweep already committed; a pool problem must not hide it
        logger.exception("专利池每日核查失败（%s），可运行 patentbridge pools-sweep 补跑", day)


def after_licensing_sweep(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.action != SUMMARY_ACTION:
        return
    try:
        day = dt.date.fromisoformat(str((instance.data or {}).get("as_of", "")))
    except ValueError:
        return
    transaction.on_commit(lambda: _run(day))


def register() -> None:
    post_save.connect(after_licensing_sweep, sender=AuditEvent, dispatch_uid="pools.after_licensing_sweep")
