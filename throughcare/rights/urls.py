from django.urls import path

from throughcare.rights import views

app_name = "rights"

urlpatterns = [
    path("subject-access/", views.requests, name="requests"),
    path("subject-access/<int:request_id>/", views.detail, name="detail"),
    path("subject-access/<int:request_id>/letter/", views.letter, name="letter"),
    path("subject-access/<int:request_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path(
        "subject-access/<int:request_id>/intelligence/",
        views.include_intelligence,
        name="include_intelligence",
    ),
    path("subject-access/<int:request_id>/entries/<int:entry_id>/erase/", views.erase, name="erase"),
]
