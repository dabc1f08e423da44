"""Every address of the product, in one place: small lists by area, each included under the
namespace its navigation uses. Route names are written with hyphens."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from triage import wizard
from triage.fhir.terminology import QUESTIONNAIRE_ID
from triage.views import (
    api,
    api_tokens,
    core,
    discharge,
    encounters,
    escalation,
    guidance,
    handover,
    lookback,
    queue,
    record,
    review,
    two_factor,
    ward,
)

accounts_urls = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The second factor, after the password (TRIAGE_REQUIRE_2FA).
    path("two-factor/", two_factor.verify, name="two-factor"),
    path("two-factor/set-up/", two_factor.set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="recovery-codes"),
    path("api-tokens/", api_tokens.token_list, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", api_tokens.token_revoke, name="api-token-revoke"),
]

api_urls = [
    path("assess", api.assess_view, name="assess"),
    path("encounters/<uuid:pk>", api.encounter_export, name="encounter"),
    path("encounters/<uuid:pk>/fhir", api.encounter_fhir, name="encounter-fhir"),
    path("openapi.json", api.openapi_document, name="openapi"),
]

# The wizard's question steps come from its specification; one view answers them all.
step_urls = [
    path(f"<uuid:pk>/{step.slug}/", encounters.question_step, {"slug": step.slug}, name=step.slug)
    for step in wizard.QUESTION_STEPS
]

encounter_urls = [
    path("", encounters.encounter_list, name="list"),
    path("new/", encounters.encounter_new, name="new"),
    path("<uuid:pk>/patient/", encounters.patient_step, name="patient"),
    *step_urls,
    path("<uuid:pk>/check/", encounters.check_answers, name="check"),
    path("<uuid:pk>/rounds/<int:number>/", encounters.round_result, name="round"),
    path("<uuid:pk>/reassess/", encounters.reassess, name="reassess"),
    # Who the nurse told of an emergency or urgent assessment; a physician's acknowledgement.
    path(
        "<uuid:pk>/rounds/<int:number>/escalation-calls/",
        escalation.record_call,
        name="escalation-calls",
    ),
    path(
        "<uuid:pk>/escalation/acknowledge/",
        escalation.acknowledge,
        name="escalation-acknowledge",
    ),
    # The record, and what physicians do on it.
    path("<uuid:pk>/", record.encounter_detail, name="detail"),
    path("<uuid:pk>/audit/", record.audit, name="audit"),
    path("<uuid:pk>/handover/", handover.encounter_handover, name="handover"),
    path("<uuid:pk>/audit.csv", record.audit_csv, name="audit-csv"),
    path("<uuid:pk>/sign/", review.sign, name="sign"),
    path("<uuid:pk>/discharge/", discharge.discharge, name="discharge"),
    path("<uuid:pk>/addenda/", review.add_addendum, name="addenda"),
    path("<uuid:pk>/rounds/<int:number>/overrides/", review.add_override, name="overrides"),
]

review_urls = [
    path("", queue.queue, name="queue"),
    path("lookback/", lookback.lookback, name="lookback"),
    path("lookback.csv", lookback.lookback_csv, name="lookback-csv"),
]

guidance_urls = [
    path("", guidance.version_list, name="list"),
    path("new/", guidance.draft_new, name="new"),
    path("<int:pk>/", guidance.version_detail, name="detail"),
    path("<int:pk>/changes/", guidance.version_diff, name="diff"),
    path("<int:pk>/history/", guidance.version_history, name="history"),
    path("<int:pk>/edit/", guidance.draft_edit, name="edit"),
    path("<int:pk>/edit/<str:key>/", guidance.entry_edit, name="entry"),
    path("<int:pk>/publish/", guidance.publish, name="publish"),
    path("<int:pk>/discard/", guidance.discard, name="discard"),
    # A submitted round (encounter and round number): what it showed beside this version.
    path(
        "<int:pk>/compare/<uuid:encounter>/<int:number>/<str:key>/",
        guidance.side_by_side,
        name="side-by-side",
    ),
]

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("sources/", core.sources, name="sources"),
    path("ward/", ward.board, name="ward-board"),
    path("ward/handover/", handover.ward_handover, name="ward-handover"),
    path("accounts/", include((accounts_urls, "accounts"))),
    path("account/<path:rest>", core.moved, {"to": "/accounts/"}, name="moved-account"),
    path("api/v1/", include((api_urls, "api"))),
    # The bedside assessment as a FHIR Questionnaire (public, like the OpenAPI document).
    path(
        f"fhir/Questionnaire/{QUESTIONNAIRE_ID}", api.fhir_questionnaire, name="fhir-questionnaire"
    ),
    path("encounters/", include((encounter_urls, "encounters"))),
    path("review/", include((review_urls, "review"))),
    path("guidance/", include((guidance_urls, "guidance"))),
    path("admin/", admin.site.urls),
]

# No such address: JSON under /api/, the usual page elsewhere.
handler404 = core.page_not_found
# A fault: a 503 while the database is unreachable, otherwise a 500 (JSON under /api/).
handler500 = core.server_error
