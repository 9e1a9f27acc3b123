"""Error answers that Django would otherwise give in its own words: a form posted without a valid
CSRF token (an expired page), and an /api/ path no endpoint serves (JSON, like every API answer)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

__all__ = ["api_not_found", "csrf_failure"]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: nothing was saved; say why in Chinese and how to go on."""
    return render(request, "403_csrf.html", status=403)


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any /api/ path without an endpoint: a JSON 404 with a Chinese detail, not the HTML page."""
    return JsonResponse(
        {"error": "not_found", "detail": "未找到该接口，请查看 /api/docs 中的接口列表"},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
