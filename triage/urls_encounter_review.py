
app_name = "encounter_review"

# Mounted under /encounters/ beside the wizard: sign-off, addenda, overrides, audit trail.
urlpatterns: list = []
