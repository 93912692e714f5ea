"""The django-import-export Resource that turns an HR file's rows into learners (a User and
its LearnerProfile per row).

What django-import-export does here: each row goes through `EnrolmentResource.import_data()`;
its Fields and widgets clean the values, `dry_run=True` without transactions is the preview
(nothing is written), its row types new / update / skip / invalid are the counts, and
`use_bulk` with `batch_size` writes in batches.

What it does not do, and why:
- Reading the file: see courses.enrolment_import.reading (constant memory, in chunks).
- Finding existing rows. A row is two models; the instance is the profile and its user rides
  along (`profile.user`). The chunk's accounts are loaded in `before_import` (a few queries a
  chunk) rather than one query a row through an instance loader.
- Creating users. `bulk_create` is overridden to create the chunk's users first (and their
  verified allauth email addresses), then the profiles that point at them.
- ModelResource's after_import, which resets the id sequence after new rows (for imports that
  bring their own ids; here it could race concurrent registrations).
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from courses import privacy
from courses.enrolment_import.reading import cell_text, column_key
from courses.models import PATHWAY_ROLES, ErasedEmail, Force, LearnerProfile

logger = logging.getLogger(__name__)

MAX_REPORTED_ROWS = 500  # error rows and changed rows kept for the preview page
LIMITS = {"staff_number": 30, "team": 120, "first_name": 150, "last_name": 150, "email": 150}
YES = {"yes", "y", "true", "1", "left", "leaver"}
NO = {"", "no", "n", "false", "0"}

# A role as the HR file may write it: its code ("staff" too), or its label (below).
ROLES: dict[str, str] = {column_key(code): code for code, _label in PATHWAY_ROLES}
ROLES[column_key("staff")] = "staff"


def role_by_label() -> dict[str, str]:
    """The roles' labels as keys: in English, and in the language in use (the labels are
    translated, so they are read when a file is, not when this module is imported)."""
    found = {column_key(str(label)): code for code, label in PATHWAY_ROLES}
    with translation.override("en-gb"):
        found |= {column_key(str(label)): code for code, label in PATHWAY_ROLES}
    return found


def role_names() -> str:
    return ", ".join(str(label) for _, label in PATHWAY_ROLES)


# --- Cleaning values ----------------------------------------------------------------------


class RoleWidget(widgets.Widget):
    """A role's code or label, any case: 'PCSO', 'call handler', 'response-officer'."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None  # blank: an existing learner keeps their role
        role = ROLES.get(column_key(value)) or role_by_label().get(column_key(value))
        if role is None:
            raise ValueError(
                gettext("Unknown role '%(value)s'. Use one of: %(roles)s.")
                % {"value": value, "roles": role_names()}
            )
        return role


class HrDateWidget(widgets.DateWidget):
    """ISO (2027-01-31) or UK (31/01/2027) dates."""

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")

    def __init__(self):
        super().__init__()
        self.formats = self.FORMATS  # the widget takes one format or DATE_INPUT_FORMATS

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ValueError:
            raise ValueError(
                gettext("'%(value)s' is not a date: write 2027-01-31 or 31/01/2027.")
                % {"value": value}
            ) from None


def left_on(value: str, today: datetime.date) -> datetime.date | None:
    """The `left` column: blank/no -> not left; yes/true -> left today; a date -> that date."""
    text = (value or "").strip()
    if text.lower() in NO:
        return None
    if text.lower() in YES:
        return today
    return HrDateWidget().clean(text)


def split_name(name: str) -> tuple[str, str]:
    """(first, last): 'Sam Okafor' and 'Okafor, Sam' -> ('Sam', 'Okafor'); 'Sam' -> ('Sam', '')."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (last, "")


# --- The Resource -------------------------------------------------------------------------


@dataclass
class ImportState:
    """What one run over a file has learned so far, across chunks. Memory grows with the
    number of distinct emails only (for duplicates and 'everyone not in this file')."""

    force: Force
    domains: tuple[str, ...]
    today: datetime.date
    seen: dict[str, int] = field(default_factory=dict)  # email -> first row number
    counts: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0, "errors": 0}
    )
    leaving: int = 0
    errors: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)

    def report_error(self, row_number: int, email: str, reason: str) -> None:
        if len(self.errors) < MAX_REPORTED_ROWS:
            self.errors.append({"row": row_number, "email": email, "reason": reason})


TRACKED = ("role", "staff_number", "team", "start_date")
FIELD_LABELS = {
    "role": _("Role"),
    "staff_number": _("Staff number"),
    "team": _("Team"),
    "start_date": _("Start date"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "is_active": _("Account"),
    "left_on": _("Left on"),
}
USER_TRACKED = ("first_name", "last_name", "is_active")


class EnrolmentResource(resources.ModelResource):
    """One chunk of an HR file for one force. Make a new one per chunk (it keeps the chunk's
    accounts); `state` is shared by the chunks of one run."""

    role = fields.Field(
        attribute="role", column_name="role", widget=RoleWidget(), saves_null_values=False
    )
    staff_number = fields.Field(
        attribute="staff_number", column_name="staff_number", widget=widgets.CharWidget()
    )
    team = fields.Field(attribute="team", column_name="team", widget=widgets.CharWidget())
    start_date = fields.Field(
        attribute="start_date", column_name="start_date", widget=HrDateWidget()
    )

    class Meta:
        model = LearnerProfile
        fields = ("role", "staff_number", "team", "start_date")
        use_bulk = True
        batch_size = 1000
        skip_diff = True  # changes are described by import_instance, without a deepcopy a row
        clean_model_instances = False  # lengths and choices are checked in import_instance
        report_skipped = False

    def __init__(self, *, state: ImportState):
        super().__init__()
        self.state = state
        self.accounts: dict[str, object] = {}
        self.erased: set[str] = set()
        self.usernames: set[str] = set()  # addresses that are another account's username
        self.profile_ids: list[int] = []  # profiles written by this chunk, for enrolments_sync

    # The chunk's accounts (by address, any case, or by a secondary allauth address, or by a
    # username that is the address) and its erased addresses: three queries.
    def before_import(self, dataset, **kwargs):
        emails = {cell_text(email).lower() for email in dataset["email"] if email}
        users = (
            get_user_model()
            .objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
            .filter(Q(email_lower__in=emails) | Q(username_lower__in=emails))
            .select_related("learner_profile", "training_lead")
        )
        for user in users:
            if user.email_lower in emails:
                self.accounts[user.email_lower] = user
            if user.username_lower in emails:
                self.usernames.add(user.username_lower)
        addresses = EmailAddress.objects.filter(email__in=emails).select_related(
            "user__learner_profile", "user__training_lead"
        )
        for address in addresses:
            self.accounts.setdefault(address.email.lower(), address.user)
        hashes = {privacy.email_hash(email): email for email in emails}
        self.erased = {
            hashes[h]
            for h in ErasedEmail.objects.filter(email_hash__in=list(hashes)).values_list(
                "email_hash", flat=True
            )
        }

    def get_instance(self, instance_loader, row):
        email = cell_text(row.get("email")).lower()
        row["email"] = email
        number = row["row_number"]
        if not email:
            raise ValidationError({"email": gettext("The email address is missing.")})
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"email": gettext("'%(email)s' is not an email address.") % {"email": email}}
            ) from None
        if len(email) > LIMITS["email"]:
            raise ValidationError({"email": gettext("The email address is too long.")})
        first = self.state.seen.get(email)
        if first is not None:
            raise ValidationError(
                {"email": gettext("This address is also on row %(row)s.") % {"row": first}}
            )
        self.state.seen[email] = number
        domain = email.rsplit("@", 1)[1]
        if domain not in self.state.domains:
            allowed = ", ".join(self.state.domains) or gettext(
                "none yet (ask SafeLives to add them)"
            )
            raise ValidationError(
                {
                    "email": gettext("Not an address of %(force)s: its domains are %(domains)s.")
                    % {"force": self.state.force.name, "domains": allowed}
                }
            )
        if email in self.erased:
            raise ValidationError(
                {
                    "email": gettext(
                        "This address belonged to an account erased at its owner's request."
                    )
                }
            )
        user = self.accounts.get(email)
        if user is None:
            if email in self.usernames:
                raise ValidationError(
                    {"email": gettext("This address is used by another account.")}
                )
            return None
        profile = getattr(user, "learner_profile", None)
        staff = user.is_staff or user.is_superuser or hasattr(user, "training_lead")
        if staff or profile is None:
            raise ValidationError(
                {"email": gettext("This address belongs to a staff account, not a learner's.")}
            )
        if profile.force_id != self.state.force.pk:
            raise ValidationError(
                {
                    "email": gettext(
                        "Already registered with another force; ask SafeLives to move "
                        "them if they have joined yours."
                    )
                }
            )
        if profile.erased_at is not None:
            raise ValidationError({"email": gettext("This learner's account was erased.")})
        return profile

    def init_instance(self, row=None):
        email = row["email"]
        user = get_user_model()(username=email, email=email, is_active=True)
        profile = LearnerProfile(force=self.state.force, user=user)
        profile._is_new = True
        return profile

    def import_instance(self, instance, row, **kwargs):
        user = instance.user
        new = getattr(instance, "_is_new", False)
        before = {name: getattr(instance, name) for name in TRACKED}
        before |= {name: getattr(user, name) for name in USER_TRACKED}
        before["left_on"] = instance.left_on
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if new and not instance.role:
            errors.setdefault("role", []).append(
                gettext("A role is needed: one of %(roles)s.") % {"roles": role_names()}
            )
        name = cell_text(row.get("name"))
        if name:
            user.first_name, user.last_name = split_name(name)
        elif new:
            errors.setdefault("name", []).append(gettext("A name is needed for a new learner."))
        for limited in ("staff_number", "team"):
            if len(getattr(instance, limited) or "") > LIMITS[limited]:
                errors.setdefault(limited, []).append(
                    gettext("Longer than %(limit)s characters.") % {"limit": LIMITS[limited]}
                )
        if len(user.first_name) > LIMITS["first_name"] or len(user.last_name) > LIMITS["last_name"]:
            errors.setdefault("name", []).append(gettext("The name is too long."))
        if "left" in row:
            try:
                left = left_on(row["left"], self.state.today)
            except ValueError as error:
                errors.setdefault("left", []).append(str(error))
                left = None
            if left is not None and new:
                instance._nothing_to_do = True  # a leaver who never had an account
            elif left is not None and user.is_active:
                user.is_active, instance.left_on = False, left
                instance._leaving = True
            elif left is None and not user.is_active and instance.left_on is not None:
                user.is_active, instance.left_on = True, None  # back at the force
        if errors:
            raise ValidationError(errors)
        after = {name: getattr(instance, name) for name in TRACKED}
        after |= {name: getattr(user, name) for name in USER_TRACKED}
        after["left_on"] = instance.left_on
        instance._changes = {
            name: (_shown(before[name]), _shown(after[name]))
            for name in after
            if before[name] != after[name]
        }

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if getattr(instance, "_nothing_to_do", False):
            return True
        return not getattr(instance, "_is_new", False) and not instance._changes

    def import_row(self, row, instance_loader, **kwargs):
        """import-export's row, then the run's counts and the row's reasons if refused."""
        row_result = super().import_row(row, instance_loader, **kwargs)
        kind = {
            RowResult.IMPORT_TYPE_NEW: "new",
            RowResult.IMPORT_TYPE_UPDATE: "changed",
            RowResult.IMPORT_TYPE_SKIP: "unchanged",
        }.get(row_result.import_type, "errors")
        self.state.counts[kind] += 1
        number, email = row.get("row_number", 0), row.get("email", "")
        if row_result.validation_error is not None:
            reasons = [
                message
                for messages in row_result.validation_error.message_dict.values()
                for message in messages
            ]
            self.state.report_error(number, email, " ".join(reasons))
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            logger.warning("Enrolment import: row %s failed", number, exc_info=False)
            self.state.report_error(number, email, gettext("This row could not be read."))
        return row_result

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ModelResource's resets the table's id sequence after new rows, which is
        for imports that bring their own ids and can race concurrent registrations."""

    def before_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_leaving", False):
            self.state.leaving += 1
        if not getattr(instance, "_is_new", False) and len(self.state.changes) < MAX_REPORTED_ROWS:
            self.state.changes.append(
                {
                    "row": row["row_number"],
                    "email": row["email"],
                    "changes": [
                        {"field": str(FIELD_LABELS[name]), "old": old, "new": new}
                        for name, (old, new) in instance._changes.items()
                    ],
                }
            )

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Users first (their ids are needed), then profiles and verified email addresses."""
        if not self.create_instances or (dry_run and not using_transactions):
            self.create_instances.clear()
            return
        try:
            profiles = self.create_instances
            for profile in profiles:
                # What set_unusable_password() stores ("!" and random characters), from
                # os.urandom: make_password(None) draws each character separately, a third
                # of a millisecond a user.
                profile.user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
            users = get_user_model().objects.bulk_create(
                [profile.user for profile in profiles], batch_size=batch_size
            )
            for profile, user in zip(profiles, users, strict=True):
                profile.user = user
            LearnerProfile.objects.bulk_create(profiles, batch_size=batch_size)
            # The force's HR file vouches for the address; setting a password through the
            # invitation's link then proves the person reads that inbox.
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
                batch_size=batch_size,
            )
            self.profile_ids.extend(profile.pk for profile in profiles)
        except Exception as error:  # noqa: BLE001 - reported as import-export reports it
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances or (dry_run and not using_transactions):
            self.update_instances.clear()
            return
        try:
            profiles = self.update_instances
            LearnerProfile.objects.bulk_update(
                profiles, [*TRACKED, "left_on"], batch_size=batch_size
            )
            get_user_model().objects.bulk_update(
                [profile.user for profile in profiles], list(USER_TRACKED), batch_size=batch_size
            )
            self.profile_ids.extend(profile.pk for profile in profiles)
        except Exception as error:  # noqa: BLE001
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()


def _shown(value) -> str:
    if value is None or value == "":
        return gettext("(blank)")
    if isinstance(value, bool):
        return gettext("active") if value else gettext("deactivated")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(dict(PATHWAY_ROLES).get(value, value))


def today() -> datetime.date:
    return timezone.localdate()
