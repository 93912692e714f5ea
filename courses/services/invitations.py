"""Invitations for learners a training lead added from an HR file.

Such an account has an unusable password and a verified allauth email address: the force's
HR file vouches for the address, and setting a password through the emailed link proves the
person reads that inbox. The link is allauth's password-reset-from-key link, built as allauth
builds it (its token generator, `user_pk_to_url_str`); it stops working after
PASSWORD_RESET_TIMEOUT, or once a password is set, and the email says how to get a new one.
"""

import datetime
import logging

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import LearnerProfile
from courses.selectors.languages import email_language

logger = logging.getLogger(__name__)


def invitation_url(user) -> str:
    """The absolute link that lets `user` choose a password (valid until it expires)."""
    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitations_pending():
    """Learners added by a lead who have not been invited: active, never signed in, no
    password yet, not erased."""
    return LearnerProfile.objects.filter(
        invited_at__isnull=True,
        erased_at__isnull=True,
        user__is_active=True,
        user__last_login__isnull=True,
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


def invitations_send(*, now: datetime.datetime | None = None) -> int:
    """Email each pending learner their invitation; returns how many were sent. Idempotent:
    a learner is claimed (invited_at set) before their email goes, so two runs at once never
    both send it; if sending fails the claim is undone for the next run. Never to inactive,
    erased or already signed-in accounts. Two queries a learner."""
    now = now or timezone.now()
    sent = 0
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    pending = invitations_pending().select_related("user", "force").order_by("pk")
    for profile in pending.iterator(chunk_size=500):
        claimed = LearnerProfile.objects.filter(pk=profile.pk, invited_at__isnull=True).update(
            invited_at=now
        )
        if not claimed:
            continue
        user = profile.user
        context = {
            "service_name": settings.SERVICE_NAME,
            "email": user.email,
            "user": user,
            "force_name": profile.force.name,
            "invitation_url": invitation_url(user),
            "expires_days": days,
            "reset_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("account_reset_password"),
        }
        # In the learner's own language, else the site's default (there is no request).
        language = email_language(profile.language, profile.force.country)
        try:
            # render_mail, not send_mail: allauth's send_mail needs a request for the site.
            with translation.override(language):
                get_adapter().render_mail("account/email/invitation", user.email, context).send()
        except Exception:
            LearnerProfile.objects.filter(pk=profile.pk).update(invited_at=None)
            logger.exception("Invitation to learner profile %s not sent", profile.pk)
            continue
        sent += 1
    return sent
