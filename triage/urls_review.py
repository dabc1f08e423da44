from django.urls import path

from triage.views import lookback, review

app_name = "review"

# The physician's queue lives at /review/; its encounter-level pages are in urls_encounter_review.
urlpatterns = [
    path("", review.queue, name="queue"),
    path("lookback/", lookback.lookback, name="lookback"),
    path("lookback.csv", lookback.lookback_csv, name="lookback_csv"),
]
