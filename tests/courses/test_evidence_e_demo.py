"""The demo evaluator account (courses.demo.evidence_e)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courses import selectors
from courses.demo import evidence_e


def test_the_demo_evaluator_signs_in_and_sees_the_overview_idempotently(client, db):
    user = evidence_e.seed(password="demo-pass-123", now=timezone.now())
    again = evidence_e.seed(password="another-password", now=timezone.now())

    assert again.pk == user.pk
    assert get_user_model().objects.filter(email=evidence_e.EVALUATOR_EMAIL).count() == 1
    assert selectors.is_programme_evaluator(user)
    assert not selectors.lead_forces(user).exists()
    assert client.login(username=evidence_e.EVALUATOR_EMAIL, password="demo-pass-123")
    assert client.get(reverse("force_dashboard:evidence_overview")).status_code == 200
