from django.urls import path

from triage.views import encounters as views

app_name = "encounters"

urlpatterns = [
    path("", views.encounter_list, name="list"),
    path("new/", views.encounter_new, name="new"),
    path("<uuid:pk>/", views.encounter_detail, name="detail"),
    path("<uuid:pk>/patient/", views.patient_step, name="patient"),
    path("<uuid:pk>/symptoms/", views.question_step, {"slug": "symptoms"}, name="symptoms"),
    path("<uuid:pk>/neuro/", views.question_step, {"slug": "neuro"}, name="neuro"),
    path("<uuid:pk>/vitals/", views.question_step, {"slug": "vitals"}, name="vitals"),
    path("<uuid:pk>/imaging/", views.question_step, {"slug": "imaging"}, name="imaging"),
    path("<uuid:pk>/check/", views.check_answers, name="check"),
    path("<uuid:pk>/rounds/<int:number>/", views.round_result, name="round"),
    path("<uuid:pk>/reassess/", views.reassess, name="reassess"),
]
