"""Load demo content: idempotent, and refused under production settings."""

import datetime
import io

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Site

from courses import demo, services
from courses.demo import (
    evidence_a,
    evidence_b,
    evidence_c,
    evidence_d,
    evidence_e,
    evidence_training,
    statements,
    welsh_pages,
    welsh_snippets,
    xapi_d,
)
from courses.models import (
    TRAINING_LEADS_GROUP,
    Force,
    ForceEmailDomain,
    LearnerProfile,
    LearnerRole,
    LessonPage,
    ModulePage,
    Pathway,
    PathwayStep,
    ProgrammePage,
    SupportService,
    Testimony,
    TrainingLead,
    in_default_locale,
)
from home.models import AccessibilityStatementPage, PrivacyNoticePage

DEFAULT_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts only, never in production
# Certificates and manager reports show names; demo learners get plainly fictional ones.
DEMO_FIRST_NAMES = ["Alex", "Sam", "Priya", "Jordan", "Tom", "Aisha", "Chris", "Megan"]
ADMIN_EMAIL = "admin@demo.example"
STAFF_ACCOUNTS = [("editor@demo.example", "Editors"), ("reviewer@demo.example", "Reviewers")]
PROGRAMME_SLUG = "da-matters"
IMAGE_TITLE = "DA Matters demo banner"
RESOURCE_TITLE = "Starting a conversation (demo guide)"
# Force training leads: they sign in at /admin/ and see only their own force's learners.
LEAD_ACCOUNTS = [("lead-met@demo.example", "met"), ("lead-gmp@demo.example", "gmp")]
# Each demo role's required modules (by slug), in order, and the days to finish each.
DEMO_PATHWAYS = {
    LearnerRole.RESPONSE_OFFICER: [("survivor-voices", 28), ("why-doesnt-he-stop", 56)],
    LearnerRole.PCSO: [("survivor-voices", 28), ("why-doesnt-he-stop", 56)],
    LearnerRole.CALL_HANDLER: [("survivor-voices", 28), ("why-doesnt-he-stop", 56)],
    LearnerRole.STAFF: [("why-doesnt-he-stop", 28), ("survivor-voices", 56)],
    LearnerRole.SUPERVISOR: [
        ("leading-the-change", 28),
        ("survivor-voices", 56),
        ("why-doesnt-he-stop", 84),
    ],
    LearnerRole.LEADER: [
        ("leading-the-change", 28),
        ("why-doesnt-he-stop", 56),
        ("survivor-voices", 84),
    ],
}
# So the dashboard and the reminders have something to show, demo learners joined 45 days ago
# and the pathways are older: learner 1, 4, 7... is overdue on their first module (due after
# 28 days), learner 2, 5, 8... has it due within 7 days (started in post 24 days ago), and the
# others are on track (started 5 days ago).
DEMO_JOINED_DAYS_AGO = 45
DEMO_PATHWAY_ADDED_DAYS_AGO = 90
DEMO_STARTED_DAYS_AGO = {1: None, 2: 24, 0: 5}  # by learner number modulo 3


def demo_module_slugs() -> list[str]:
    return [spec["slug"] for spec in demo.MODULES]


class Command(BaseCommand):
    help = "Create demo content and accounts (safe to run again). Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )
        parser.add_argument(
            "--learners-per-force",
            type=int,
            default=3,
            help="Demo learners to create in each force (default: %(default)s).",
        )
        parser.add_argument(
            "--forces",
            default="met,gmp",
            help="Comma-separated force codes for demo learners (default: %(default)s).",
        )

    def handle(self, *args, password: str, learners_per_force: int, forces: str, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production":
            raise CommandError(
                "seed_demo creates known passwords and refuses to run in production."
            )
        if learners_per_force < 0 or learners_per_force > 1000:
            raise CommandError("--learners-per-force must be between 0 and 1000.")
        codes = [code.strip().lower() for code in forces.split(",") if code.strip()]
        found = {force.code: force for force in Force.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(
                f"Unknown force code(s): {', '.join(unknown)}. Use codes such as met, gmp, "
                "south-wales (see the Police forces list in the admin)."
            )
        with transaction.atomic():
            admin = self._admin(password)
            staff = [self._staff(email, group, password) for email, group in STAFF_ACCOUNTS]
            support_services = self._support_services()
            self._force_services([found[code] for code in codes])
            testimonies = self._testimonies()
            programme = self._programme(support_services, testimonies)
            self._statements()
            leads = [self._lead(email, code, password) for email, code in LEAD_ACCOUNTS]
            self._pathways()
            learners = [
                self._learner(found[code], i, password)
                for code in codes
                for i in range(1, learners_per_force + 1)
            ]
            services.enrolments_sync(profiles=LearnerProfile.objects.filter(user__in=learners))
            evaluator = self._evidence([found[code] for code in codes], programme, password)
            xapi_d.seed(forces=[found[code] for code in codes], admin=admin)
            welsh_snippets.seed(user=admin)
            welsh_pages.seed()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(f"Programme: {programme.url or '/'}")
        self.stdout.write(
            f"Wagtail admin: http://127.0.0.1:8000/admin/  email {admin.email}  password {password}"
        )
        for user in staff:
            self.stdout.write(f"  also {user.email} (same password)")
        for user, lead_force in leads:
            self.stdout.write(
                f"  also {user.email} (same password): force training lead, {lead_force.name}"
            )
        self.stdout.write(
            f"  also {evaluator.email} (same password): programme evaluator, every force's evidence"
        )
        if learners:
            self.stdout.write(
                f"Learner sign-in: http://127.0.0.1:8000/accounts/login/  email "
                f"{learners[0].email}  password {password} ({len(learners)} demo learners)"
            )

    # --- accounts ---------------------------------------------------------------------------

    def _user(self, email: str, password: str, **defaults):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=email, defaults={"email": email, **defaults}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _admin(self, password: str):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"email": ADMIN_EMAIL, "is_staff": True, "is_superuser": True},
        )
        if created:
            admin.set_password(password)
            admin.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=admin, email=ADMIN_EMAIL, defaults={"verified": True, "primary": True}
        )
        return admin

    def _staff(self, email: str, group_name: str, password: str):
        user = self._user(email, password)
        group = Group.objects.filter(name=group_name).first()
        if group:
            user.groups.add(group)
        return user

    def _learner(self, force: Force, index: int, password: str):
        domain = f"{force.code}.demo.example"
        ForceEmailDomain.objects.get_or_create(domain=domain, defaults={"force": force})
        user = self._user(
            f"learner{index}@{domain}",
            password,
            first_name=DEMO_FIRST_NAMES[(index - 1) % len(DEMO_FIRST_NAMES)],
            last_name=f"Demo {force.code.upper()}-{index}",
        )
        roles = LearnerRole.values
        profile, created = LearnerProfile.objects.update_or_create(
            user=user,
            defaults={"force": force, "role": roles[(index - 1) % len(roles)]},
        )
        if created:  # dated once, so that running again moves no due date
            today = timezone.localdate()
            started = DEMO_STARTED_DAYS_AGO[index % 3]
            LearnerProfile.objects.filter(pk=profile.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=DEMO_JOINED_DAYS_AGO),
                start_date=today - datetime.timedelta(days=started) if started else None,
            )
        return user

    def _lead(self, email: str, code: str, password: str):
        """A force training lead: an admin account in the leads' group, linked to one force."""
        user = self._user(email, password, first_name="Demo", last_name=f"Lead {code.upper()}")
        group = Group.objects.filter(name=TRAINING_LEADS_GROUP).first()
        if group:
            user.groups.add(group)
        lead, _ = TrainingLead.objects.get_or_create(user=user)
        force = Force.objects.get(code=code)
        lead.forces.add(force)
        return user, force

    # --- evidence of cultural change -----------------------------------------------------

    def _evidence(self, forces, programme, password: str):
        """Headcounts and a launch date, the demo attitude survey with answers (enough in the
        Met to show results, few elsewhere to show figures withheld), its post respondents
        trained, some of them Champions, and a programme evaluator."""
        now = timezone.now()
        evidence_a.seed(forces=forces, now=now)
        survey = evidence_c.seed(programme=programme, now=now)
        evidence_d.seed(forces=forces, survey=survey, now=now)
        evidence_training.seed(survey=survey)
        evidence_b.seed(forces=forces, now=now)
        return evidence_e.seed(password=password, now=now)

    # --- pathways ---------------------------------------------------------------------------

    def _pathways(self) -> None:
        """A pathway for each demo role, made once: one an editor has changed is left alone."""
        english = in_default_locale(ModulePage.objects.filter(slug__in=demo_module_slugs()))
        modules = {m.slug: m for m in english}  # a translation shares its source's slug
        added_at = timezone.now() - datetime.timedelta(days=DEMO_PATHWAY_ADDED_DAYS_AGO)
        for role, steps in DEMO_PATHWAYS.items():
            pathway, created = Pathway.objects.get_or_create(role=role)
            if not created:
                continue
            for order, (slug, days) in enumerate(steps):
                if slug in modules:
                    PathwayStep.objects.create(
                        pathway=pathway,
                        module=modules[slug],
                        days_to_complete=days,
                        sort_order=order,
                        added_at=added_at,
                    )

    # --- snippets and media -----------------------------------------------------------------

    def _support_services(self) -> dict[str, SupportService]:
        services = {}
        for data in demo.SUPPORT_SERVICES:
            service, _ = SupportService.objects.sources().update_or_create(
                name=data["name"],
                force=None,
                defaults={k: v for k, v in data.items() if k != "name"},
            )
            services[service.name] = service
        return services

    def _force_services(self, forces) -> None:
        """A fictional local entry for each demo force: each force's learners see their own
        force's alongside the national services, and never another force's."""
        for force in forces:
            SupportService.objects.sources().update_or_create(
                name=demo.FORCE_SERVICE["name"].format(force=force.name),
                force=force,
                defaults={k: v for k, v in demo.FORCE_SERVICE.items() if k != "name"},
            )

    def _testimonies(self) -> list[Testimony]:
        today = timezone.localdate()
        testimonies = []
        for data in demo.TESTIMONY:
            testimony, _ = Testimony.objects.sources().get_or_create(
                attribution=data["attribution"],
                defaults={
                    "text": data["text"],
                    "is_fictional_composite": True,
                    "consent_recorded_on": today,
                    "consent_review_by": today + datetime.timedelta(days=data["review_in_days"]),
                },
            )
            testimonies.append(testimony)
        return testimonies

    def _image(self) -> Image:
        image = Image.objects.filter(title=IMAGE_TITLE).first()
        if image:
            return image
        from PIL import Image as PILImage
        from PIL import ImageDraw

        canvas = PILImage.new("RGB", (960, 320), "#4b2a7b")
        draw = ImageDraw.Draw(canvas)
        for i, colour in enumerate(("#6b4a9b", "#8a6bb8", "#ffdd00")):
            draw.ellipse((620 + i * 90, 60 + i * 20, 820 + i * 90, 260 + i * 20), fill=colour)
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        return Image.objects.create(
            title=IMAGE_TITLE, file=ImageFile(buffer, name="da-matters-banner.png")
        )

    def _resource(self) -> Document:
        document = Document.objects.filter(title=RESOURCE_TITLE).first()
        if document:
            return document
        return Document.objects.create(
            title=RESOURCE_TITLE,
            file=ContentFile(demo.CONVERSATION_GUIDE.encode(), name="starting-a-conversation.txt"),
        )

    # --- pages ------------------------------------------------------------------------------

    def _programme(self, services, testimonies) -> ProgrammePage:
        home = Site.objects.get(is_default_site=True).root_page
        programme = ProgrammePage.objects.child_of(home).filter(slug=PROGRAMME_SLUG).first()
        if programme is None:
            programme = ProgrammePage(
                title="DA Matters",
                slug=PROGRAMME_SLUG,
                intro=demo.p(
                    "A cultural-change programme about domestic abuse for everyone in policing. "
                    "Take the modules in any order; each one takes under an hour."
                ),
            )
            home.add_child(instance=programme)
            programme.save_revision().publish()
        notice_services = [services[name] for name in demo.NOTICE_SERVICES]
        media = {"image": self._image(), "resource": self._resource()}
        for spec in demo.MODULES:
            self._module(programme, spec, notice_services, testimonies, media)
        return programme

    def _statements(self) -> None:
        """The privacy notice and accessibility statement the footer links to, once: an
        existing one (perhaps edited since) is left as it is."""
        home = Site.objects.get(is_default_site=True).root_page
        pages = [
            (
                PrivacyNoticePage,
                "Privacy notice",
                statements.privacy_notice(
                    retention_days=settings.PROGRESS_EVENT_RETENTION_DAYS,
                    idle_seconds=settings.SESSION_COOKIE_AGE,
                    absolute_seconds=settings.SESSION_ABSOLUTE_SECONDS,
                ),
            ),
            (
                AccessibilityStatementPage,
                "Accessibility statement",
                statements.accessibility_statement(),
            ),
        ]
        for model, title, body in pages:
            if model.objects.exists():
                continue
            page = model(title=title, body=body, last_updated=timezone.localdate())
            home.add_child(instance=page)
            page.save_revision().publish()

    def _module(self, programme, spec, notice_services, testimonies, media) -> ModulePage:
        module = ModulePage.objects.child_of(programme).filter(slug=spec["slug"]).first()
        if module is None:
            module = ModulePage(
                title=spec["title"],
                slug=spec["slug"],
                theme=spec["theme"],
                summary=spec["summary"],
                learning_outcomes=spec["outcomes"],
                content_notice=spec["notice"],
                pass_mark=80,
            )
            module.notice_support_services = notice_services
            programme.add_child(instance=module)
            module.save_revision().publish()
        existing = set(LessonPage.objects.child_of(module).values_list("slug", flat=True))
        for number, (title, blocks) in enumerate(spec["lessons"], start=1):
            slug = f"lesson-{number}"
            if slug in existing:
                continue
            body = [
                self._block(kind, value, spec["key"], notice_services, testimonies, media)
                for kind, value in blocks
            ]
            lesson = LessonPage(
                title=title, slug=slug, body=body, estimated_minutes=max(5, len(body) * 3)
            )
            module.add_child(instance=lesson)
            lesson.save_revision().publish()
        return module

    def _block(self, kind, value, module_key, notice_services, testimonies, media):
        """Resolve the placeholders in the demo content into real block values."""
        if kind == "CONTENT_WARNING":
            return (
                "content_warning",
                {
                    "text": demo.p(
                        "The next part of this lesson talks about controlling and abusive "
                        "behaviour. There are no graphic details."
                    ),
                    "support_services": notice_services,
                },
            )
        if kind.startswith("TESTIMONY:"):
            return ("testimony", testimonies[int(kind.split(":")[1])])
        if kind.startswith("CHECK:"):
            return ("knowledge_check", demo.KNOWLEDGE_CHECKS[kind.split(":")[1]])
        if kind == "IMAGE":
            return (
                "image",
                {"image": media["image"], "alt_text": "", "decorative": True, "caption": ""},
            )
        if kind == "RESOURCES":
            return (
                "resources",
                {
                    "heading": "Further resources",
                    "documents": [
                        {
                            "document": media["resource"],
                            "description": "Six steps for a first conversation (demo).",
                        }
                    ],
                },
            )
        return (kind, value)
