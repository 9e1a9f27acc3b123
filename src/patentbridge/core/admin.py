"""The back office reads; it never writes.

Every state change must go through a ``services.py`` function that writes its audit event in the
same transaction. A writable Django admin would bypass that, so every ModelAdmin (and inline) of the
project uses ``ReadOnlyAdminMixin``; ``tests/web/test_admin_audit.py`` checks every registered model.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

__all__ = ["ReadOnlyAdminMixin"]


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin: such POSTs are answered with 403 and change nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
