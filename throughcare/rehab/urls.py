from django.urls import path

from throughcare.rehab import views

app_name = "rehab"

CASE = "cases/<int:case_id>/"
REFERRAL = "referrals/<int:referral_id>/"

urlpatterns = [
    path("programmes/", views.catalogue, name="catalogue"),
    path("referrals/", views.inbox, name="inbox"),
    path(REFERRAL, views.referral, name="referral"),
    path(REFERRAL + "moves/<slug:to>/", views.move_referral, name="move_referral"),
    path(REFERRAL + "action-plan/", views.write_action_plan, name="write_action_plan"),
    path(REFERRAL + "sessions/new/", views.record_session, name="record_session"),
    path(REFERRAL + "end-of-service/", views.end_of_service, name="end_of_service"),
    path(CASE + "rehabilitation/", views.overview, name="overview"),
    path(CASE + "rehabilitation/needs/new/", views.add_need, name="add_need"),
    path(CASE + "rehabilitation/needs/<int:need_id>/", views.update_need, name="update_need"),
    path(CASE + "rehabilitation/support-needs/new/", views.add_support_need, name="add_support_need"),
    path(CASE + "rehabilitation/family/new/", views.add_dependant, name="add_dependant"),
    path(CASE + "appointments/new/", views.add_appointment, name="add_appointment"),
    path(CASE + "referrals/new/", views.new_referral, name="new_referral"),
    path(CASE + "criteria/", views.criteria, name="criteria"),
    path(CASE + "criteria/reviews/", views.review_criteria, name="review_criteria"),
    path(CASE + "closure/new/", views.propose_closing, name="propose_closing"),
    path(CASE + "closure/<int:closure_id>/sign-off/", views.sign_off_closing, name="sign_off_closing"),
    path(CASE + "closure/<int:closure_id>/close/", views.close_case, name="close_case"),
    path(CASE + "closure/<int:closure_id>/cancel/", views.cancel_closing, name="cancel_closing"),
    path(CASE + "follow-ups/<int:follow_up_id>/", views.record_follow_up, name="record_follow_up"),
]
