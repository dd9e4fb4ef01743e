from django.urls import path

from throughcare.learning import lesson_views, review_views, training_views

app_name = "learning"

REVIEW = "reviews/<int:review_id>/"
LESSONS = "lessons/"
TRAINING = "training/cases/<int:training_id>/"
ATTEMPT = "training/attempts/<int:attempt_id>/"

urlpatterns = [
    path("cases/<int:case_id>/reviews/", review_views.case_reviews, name="case_reviews"),
    path("cases/<int:case_id>/reviews/new/", review_views.open_review, name="open_review"),
    path(REVIEW, review_views.review, name="review"),
    path(REVIEW + "points/<str:point>/notes/", review_views.note_point, name="note"),
    path(REVIEW + "findings/new/", review_views.add_finding, name="finding"),
    path(REVIEW + "recommendations/new/", review_views.add_recommendation, name="recommendation"),
    path(REVIEW + "conclusion/", review_views.conclude, name="conclude"),
    path(REVIEW + "lessons/new/", review_views.write_lesson, name="write_lesson"),
    path(
        "recommendations/<int:recommendation_id>/status/",
        review_views.update_recommendation,
        name="update_recommendation",
    ),
    path(LESSONS, lesson_views.library, name="library"),
    path(LESSONS + "lessons.json", lesson_views.export_json, name="export_json"),
    path(LESSONS + "lessons.pdf", lesson_views.export_pdf, name="export_pdf"),
    path(LESSONS + "<int:lesson_id>/", lesson_views.lesson, name="lesson"),
    path(LESSONS + "<int:lesson_id>/review/", lesson_views.review_lesson, name="review_lesson"),
    path(LESSONS + "<int:lesson_id>/revision/", lesson_views.revise_lesson, name="revise_lesson"),
    path("learning/waiting/", lesson_views.queue, name="queue"),
    path("training/", training_views.home, name="training"),
    path("cases/<int:case_id>/training-case/", training_views.build, name="build"),
    path(TRAINING, training_views.training_case, name="training_case"),
    path(TRAINING + "stages/<int:number>/question/", training_views.edit_question, name="edit_question"),
    path(TRAINING + "lessons/", training_views.link_lessons, name="link_lessons"),
    path(TRAINING + "resubmission/", training_views.resubmit, name="resubmit"),
    path(TRAINING + "review/", training_views.review, name="training_review"),
    path(TRAINING + "decision/", training_views.decide, name="decide"),
    path(TRAINING + "start/", training_views.start, name="start"),
    path(ATTEMPT, training_views.attempt, name="attempt"),
    path(ATTEMPT + "stages/<int:number>/answer/", training_views.answer, name="answer"),
    path("training/answers/<int:answer_id>/comment/", training_views.comment, name="comment"),
    path("training/trainees/", training_views.trainees, name="trainees"),
    path("training/record/", training_views.my_record, name="my_record"),
    path("training/records/", training_views.records, name="records"),
    path("training/records/<int:user_id>/", training_views.record_of, name="record_of"),
]
