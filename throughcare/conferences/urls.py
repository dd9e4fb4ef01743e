from django.urls import path

from throughcare.conferences import meeting_views, views

app_name = "conferences"

urlpatterns = [
    path(
        "cases/<int:case_id>/release-conference/new/", views.record_release_conference, name="record_release"
    ),
    path(
        "cases/<int:case_id>/release-without-conference/",
        views.release_without_conference,
        name="release_without_conference",
    ),
    path("conferences/", meeting_views.conference_list, name="list"),
    path("conferences/<int:conference_id>/", meeting_views.detail, name="detail"),
    path("conferences/<int:conference_id>/minutes/", meeting_views.minutes_page, name="minutes"),
    path("cases/<int:case_id>/requests/", meeting_views.case_requests, name="requests"),
    path("cases/<int:case_id>/requests/new/", meeting_views.make_request, name="make_request"),
    path(
        "cases/<int:case_id>/requests/<int:request_id>/decision/",
        meeting_views.decide_request,
        name="decide_request",
    ),
]
