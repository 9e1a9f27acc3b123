"""The NinjaAPI instance: OpenAPI docs at /api/docs, a uniform error envelope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from patentbridge.api.auth import api_auth
from patentbridge.api.routes import router

api = NinjaAPI(title="PatentBridge 专利桥 API", version="1", auth=api_auth, urls_namespace="api")
api.add_router("/", router)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"error": "forbidden", "detail": str(exc) or "无权访问"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"error": "not_found", "detail": "未找到"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"error": "invalid", "detail": exc.messages}, status=422)
