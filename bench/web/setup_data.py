"""Child process: fill a fresh data directory/database with the SYNTHETIC library and print the
credentials the load client needs (one JSON line).

Runs under whichever source tree ``PYTHONPATH`` selects (the baseline commit or the working tree),
so the schema is the one that code expects. Patents go in through the bulk import writer
(multi-row INSERTs in ``patents/upsert.py``), not through the web upload.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(corpus: Path, build_index: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patentbridge.settings")
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from patentbridge.accounts.models import ApiToken, Membership, Organization
    from patentbridge.ingest.services import create_batch, run_batch
    from patentbridge.search.index import rebuild_index

    call_command("init", verbosity=0)
    timings: dict[str, float] = {}
    system = get_user_model().objects.get(username="system")
    t0 = time.perf_counter()
    if corpus.exists():
        batch = create_batch(actor=system, source=corpus, original_name=corpus.name, copy=False)
        batch = run_batch(batch.pk)
        timings["import_seconds"] = round(time.perf_counter() - t0, 1)
        timings["imported"] = batch.imported
    if build_index:
        t0 = time.perf_counter()
        timings["indexed"] = rebuild_index()
        timings["index_seconds"] = round(time.perf_counter() - t0, 1)
    org, _ = Organization.objects.get_or_create(name="青岛合成测试制造有限公司", kind="enterprise")
    user = get_user_model().objects.filter(username="bench_enterprise").first()
    if user is None:
        user = get_user_model().objects.create_user(username="bench_enterprise", password=None)
        Membership.objects.create(user=user, org=org, role="enterprise")
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="bench", key_hash=ApiToken.hash_key(key))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(json.dumps({"token": key, "session": session.session_key, **timings}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] == "1")
