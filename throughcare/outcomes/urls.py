from django.urls import path

from throughcare.outcomes import views

app_name = "outcomes"

CASE = "cases/<int:case_id>/outcomes/"

urlpatterns = [
    path(CASE, views.outcomes, name="case"),
    path(CASE + "new/", views.record_outcome, name="record"),
    path(CASE + "<int:outcome_id>/correction/", views.correct_outcome, name="correct"),
]
