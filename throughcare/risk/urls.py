from django.urls import path

from throughcare.risk import views

app_name = "risk"

urlpatterns = [
    path("cases/<int:case_id>/risk/", views.section, name="section"),
    path("cases/<int:case_id>/risk/assessments/", views.assessments, name="assessments"),
    path("cases/<int:case_id>/risk/assessments/start/", views.start, name="start"),
    path("cases/<int:case_id>/risk/assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("cases/<int:case_id>/risk/harm/", views.judge_harm, name="judge_harm"),
    path("cases/<int:case_id>/risk/plan/", views.plan, name="plan"),
    path("cases/<int:case_id>/risk/plan/review/", views.plan_review, name="plan_review"),
    path("cases/<int:case_id>/risk/plan/require-review/", views.require_review, name="require_review"),
    path(
        "cases/<int:case_id>/risk/plan/warning-signs/<int:sign_id>/observations/",
        views.observe_sign,
        name="observe_sign",
    ),
    path("cases/<int:case_id>/risk/information/", views.information, name="information"),
    path("cases/<int:case_id>/risk/information/new/", views.record_information, name="record_information"),
    path(
        "cases/<int:case_id>/risk/information/<int:information_id>/acknowledgement/",
        views.acknowledge_information,
        name="acknowledge_information",
    ),
]
