"""The NinjaAPI instance: OpenAPI docs at /api/docs, a uniform error envelope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from patentbridge.analytics.api import router as analytics_router
from patentbridge.api.auth import api_auth
from patentbridge.ingest.api import router as ingest_router
from patentbridge.licensing.api.licences import router as licences_router
from patentbridge.licensing.api.money import router as money_router
from patentbridge.licensing.api.open import router as open_licences_router
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.menus.api import router as menus_router
from patentbridge.navigation.api import router as navigation_router
from patentbridge.patents.api import router as patents_router
from patentbridge.pools.api import router as pools_router
from patentbridge.roadshows.api import router as roadshows_router
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
api.add_router("/", pools_router)
api.add_router("/", roadshows_router)
api.add_router("/", analytics_router)
api.add_router("/", navigation_router)


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


# Ninja's own request errors arrive in English; every caller gets Chinese (the field named).
_PARAM_PROBLEMS = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为是或否（true/false）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "string_type": "应为文本",
    "string_too_long": "过长",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "greater_than": "超出允许范围",
    "greater_than_equal": "超出允许范围",
    "less_than": "超出允许范围",
    "less_than_equal": "超出允许范围",
}
_PLACES = {"path": "路径参数", "query": "查询参数", "body": "请求体", "form": "表单", "header": "请求头"}
_STATUS_TEXT = {400: "请求格式不正确（请求体应为 JSON 对象）", 401: "未登录或 API 令牌无效", 403: "无权访问"}


def _describe(error: dict[str, object]) -> str:
    loc = [str(part) for part in error.get("loc", []) or []]  # type: ignore[attr-defined]
    place = _PLACES.get(loc[0], loc[0]) if loc else "参数"
    name = ".".join(loc[1:]) or "内容"
    problem = _PARAM_PROBLEMS.get(str(error.get("type", "")), "格式不正确")
    return f"{place} {name} {problem}"


@api.exception_handler(NinjaValidationError)
def _bad_params(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Parameters or a body that do not match the schema: 422 with one Chinese line per problem."""
    detail = [_describe(e) for e in exc.errors] or ["请求参数格式不正确"]
    return api.create_response(request, {"error": "invalid", "detail": detail}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's HTTP errors (an unparsable body, a failed login) keep their status; an English
    message is replaced by a Chinese one, a Chinese one from our own code is kept."""
    message = str(exc)
    if message.startswith("CSRF"):
        message = "浏览器会话请求缺少有效的 CSRF 令牌：请刷新页面后重试；脚本调用请使用 API 令牌（Authorization: Bearer）"
    elif not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        message = _STATUS_TEXT.get(exc.status_code, "请求无法处理")
    return api.create_response(request, {"detail": message}, status=exc.status_code)
