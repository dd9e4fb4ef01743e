from django.urls import path

from throughcare.outcomes import public_views, views, work_views

app_name = "outcomes"

CASE = "cases/<int:case_id>/outcomes/"
WORK = "statistics/work/"
PUBLIC = "statistics/<slug:slug>/"
VERSION = PUBLIC + "<int:version>/"

urlpatterns = [
    path(CASE, views.outcomes, name="case"),
    path(CASE + "new/", views.record_outcome, name="record"),
    path(CASE + "<int:outcome_id>/correction/", views.correct_outcome, name="correct"),
    path(WORK, work_views.work, name="work"),
    path(WORK + "measures/new/", work_views.new_measure, name="new_measure"),
    path(WORK + "measures/<int:measure_id>/", work_views.preview, name="preview"),
    path(WORK + "releases/new/", work_views.new_release, name="new_release"),
    path(WORK + "releases/<int:release_id>/", work_views.work_release, name="work_release"),
    path(WORK + "releases/<int:release_id>/submission/", work_views.submit_release, name="submit_release"),
    path(WORK + "releases/<int:release_id>/approval/", work_views.approve_release, name="approve_release"),
    path(WORK + "releases/<int:release_id>/return/", work_views.send_back_release, name="send_back_release"),
    path(WORK + "releases/<int:release_id>/correction/", work_views.correct_release, name="correct_release"),
    path("statistics/", public_views.index, name="public_index"),
    path(PUBLIC, public_views.release, name="public_release"),
    path(VERSION, public_views.release, name="public_version"),
    path(VERSION + "chart-<int:number>.png", public_views.chart, name="public_chart"),
    path(VERSION + "rates-<int:number>.png", public_views.rates_chart, name="public_rates_chart"),
    path(VERSION + "figures.csv", public_views.download_csv, name="public_csv"),
    path(VERSION + "figures.json", public_views.download_json, name="public_json"),
    path(VERSION + "figures.pdf", public_views.download_pdf, name="public_pdf"),
]
