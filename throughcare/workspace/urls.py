from django.urls import path

from throughcare.workspace import own_plan, views

# The workspace keeps the "cases" namespace: its pages are the case pages (cases:detail …).
app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/new/", views.new_case, name="new"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/timeline/", views.timeline, name="timeline"),
    path("cases/<int:case_id>/notes/", views.add_note, name="add_note"),
    path("cases/<int:case_id>/phase/", views.change_phase, name="change_phase"),
    path("cases/<int:case_id>/person/", views.edit_person, name="edit_person"),
    path("cases/<int:case_id>/export.csv", views.export_timeline, name="export"),
    path("search/", views.search, name="search"),
    path("needs-attention/", views.needs_attention, name="needs_attention"),
    path("cases/<int:case_id>/own-plan/", own_plan.own_plan, name="own_plan"),
    path("cases/<int:case_id>/own-plan/response/", own_plan.record_response, name="record_own_plan"),
]
