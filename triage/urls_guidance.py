from django.urls import path

from triage.views import guidance as views

app_name = "guidance"

urlpatterns = [
    path("", views.version_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("<int:pk>/", views.version_detail, name="detail"),
    path("<int:pk>/changes/", views.version_diff, name="diff"),
    path("<int:pk>/history/", views.version_history, name="history"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/edit/<str:key>/", views.entry_edit, name="entry"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    # A submitted round (encounter and round number): what it showed beside this version.
    path(
        "<int:pk>/compare/<uuid:encounter>/<int:number>/<str:key>/",
        views.side_by_side,
        name="side_by_side",
    ),
]
