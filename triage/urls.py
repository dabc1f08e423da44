from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from triage.views import api, api_tokens, core, export

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("sources/", core.sources, name="sources"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("account/api-tokens/", api_tokens.token_list, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", api_tokens.token_revoke, name="api-token-revoke"),
]

urlpatterns += [
    path("api/v1/assess", api.assess_view, name="api-assess"),
    path("api/v1/encounters/<uuid:pk>", export.encounter_export, name="api-encounter"),
    path("encounters/", include("triage.urls_encounters")),
    path("encounters/", include("triage.urls_encounter_review")),
    path("review/", include("triage.urls_review")),
    path("guidance/", include("triage.urls_guidance")),
]
