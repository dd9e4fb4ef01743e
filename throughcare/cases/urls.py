from django.urls import path

from throughcare.cases import views

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
]
