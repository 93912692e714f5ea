"""allauth's social account adapter for forces' identity providers (OpenID Connect).

- Apps: one in-memory allauth SocialApp per enabled IdentityProvider (`list_apps`), its client
  secret decrypted only in memory; no SocialApp rows are used.
- The force is the one whose provider the person came through (SocialAccount.provider is
  "force-<code>"), never a claim. The email in the verified ID token must be at one of that
  force's email domains; the force's own provider vouching for it, it counts as verified.
- Matching: a returning person by the provider's subject (allauth's lookup), even if their email
  changed. A person new to the provider whose email already has an account here is linked to
  that account when it belongs to the same force (its learner profile, or the forces it leads,
  or, for an editor with neither, the email's domain). If that account's address was never
  verified, its password is removed: whoever set it did not prove they own the address. An
  account of another force, or already linked to another subject, is refused. An erased
  learner's address is refused (courses.privacy.email_is_erased), as registration refuses it.
- New people become learners of the provider's force, their role from the force's role claim
  when it maps to a role, else chosen once on the social signup form (ForceSocialSignupForm).
  Claims never grant staff status, groups or permissions.
- Every refusal and error is audited (SSO_REFUSED, the force's code and the path) and shown as
  a page naming what went wrong in plain words; the successful sign-in is audited by
  courses.adapters.ForceAccountAdapter.post_login.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email, user_field, user_username
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base import AuthError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from requests import RequestException

from courses import audit, privacy, selectors, services
from courses.encryption import SecretUnavailable
from courses.models import AuditAction, Force, LearnerProfile, LearnerRole

logger = logging.getLogger(__name__)

PROVIDER = "openid_connect"
SCOPE = ["openid", "profile", "email"]

# What the person is told, by reason (the template adds how to get help).
# %(force)s is the force's name.
REASONS = {
    "expired": _("The sign-in took too long, or its link had already been used."),
    "not_for_us": _(
        "Your force's sign-in answered for a different service, so we could not use it."
    ),
    "unverified": _("We could not verify the answer from your force's sign-in service."),
    "unavailable": _("Your force's sign-in service could not be reached."),
    "cancelled": _("You cancelled signing in."),
    "wrong_domain": _(
        "The email address your force's sign-in gave us is not at one of %(force)s's email domains."
    ),
    "erased": privacy.ERASED_EMAIL_MESSAGE,
    "other_force": _(
        "Your account here belongs to another force, so it cannot be signed in "
        "through %(force)s's sign-in."
    ),
    "other_account": _(
        "Your email address is linked to a different account at %(force)s's sign-in service."
    ),
}


def force_code(provider_id: str) -> str:
    return provider_id.removeprefix(selectors.sso.PROVIDER_ID_PREFIX)


def refusal_page(request, *, provider_id: str, reason: str, status: int):
    """Audit the refusal and return the page saying why (no token, email or secret stored)."""
    code = force_code(provider_id or "")
    audit.audit_record(
        action=AuditAction.SSO_REFUSED, force_code=code, path=request.path, status_code=status
    )
    force = Force.objects.filter(code=code).first()
    force_name = force.name if force else gettext("your force")
    context = {
        "reason": reason,
        "message": str(REASONS[reason]) % {"force": force_name},
        "force_name": force_name,
    }
    return render(request, "socialaccount/authentication_error.html", context, status=status)


def user_in_force(user, force: Force) -> bool:
    """Whether an existing account may be signed in through `force`'s provider."""
    profile = LearnerProfile.objects.filter(user=user).only("force_id").first()
    if profile is not None:
        return profile.force_id == force.pk
    led = set(Force.objects.filter(training_leads__user=user).values_list("pk", flat=True))
    return not led or force.pk in led


def mapped_role(provider, claims: dict) -> str | None:
    """The role the force's role claim maps to, if it is set and maps to a known role."""
    if not provider.role_claim:
        return None
    value = claims.get(provider.role_claim)
    values = value if isinstance(value, list) else [value]
    roles = {provider.role_map.get(v) for v in values if isinstance(v, str)}
    roles = sorted(r for r in roles if r in LearnerRole.values and r != "not-given")
    return roles[0] if len(roles) == 1 else None


class ForceSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        if provider in (None, PROVIDER):
            rows = selectors.sso_providers()
        else:
            row = selectors.sso_provider_by_id(provider)
            rows = [row] if row else []
        apps = []
        for row in rows:
            if client_id and row.client_id != client_id:
                continue
            try:
                secret = selectors.sso_client_secret(row)
            except SecretUnavailable as e:
                logger.warning("Identity provider of %s not offered: %s", row.force.code, e)
                continue
            apps.append(
                SocialApp(
                    provider=PROVIDER,
                    provider_id=row.provider_id,
                    name=row.display_name or row.force.name,
                    client_id=row.client_id,
                    secret=secret,
                    settings={
                        "server_url": row.issuer_url,
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": False,
                        "scope": SCOPE,
                        "email_authentication": False,
                    },
                )
            )
        return apps

    def _refuse(self, request, sociallogin, reason: str):
        raise ImmediateHttpResponse(
            refusal_page(
                request, provider_id=sociallogin.account.provider, reason=reason, status=403
            )
        )

    def pre_social_login(self, request, sociallogin) -> None:
        provider = selectors.sso_provider_by_id(sociallogin.account.provider)
        if provider is None:
            self._refuse(request, sociallogin, "unavailable")
        force = provider.force
        claims = sociallogin.account.extra_data.get("id_token") or {}
        email = claims.get("email") if isinstance(claims.get("email"), str) else ""
        domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
        if not domain or domain not in selectors.force_email_domains(force):
            self._refuse(request, sociallogin, "wrong_domain")
        if privacy.email_is_erased(email):
            self._refuse(request, sociallogin, "erased")
        # The force's own provider vouches for an address at the force's domain.
        for address in sociallogin.email_addresses:
            address.verified = address.email.lower() == email.lower()
        if sociallogin.is_existing:
            if not user_in_force(sociallogin.user, force):
                self._refuse(request, sociallogin, "other_force")
            return
        users = filter_users_by_email(email, prefer_verified=True)
        if not users:
            return
        user = users[0]
        if not user_in_force(user, force):
            self._refuse(request, sociallogin, "other_force")
        if SocialAccount.objects.filter(user=user, provider=sociallogin.account.provider).exists():
            self._refuse(request, sociallogin, "other_account")
        with transaction.atomic():
            verified = EmailAddress.objects.filter(
                user=user, email__iexact=email, verified=True
            ).exists()
            if not verified:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                # An account made in the admin (a lead, an editor) may have no address row:
                # without a verified one, allauth would stop the sign-in to confirm it.
                updated = EmailAddress.objects.filter(user=user, email__iexact=email).update(
                    verified=True
                )
                if not updated:
                    EmailAddress.objects.create(
                        user=user,
                        email=email,
                        verified=True,
                        primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
                    )
            sociallogin.connect(request, user)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # allauth makes a username from the email or name (a claim could collide or mislead).
        user_username(user, "")
        for name in ("first_name", "last_name"):
            user_field(user, name, (user_field(user, name) or "")[:150])
        return user

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        provider = selectors.sso_provider_by_id(sociallogin.account.provider)
        claims = sociallogin.account.extra_data.get("id_token") or {}
        return provider is not None and mapped_role(provider, claims) is not None

    def save_user(self, request, sociallogin, form=None):
        """The new user, their link to the provider and a learner profile in the provider's
        force, together; enrolled on their role's pathway at once, as at registration."""
        provider = selectors.sso_provider_by_id(sociallogin.account.provider)
        claims = sociallogin.account.extra_data.get("id_token") or {}
        role = form.cleaned_data["role"] if form is not None else mapped_role(provider, claims)
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form=None)
            profile = LearnerProfile.objects.create(user=user, force=provider.force, role=role)
        services.enrolments_sync(profiles=LearnerProfile.objects.filter(pk=profile.pk))
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        if error == AuthError.CANCELLED:
            reason, status = "cancelled", 200
        elif exception is None:
            # No state: unknown, used already, expired or another force's.
            reason, status = "expired", 401
        elif isinstance(exception, RequestException):
            reason, status = "unavailable", 401
        else:
            reason, status = getattr(exception, "reason", "unverified"), 401
        raise ImmediateHttpResponse(
            refusal_page(
                request, provider_id=provider.app.provider_id, reason=reason, status=status
            )
        )
