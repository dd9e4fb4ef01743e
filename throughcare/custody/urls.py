from django.urls import path

from throughcare.custody import licence_views, views

app_name = "custody"

urlpatterns = [
    path("cases/<int:case_id>/custody/", views.section, name="section"),
    path("cases/<int:case_id>/sentence/new/", views.record_sentence, name="record_sentence"),
    path("cases/<int:case_id>/sentence/dates/", views.change_dates, name="change_dates"),
    path("cases/<int:case_id>/sentence/override/", views.override, name="override"),
    path("cases/<int:case_id>/sentence/override/lift/", views.lift_override, name="lift_override"),
    path("cases/<int:case_id>/handover/start/", views.start_handover, name="start_handover"),
    path("cases/<int:case_id>/handover/accept/", views.accept_handover, name="accept_handover"),
    path("cases/<int:case_id>/handover/items/<int:item_id>/done/", views.complete_item, name="complete_item"),
    path("cases/<int:case_id>/handover/complete/", views.complete_handover, name="complete_handover"),
    path("cases/<int:case_id>/handover/abandon/", views.abandon_handover, name="abandon_handover"),
    path("cases/<int:case_id>/licence/", licence_views.licence, name="licence"),
    path(
        "cases/<int:case_id>/licence/recommend/<int:template_id>/", licence_views.recommend, name="recommend"
    ),
    path("cases/<int:case_id>/licence/<int:condition_id>/order/", licence_views.order, name="order"),
    path(
        "cases/<int:case_id>/licence/<int:condition_id>/not-ordered/",
        licence_views.not_ordered,
        name="not_ordered",
    ),
    path("cases/<int:case_id>/compliance/", licence_views.compliance, name="compliance"),
    path("cases/<int:case_id>/notifications/<int:due_id>/made/", licence_views.notified, name="notified"),
    path("cases/<int:case_id>/notifications/travel/", licence_views.travel, name="travel"),
    path("cases/<int:case_id>/notifications/change/", licence_views.change_notified, name="change_notified"),
    path(
        "cases/<int:case_id>/compliance/<int:event_id>/decision/",
        licence_views.decide_breach,
        name="decide_breach",
    ),
]
