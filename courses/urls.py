from django.urls import path

from courses import (
    certificate_views,
    champion_views,
    privacy_views,
    reminder_views,
    session_views,
    survey_views,
    views,
)

app_name = "courses"
urlpatterns = [
    path("support/", views.support, name="support"),
    path("my-learning/", views.dashboard, name="dashboard"),
    path("my-learning/my-data.json", privacy_views.my_data, name="my_data"),
    path(
        "my-learning/certificates/<int:module_id>/",
        certificate_views.certificate,
        name="certificate",
    ),
    path("modules/<int:page_id>/before-you-start/", views.content_notice, name="content_notice"),
    path("lessons/<int:page_id>/answer/", views.lesson_answer, name="lesson_answer"),
    path("lessons/<int:page_id>/reflect/", views.lesson_reflect, name="lesson_reflect"),
    path("lessons/<int:page_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("session/stay-signed-in/", session_views.stay_signed_in, name="session_stay_signed_in"),
    path("session/timed-out/", session_views.timed_out, name="session_timed_out"),
    path("certificates/verify/", certificate_views.certificate_lookup, name="certificate_lookup"),
    path(
        "certificates/verify/<str:code>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
    # Reminder emails (courses.reminder_views): the signed link in each email, and the choice.
    path("my-learning/reminders/", reminder_views.reminder_settings, name="reminder_settings"),
    path("reminders/stop/<str:token>/", reminder_views.reminders_stop, name="reminders_stop"),
    # A learner's own Champion status (courses.champion_views).
    path(
        "my-learning/champion/volunteer/",
        champion_views.champion_volunteer,
        name="champion_volunteer",
    ),
    path(
        "my-learning/champion/step-down/",
        champion_views.champion_step_down,
        name="champion_step_down",
    ),
    # --- Attitude surveys (courses.survey_views)
    path(
        "surveys/<int:survey_id>/before-you-start/",
        survey_views.survey_offer,
        name="survey_offer",
    ),
    path("surveys/<int:survey_id>/<slug:stage>/", survey_views.survey_form, name="survey_form"),
    path(
        "surveys/<int:survey_id>/<slug:stage>/skip/", survey_views.survey_skip, name="survey_skip"
    ),
    path(
        "surveys/<int:survey_id>/<slug:stage>/thanks/",
        survey_views.survey_thanks,
        name="survey_thanks",
    ),
]
