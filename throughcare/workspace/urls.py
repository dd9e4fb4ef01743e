from django.urls import path

from throughcare.workspace import calendar, case_page, home, oversight, own_plan, team, views

# The workspace keeps the "cases" namespace: its pages are the case pages (cases:detail …).
app_name = "cases"

urlpatterns = [
    path("", home.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("cases/new/", views.new_case, name="new"),
    path("cases/<int:case_id>/", case_page.overview, name="detail"),
    path("cases/<int:case_id>/timeline/", case_page.timeline, name="timeline"),
    path("cases/<int:case_id>/notes/", case_page.add_note, name="add_note"),
    path("cases/<int:case_id>/phase/", case_page.change_phase, name="change_phase"),
    path("cases/<int:case_id>/person/", views.edit_person, name="edit_person"),
    path("cases/<int:case_id>/team/", team.team, name="team"),
    path("cases/<int:case_id>/team/add/", team.add_place, name="add_place"),
    path("cases/<int:case_id>/team/<int:place_id>/change/", team.change_place, name="change_place"),
    path("cases/<int:case_id>/team/<int:place_id>/end/", team.end_place, name="end_place"),
    path("cases/<int:case_id>/export.csv", views.export_timeline, name="export"),
    path("search/", views.search, name="search"),
    path("needs-attention/", views.needs_attention, name="needs_attention"),
    path("oversight/access/", oversight.access_oversight, name="access_oversight"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/feed/", calendar.new_feed, name="new_calendar_feed"),
    path("calendar/feed/stop/", calendar.stop_feed, name="stop_calendar_feed"),
    path("calendar/feed/<str:token>.ics", calendar.feed, name="calendar_feed"),
    path("cases/<int:case_id>/own-plan/", own_plan.own_plan, name="own_plan"),
    path("cases/<int:case_id>/own-plan.pdf", own_plan.own_plan_pdf, name="own_plan_pdf"),
    path("cases/<int:case_id>/own-plan/response/", own_plan.record_response, name="record_own_plan"),
]
