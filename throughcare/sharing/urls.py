from django.urls import path

from throughcare.sharing import views

app_name = "sharing"

urlpatterns = [
    path("cases/<int:case_id>/sharing/", views.overview, name="overview"),
    path("cases/<int:case_id>/sharing/agreements/new/", views.new_agreement, name="new_agreement"),
    path(
        "cases/<int:case_id>/sharing/agreements/<int:agreement_id>/end/",
        views.revoke_agreement,
        name="revoke_agreement",
    ),
    path("cases/<int:case_id>/sharing/consents/new/", views.new_consent, name="new_consent"),
    path(
        "cases/<int:case_id>/sharing/consents/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("cases/<int:case_id>/sharing/restrictions/new/", views.new_restriction, name="new_restriction"),
    path(
        "cases/<int:case_id>/sharing/restrictions/<int:restriction_id>/remove/",
        views.remove_restriction,
        name="remove_restriction",
    ),
    path("cases/<int:case_id>/intelligence-flag/", views.flag_intelligence, name="flag_intelligence"),
    path("cases/<int:case_id>/shared-about-me/", views.shared_about_me, name="shared_about_me"),
    path("cases/<int:case_id>/access-log/", views.access_log, name="access_log"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/review/", views.break_glass_review, name="break_glass_review"),
    path("break-glass/review/<int:access_id>/", views.review_break_glass, name="review_break_glass"),
    path("notifications/", views.notifications, name="notifications"),
]
