"""Login lockout and its audit trail, password rules, private data files, security headers."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from patentbridge.core.models import AuditEvent

from .conftest import PASSWORD, demo_file
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "patentbridge" / "templates"
LOCKOUT_TEXT = "登录已被暂时锁定"


@pytest.fixture
def lockout(settings: Any) -> None:
    """Lockout on (conftest turns it off because the test client's login() passes no request)."""
    settings.AXES_ENABLED = True


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_five_wrong_passwords_lock_the_account_with_a_chinese_page(users, lockout):
    """After 5 failures for one username+IP even the right password is refused (HTTP 429, in Chinese)."""
    client = Client()
    for _ in range(4):
        assert _login(client, "tto", "wrong-password").status_code == 200
    fifth = _login(client, "tto", "wrong-password")
    assert fifth.status_code == 429 and LOCKOUT_TEXT in fifth.content.decode()
    refused = _login(client, "tto", PASSWORD)
    page = refused.content.decode()
    assert refused.status_code == 429 and LOCKOUT_TEXT in page and "15 分钟后再试" in page
    assert '<header class="top">' in page  # inside the site layout
    assert client.get("/").status_code == 302  # not logged in
    # The lock is per username and address: the same user from elsewhere still logs in.
    assert _login(Client(), "tto", PASSWORD, ip="10.0.0.2").status_code == 302


def test_failed_logins_and_lockout_are_audited_without_the_password(users, lockout):
    """Each failure is an audit event with the username tried and the IP; the lockout is one too."""
    client = Client()
    _login(client, "nobody-here", "secret-guess-1", ip="10.0.0.9")
    for _ in range(5):
        _login(client, "tto", "secret-guess-2", ip="10.0.0.9")
    failed = AuditEvent.objects.filter(action="accounts.login.failed")
    assert failed.count() == 6
    assert {(e.data["username"], e.data["ip"]) for e in failed} == {
        ("nobody-here", "10.0.0.9"),
        ("tto", "10.0.0.9"),
    }
    tto_event = failed.filter(target_id=str(users["tto"].pk)).first()
    assert tto_event.actor_name == "anonymous" and tto_event.org == users["tto"].membership.org
    locked = AuditEvent.objects.get(action="accounts.login.locked_out")
    assert locked.data == {"username": "tto", "ip": "10.0.0.9"}
    stored = json.dumps(list(AuditEvent.objects.values("data", "object_repr")), ensure_ascii=False)
    assert "secret-guess" not in stored
    assert _login(Client(), "tto", PASSWORD, ip="10.0.0.3").status_code == 302
    succeeded = AuditEvent.objects.get(action="accounts.user.logged_in")
    assert succeeded.data == {"ip": "10.0.0.3"}


def test_password_rules_reject_short_common_numeric_and_similar_in_chinese(users):
    """Django's validators apply: length ≥ 10, not common, not all digits, not like the username."""
    user = users["operator"]
    for weak in ("short1", "1234567890123", "password123", "operator-1"):
        with pytest.raises(ValidationError) as caught:
            validate_password(weak, user)
        text = " ".join(caught.value.messages)
        assert re.search(r"[\u4e00-\u9fff]", text) and "This password" not in text
    validate_password("绿色低碳换热器-2024-xk", user)


def test_demo_account_passwords_pass_the_password_rules(orgs):
    """The demo loader's generated passwords satisfy the validators (so demo users are not weaker)."""
    from django.contrib.auth import get_user_model

    from patentbridge.site.demo_orgs import create_demo_accounts

    for username, password, _ in create_demo_accounts():
        validate_password(password, get_user_model().objects.get(username=username))


def test_security_headers_on_pages(users):
    """Pages carry CSP (scripts only from our origin, no framing), nosniff, referrer policy, DENY."""
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin" and response["X-Frame-Options"] == "DENY"
    logged_in = _login(Client(), "tto", PASSWORD)
    assert logged_in.cookies["sessionid"]["httponly"]
    docs = client_for(users["tto"]).get("/api/docs")
    assert docs.status_code == 200 and "Content-Security-Policy" in docs
    assert "cdn.jsdelivr.net" not in docs.content.decode()


def test_no_inline_script_in_templates():
    """No inline <script> blocks or on* handlers: the CSP (script-src 'self') would block them."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        inline = [m for m in re.finditer(r"<script(?P<attrs>[^>]*)>", text) if "src=" not in m["attrs"]]
        if inline or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(path.name)
    assert offenders == []


def test_deployment_settings_come_from_the_environment():
    """PATENTBRIDGE_SECURE_COOKIES, _HSTS_SECONDS, _HSTS_INCLUDE_SUBDOMAINS, _PROXY_SSL_HEADER are read."""
    code = (
        "import json; from patentbridge import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_PROXY_SSL_HEADER]))"
    )

    def read(**variables: str) -> list[Any]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PATENTBRIDGE_"))}
        env.update(PATENTBRIDGE_SECRET_KEY="x" * 50, **variables)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    assert read() == [False, False, 0, False, None]
    assert read(
        PATENTBRIDGE_SECURE_COOKIES="True",
        PATENTBRIDGE_HSTS_SECONDS="31536000",
        PATENTBRIDGE_HSTS_INCLUDE_SUBDOMAINS="True",
        PATENTBRIDGE_PROXY_SSL_HEADER="True",
    ) == [True, True, 31536000, True, ["HTTP_X_FORWARDED_PROTO", "https"]]


def test_init_makes_the_data_directory_owner_only(tmp_path):
    """After ``patentbridge init`` (started with umask 022) the db, its WAL files, the secret key and
    files that were there before are 0600, directories 0700."""
    data = tmp_path / "data"
    (data / "old").mkdir(parents=True, mode=0o755)
    (data / "old" / "notes.txt").write_text("x")
    (data / "old" / "notes.txt").chmod(0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(PATENTBRIDGE_DATA_DIR=str(data), PATENTBRIDGE_DATABASE_URL="", PATENTBRIDGE_TASKS="immediate")
    env.pop("PATENTBRIDGE_SECRET_KEY", None)
    subprocess.run(
        [sys.executable, "-m", "patentbridge", "init"], env=env, check=True, capture_output=True, umask=0o022
    )
    for path in (data / "db.sqlite3", data / "secret_key", data / "old" / "notes.txt"):
        assert _mode(path) == 0o600, path
    assert _mode(data) == 0o700 and _mode(data / "old") == 0o700
    previous = os.umask(0o022)  # SQLite gives -wal/-shm the database file's mode, whatever the umask
    try:
        with sqlite3.connect(data / "db.sqlite3") as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE probe (x INTEGER)")
            assert _mode(data / "db.sqlite3-wal") == 0o600 and _mode(data / "db.sqlite3-shm") == 0o600
        db.close()
    finally:
        os.umask(previous)


def test_uploads_and_everything_under_the_data_dir_are_owner_only(
    users, settings, tmp_path, django_capture_on_commit_callbacks
):
    """An uploaded import file, its directory, the search index and reports are 0600 / 0700."""
    content = demo_file(tmp_path, "schema_sample_10.csv.gz").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users["tto"]).post("/imports/", {"file": SimpleUploadedFile("sample.csv", content)})
    data = Path(settings.DATA_DIR)
    stored = list((Path(settings.MEDIA_ROOT) / "imports").rglob("sample.csv"))
    assert len(stored) == 1
    entries = [p for p in data.rglob("*") if not p.is_symlink()]
    wrong = {
        str(p.relative_to(data)): oct(_mode(p))
        for p in entries
        if _mode(p) != (0o700 if p.is_dir() else 0o600)
    }
    assert wrong == {}
