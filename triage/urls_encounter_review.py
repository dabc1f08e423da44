from django.urls import path

from triage.views import review

app_name = "encounter_review"

# Mounted under /encounters/ beside the wizard: sign-off, addenda, overrides, audit trail.
urlpatterns = [
    path("<uuid:pk>/sign/", review.sign, name="sign"),
    path("<uuid:pk>/addenda/", review.add_addendum, name="addenda"),
    path("<uuid:pk>/rounds/<int:number>/overrides/", review.add_override, name="overrides"),
    path("<uuid:pk>/audit/", review.audit, name="audit"),
    path("<uuid:pk>/audit.csv", review.audit_csv, name="audit_csv"),
]
