from django.urls import path

from throughcare.custody import views

app_name = "custody"

urlpatterns = [
    path("cases/<int:case_id>/sentence/new/", views.record_sentence, name="record_sentence"),
    path("cases/<int:case_id>/sentence/dates/", views.change_dates, name="change_dates"),
    path("cases/<int:case_id>/sentence/override/", views.override, name="override"),
    path("cases/<int:case_id>/sentence/override/lift/", views.lift_override, name="lift_override"),
]
