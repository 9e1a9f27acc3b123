"""Domain events: delivered after commit only, to the apps that subscribed in ready(); quiet() for bulk loads."""

from __future__ import annotations

import pytest
from django.db import transaction

from patentbridge.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received():
    seen: list[object] = []

    def handler(payload: object) -> None:
        seen.append(payload)

    events.subscribe(events.NEEDS_CHANGED, handler)
    yield seen
    events._subscribers[events.NEEDS_CHANGED].remove(handler)


def test_delivered_after_commit_and_never_for_a_rollback(received):
    """A rolled-back change announces nothing; a committed one is delivered once, after the commit."""
    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce(events.NEEDS_CHANGED, [1])
        raise RuntimeError("rolled back")
    assert received == []
    with transaction.atomic():
        events.announce(events.NEEDS_CHANGED, [2])
        assert received == []  # not before the commit
    assert received == [[2]]


def test_quiet_suppresses_announcements_inside_the_block(received):
    """A bulk loader can write without triggering per-change work, then rebuild once."""
    with events.quiet(), transaction.atomic():
        events.announce(events.NEEDS_CHANGED, [3])
    assert received == []
    with transaction.atomic():
        events.announce(events.NEEDS_CHANGED, [4])
    assert received == [[4]]


def test_apps_subscribe_in_ready_and_unknown_events_are_refused():
    """Search, inventor teams and grading follow patent changes and imports; search follows needs."""
    modules = {h.__module__ for h in events.subscribers(events.PATENTS_CHANGED)}
    assert {
        "patentbridge.search.tasks",
        "patentbridge.matching.tasks",
        "patentbridge.grading.tasks",
    } <= modules
    modules = {h.__module__ for h in events.subscribers(events.IMPORT_COMPLETED)}
    assert {
        "patentbridge.search.tasks",
        "patentbridge.matching.tasks",
        "patentbridge.grading.tasks",
    } <= modules
    assert {h.__module__ for h in events.subscribers(events.NEEDS_CHANGED)} >= {"patentbridge.search.tasks"}
    with pytest.raises(KeyError):
        events.announce("patent_exploded", [])
    with pytest.raises(KeyError):
        events.subscribe("patent_exploded", print)
