from django.urls import path

from triage.views import review

app_name = "review"

# The physician's queue lives at /review/; its encounter-level pages are in urls_encounter_review.
urlpatterns = [
    path("", review.queue, name="queue"),
]
