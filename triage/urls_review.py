
app_name = "review"

# The physician's queue lives at /review/; its encounter-level pages are in urls_encounter_review.
urlpatterns: list = []
