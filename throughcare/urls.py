from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from throughcare.api.main import urlpatterns as api_urlpatterns
from throughcare.workspace import language, signin


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=signin.LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", include((signin.urlpatterns, "signin"))),
    path("accounts/language/", language.choose_language, name="language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("api/v1/", include((api_urlpatterns(), "api-1"))),
    path(
        "favicon.ico", login_not_required(RedirectView.as_view(url=static("img/favicon.svg"), permanent=True))
    ),
    path("", include("throughcare.workspace.urls")),
    path("", include("throughcare.sharing.urls")),
    path("", include("throughcare.rights.urls")),
    path("", include("throughcare.custody.urls")),
    path("", include("throughcare.conferences.urls")),
    path("", include("throughcare.risk.urls")),
    path("", include("throughcare.rehab.urls")),
    path("", include("throughcare.outcomes.urls")),
    path("", include("throughcare.learning.urls")),
    path("", include("throughcare.api.urls")),
    path("", include("throughcare.documents.urls")),
]
