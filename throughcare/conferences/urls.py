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
    path("conferences/new/", meeting_views.schedule, name="schedule"),
    path("conferences/<int:conference_id>/", meeting_views.detail, name="detail"),
    path("conferences/<int:conference_id>/invitations/new/", meeting_views.invite, name="invite"),
    path("conferences/<int:conference_id>/agenda/new/", meeting_views.add_to_agenda, name="add_to_agenda"),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/briefing/",
        meeting_views.write_briefing,
        name="write_briefing",
    ),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/requests/new/",
        meeting_views.put_request_on_agenda,
        name="put_request_on_agenda",
    ),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/decisions/new/",
        meeting_views.record_decision,
        name="record_decision",
    ),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/actions/new/",
        meeting_views.record_action,
        name="record_action",
    ),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/minutes/",
        meeting_views.write_minutes,
        name="write_minutes",
    ),
    path(
        "conferences/<int:conference_id>/agenda/<int:agenda_item_id>/restricted/",
        meeting_views.write_restricted,
        name="write_restricted",
    ),
    path(
        "conferences/<int:conference_id>/actions/<int:action_id>/done/",
        meeting_views.complete_action,
        name="complete_action",
    ),
    path(
        "conferences/<int:conference_id>/attendance/",
        meeting_views.record_attendance,
        name="record_attendance",
    ),
    path("conferences/<int:conference_id>/approval/", meeting_views.approve_minutes, name="approve_minutes"),
    path(
        "conferences/<int:conference_id>/circulation/",
        meeting_views.circulate_minutes,
        name="circulate_minutes",
    ),
    path("conferences/<int:conference_id>/addenda/new/", meeting_views.add_addendum, name="add_addendum"),
    path("conferences/<int:conference_id>/minutes/", meeting_views.minutes_page, name="minutes"),
    path("conferences/<int:conference_id>/minutes.pdf", meeting_views.minutes_pdf, name="minutes_pdf"),
    path("cases/<int:case_id>/requests/", meeting_views.case_requests, name="requests"),
    path("cases/<int:case_id>/requests/new/", meeting_views.make_request, name="make_request"),
    path(
        "cases/<int:case_id>/requests/<int:request_id>/decision/",
        meeting_views.decide_request,
        name="decide_request",
    ),
]
