from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve

from patentbridge.accounts import views as account_views
from patentbridge.api.app import api
from patentbridge.site import errors as site_errors
from patentbridge.site import views as site_views
from patentbridge.site.notification_views import notification_list

admin.site.site_header = "PatentBridge 专利桥 · 运营后台"
admin.site.site_title = "专利桥后台"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("orgs/<int:pk>/", account_views.organization_detail, name="organization"),
    path("accounts/profile/tokens/", account_views.create_token, name="create_token"),
    path("accounts/profile/tokens/<int:pk>/revoke/", account_views.revoke_token, name="revoke_token"),
    path("patents/", include("patentbridge.patents.urls")),
    path("imports/", include("patentbridge.ingest.urls")),
    path("needs/", include("patentbridge.demands.urls")),
    path("matching/", include("patentbridge.matching.urls")),
    path("search/", include("patentbridge.search.urls")),
    path("grading/", include("patentbridge.grading.urls")),
    path("licensing/", include("patentbridge.licensing.urls")),
    path("menus/", include("patentbridge.menus.urls")),
    path("pools/", include("patentbridge.pools.urls")),
    path("roadshows/", include("patentbridge.roadshows.urls")),
    path("stats/", include("patentbridge.analytics.urls")),
    path("navigation/", include("patentbridge.navigation.urls")),
    path("audit/", site_views.audit_list, name="audit"),
    path("notifications/", notification_list, name="notifications"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # After the API's own routes: an unknown /api/ path answers JSON, like every API answer.
    re_path(r"^api/(?P<path>.*)$", site_errors.api_not_found),
    # Embedded mode has no separate web server for static files; collectstatic fills STATIC_ROOT.
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
]
