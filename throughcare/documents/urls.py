from django.urls import path

from throughcare.documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:case_id>/documents/", views.documents, name="list"),
    path("cases/<int:case_id>/documents/<slug:key>/", views.document, name="document"),
]
