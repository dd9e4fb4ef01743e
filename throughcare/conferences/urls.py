from django.urls import path

from throughcare.conferences import views

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
]
