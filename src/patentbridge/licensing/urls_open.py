"""Licensing URLs (open licences, mounted at ``/licensing/open/``): the public catalogue and detail
pages (anonymous visitors included), an enterprise's acceptance, and the declarant's pages."""

from django.urls import URLPattern, path

from patentbridge.licensing.views import open_licence, open_manage

urlpatterns: list[URLPattern] = [
    path("", open_licence.catalogue, name="open_list"),
    path("export.xlsx", open_licence.catalogue_export, name="open_export"),
    path("mine/", open_licence.mine, name="open_mine"),
    path("new/", open_manage.declaration_new, name="open_new"),
    path("<int:pk>/", open_licence.detail, name="open_detail"),
    path("<int:pk>/accept/", open_licence.accept, name="open_accept"),
    path("<int:pk>/manage/", open_manage.manage, name="open_manage"),
    path("<int:pk>/edit/", open_manage.declaration_edit, name="open_edit"),
    path("<int:pk>/act/<str:action>/", open_manage.declaration_act, name="open_act"),
    path("<int:pk>/documents/<int:doc_pk>/", open_manage.document_download, name="open_document"),
]
