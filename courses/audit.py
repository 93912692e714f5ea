"""The security audit trail: sign-ins, refused access, data exports and erasures.

Every entry holds identifiers only. Callers pass a user id, an API key's public prefix, a force
code and a path; nothing here accepts free text, so a password, a key, an email address or a
learner's reflection cannot end up in the log by accident.
"""

import base64
import binascii
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from courses.models import AuditAction, AuditEvent

_KEY_PREFIX = re.compile(r"^[0-9a-f]{1,16}$")
_FORCE_CODE = re.compile(r"^[a-z0-9-]{1,40}$")


def audit_record(
    *,
    action: AuditAction,
    user_id: int | None = None,
    subject_user_id: int | None = None,
    api_key_prefix: str = "",
    force_code: str = "",
    path: str = "",
    status_code: int | None = None,
) -> AuditEvent:
    """Write one audit entry (one INSERT). Values that do not look like what they claim to be
    (a key prefix that is not hex, a force code that is not a slug) are dropped rather than
    stored, so a caller cannot leak a secret through a wrong argument."""
    return AuditEvent.objects.create(
        action=action,
        user_id=user_id,
        subject_user_id=subject_user_id,
        api_key_prefix=api_key_prefix if _KEY_PREFIX.match(api_key_prefix or "") else "",
        force_code=force_code if _FORCE_CODE.match(force_code or "") else "",
        # PostgreSQL text cannot hold NUL, which a crafted URL can carry.
        path=(path or "").replace("\x00", "")[:200],
        status_code=status_code,
    )


def request_key_prefix(request) -> str:
    """The public prefix of a manager's key in the request (the part before the dot), or "":
    from `Bearer <key>`, or from HTTP Basic credentials (the xAPI Statement Resource, whose
    username is the prefix or the whole key). Never the secret."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            credentials = base64.b64decode(credentials.strip(), validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            return ""
        credentials = credentials.partition(":")[0]
    elif scheme.lower() != "bearer":
        return ""
    prefix = credentials.strip().partition(".")[0]
    return prefix if _KEY_PREFIX.match(prefix) else ""


@receiver(user_logged_in, dispatch_uid="courses.audit.signed_in")
def _signed_in(sender, request, user, **kwargs):
    audit_record(
        action=AuditAction.SIGN_IN,
        user_id=user.pk,
        path=request.path if request is not None else "",
    )


@receiver(user_login_failed, dispatch_uid="courses.audit.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    sign_in_failed(credentials=credentials, request=request)


def sign_in_failed(*, credentials: dict, request=None) -> AuditEvent:
    """Record a failed sign-in: a wrong password (Django's `user_login_failed`), or an attempt
    refused by the failed sign-in limit before any password was checked (courses.adapters).

    The credentials (an email address and a password) are never stored: only the id of the
    account that was tried, when there is one, so repeated failures can be seen."""
    login = credentials.get("email") or credentials.get("username") or ""
    user_model = get_user_model()
    user_id = (
        user_model.objects.filter(email__iexact=login).values_list("pk", flat=True).first()
        if isinstance(login, str) and login
        else None
    )
    return audit_record(
        action=AuditAction.SIGN_IN_FAILED,
        subject_user_id=user_id,
        path=request.path if request is not None else "",
    )


def _wagtail_refused(request, response) -> bool:
    """Wagtail's admin answers a permission failure with a redirect home and an error message
    rather than a 403 (wagtail.admin.auth.permission_denied); recognise that answer."""
    if response.status_code != 302 or not request.path.startswith("/admin/"):
        return False
    # Messages queued during this request (a private attribute, read without consuming them).
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    refused = str(WAGTAIL_PERMISSION_DENIED)
    # Wagtail renders the text into a small HTML fragment.
    return any(refused in str(message.message) for message in queued)


WAGTAIL_PERMISSION_DENIED = _("Sorry, you do not have permission to access this area.")


class AuditDeniedMiddleware:
    """Records every refusal (401, 403, and the Wagtail admin's permission-denied redirect:
    refused API calls, CSRF failures, permission errors) with who asked and where; the
    response itself is unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (401, 403) or _wagtail_refused(request, response):
            user = getattr(request, "user", None)
            audit_record(
                action=AuditAction.ACCESS_DENIED,
                user_id=user.pk if user is not None and user.is_authenticated else None,
                api_key_prefix=request_key_prefix(request),
                path=request.path,
                status_code=response.status_code,
            )
        return response
