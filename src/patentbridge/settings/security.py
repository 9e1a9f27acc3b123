"""Settings: security (read from PATENTBRIDGE_* environment variables; see docs/configuration.md).

Star-imported at the end of ``settings/__init__.py``; the ``SECURITY_*`` lists are appended there to
``INSTALLED_APPS`` and ``MIDDLEWARE`` (importing the package from here would be circular).
"""

from __future__ import annotations

import os
from datetime import timedelta

from patentbridge.settings import env
from patentbridge.settings.env import setting

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "AUTH_PASSWORD_VALIDATORS",
    "AXES_COOLOFF_MESSAGE",
    "AXES_COOLOFF_TIME",
    "AXES_ENABLE_ADMIN",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_CALLABLE",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_PERMALOCK_MESSAGE",
    "AXES_RESET_ON_SUCCESS",
    "AXES_VERBOSE",
    "CONTENT_SECURITY_POLICY",
    "CSRF_COOKIE_SECURE",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
    "FILE_UPLOAD_PERMISSIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURITY_APPS",
    "SECURITY_MIDDLEWARE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
]


# The data directory holds the database (and its -wal/-shm), the secret key, uploaded files, demo
# credentials and search indexes: nothing in it is for other local users. Every PatentBridge process
# (serve, worker, CLI, WSGI) loads these settings first, so files it creates are 0600 and dirs 0700.
os.umask(0o077)
# Django chmods uploaded files itself (default 0644), so the umask alone would not cover them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Appended to INSTALLED_APPS / MIDDLEWARE by settings/__init__.py. Axes' middleware turns a lockout
# into the lockout page; its docs ask for it last.
SECURITY_APPS = ["axes"]
SECURITY_MIDDLEWARE = [
    "patentbridge.core.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Axes first: it refuses a locked-out username+IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures for one username from one IP lock that pair for
# 15 minutes — enough for typos, far too few for guessing. The IP is REMOTE_ADDR (axes' default):
# a client cannot pick another address with X-Forwarded-For to escape the lockout.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Chinese page inside the site layout, HTTP 429.
AXES_LOCKOUT_CALLABLE = "patentbridge.accounts.lockout.lockout_response"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号已被暂时锁定，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已被锁定，请联系平台管理员解锁。"
# The attempt list is shown read-only in accounts/admin.py (the admin never changes data).
AXES_ENABLE_ADMIN = False
# Axes logs its configuration at start-up; the audit log already records every failure.
AXES_VERBOSE = False

# Django's validators; LANGUAGE_CODE zh-hans gives their Chinese messages (accounts/passwords.py adds
# the one Django's catalogue lacks).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "patentbridge.accounts.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Deployment behind HTTPS (a reverse proxy or a TLS-terminating server).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = setting(
    "PATENTBRIDGE_SECURE_COOKIES",
    "",
    "`True` behind HTTPS: session and CSRF cookies are sent over HTTPS only "
    "(`SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`)",
    parse=env.flag,
    shown="`False`",
)
SECURE_HSTS_SECONDS = setting(
    "PATENTBRIDGE_HSTS_SECONDS",
    "",
    "`Strict-Transport-Security` max-age on HTTPS responses (e.g. `31536000`); "
    "set only once HTTPS works for good",
    parse=env.whole_seconds,
    shown="`0`",
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = setting(
    "PATENTBRIDGE_HSTS_INCLUDE_SUBDOMAINS",
    "",
    "adds `includeSubDomains` to the HSTS header",
    parse=env.flag,
    shown="`False`",
)
# Only when a proxy that sets X-Forwarded-Proto (and strips the client's own) is in front.
_PROXY_SSL_HEADER = setting(
    "PATENTBRIDGE_PROXY_SSL_HEADER",
    "",
    "`True` when a reverse proxy terminates TLS and sets `X-Forwarded-Proto: https` (and strips the "
    "client's own); Django then treats such requests as secure",
    parse=env.flag,
    shown="`False`",
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _PROXY_SSL_HEADER else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts only from our own static files (HTMX and Swagger are vendored); inline style attributes
# and the print stylesheet of the assessment report need 'unsafe-inline' for styles; Swagger UI shows
# data: images. PATENTBRIDGE_CSP replaces the whole policy (unset or empty: this default).
_CSP = setting(
    "PATENTBRIDGE_CSP",
    "",
    "replaces the whole `Content-Security-Policy` header",
    shown="the policy under *Security defaults*",
)
DEFAULT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY = _CSP or DEFAULT_CONTENT_SECURITY_POLICY
