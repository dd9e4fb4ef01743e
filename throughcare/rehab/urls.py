from django.urls import path

from throughcare.rehab import views

app_name = "rehab"

urlpatterns = [
    path("programmes/", views.catalogue, name="catalogue"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<int:referral_id>/", views.referral, name="referral"),
    path("cases/<int:case_id>/rehabilitation/", views.overview, name="overview"),
    path("cases/<int:case_id>/rehabilitation/record/", views.record_form, name="record"),
    path("cases/<int:case_id>/referrals/new/", views.new_referral, name="new_referral"),
    path("cases/<int:case_id>/criteria/", views.criteria, name="criteria"),
]
