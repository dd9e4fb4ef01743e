from django.urls import path

from throughcare.api import views

app_name = "api"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/api-tokens/", views.new_token, name="new_token"),
    path("account/api-tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
