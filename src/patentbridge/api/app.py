"""The NinjaAPI instance: OpenAPI docs at /api/docs, a uniform error envelope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from patentbridge.analytics.api import router as analytics_router
from patentbridge.api.auth import api_auth
from patentbridge.ingest.api import router as ingest_router
from patentbridge.licensing.api.licences import router as licences_router
from patentbridge.licensing.api.money import router as money_router
from patentbridge.licensing.api.open import router as open_licences_router
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.menus.api import router as menus_router
from patentbridge.patents.api import router as patents_router
from patentbridge.search.api import router as search_router

api = NinjaAPI(title="PatentBridge 专利桥 API", version="1", auth=api_auth, urls_namespace="api")
# Each app owns its routes; the API package only mounts them and shapes errors.
api.add_router("/", patents_router)
api.add_router("/", ingest_router)
api.add_router("/", search_router)
api.add_router("/", licences_router)
api.add_router("/", open_licences_router)
api.add_router("/", money_router)
api.add_router("/", menus_router)
api.add_router("/", analytics_router)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"error": "forbidden", "detail": str(exc) or "无权访问"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"error": "not_found", "detail": "未找到"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"error": "invalid", "detail": exc.messages}, status=422)


@api.exception_handler(LicensingRefused)
def _refused(request: HttpRequest, exc: LicensingRefused) -> HttpResponse:
    """A licensing rule refused the action: 422 with the rule's code and Chinese reason."""
    return api.create_response(request, exc.as_payload(), status=422)
