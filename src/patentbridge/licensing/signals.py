"""In-process signals between the licensing modules, sent inside the service's transaction so
that what a receiver writes commits or rolls back with the change that caused it.

The contract services send them; the money, open-licence and filing modules listen (connected
in their ``register()``), so the contract core does not import the modules built on it."""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: contract, actor, on_date
contract_signed = Signal()
# kwargs: contract, actor, on_date — a paid phase begins (signing a paid licence, or conversion)
paid_phase_started = Signal()
# kwargs: contract, actor, on_date, state — the contract reached an end state
contract_ended = Signal()
# kwargs: payment, actor
payment_recorded = Signal()
