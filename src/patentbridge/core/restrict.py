"""One permission vocabulary for querysets: ``restrict(queryset, user, action)``.

Every model a user can see has one rule, registered by its app in ``AppConfig.ready()``; views, the
API, exports and search all call ``restrict`` with an action of ``accounts/policies.py`` ("view",
"change", "review" …), whatever the model. A queryset of a model without a rule is refused, so a new
model cannot be shown by mistake before its rule exists (architecture.md §3 rule 7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

__all__ = ["register_rule", "registered_models", "restrict"]

M = TypeVar("M", bound=Model)
Rule = Callable[[QuerySet[Any], Any, str], QuerySet[Any]]
_rules: dict[type[Model], Rule] = {}


def register_rule(model: type[Model], rule: Rule) -> None:
    """``rule(queryset, user, action)`` decides which rows of ``model`` a user may act on."""
    _rules[model] = rule


def registered_models() -> list[type[Model]]:
    """The models that have a rule (for tests and diagnostics)."""
    return list(_rules)


def restrict(queryset: QuerySet[M], user: Any, action: str = "view") -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may ``action``; KeyError for a model without a rule."""
    rule = _rules.get(queryset.model)
    if rule is None:
        raise KeyError(f"no access rule registered for {queryset.model._meta.label}")
    return rule(queryset, user, action)
