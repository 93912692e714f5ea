"""The benchmark database and what the scenarios need: learners, signed-in sessions, the
lessons' URLs, the stock Wagtail page, managers' API keys.

Everything goes through public interfaces (management commands, Django's login through its
test client, Wagtail's page tree), so the bench keeps working whatever session engine, auth
backends or progress engine the site is configured with.
"""

import os
import secrets
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_damatters"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/1"
LARGEST_FORCE = "met"
# Each key may make 600 requests a minute (DEFAULT_THROTTLE_RATES["api_key"]): with 100, the
# managers' scenarios can run at up to 1,000 requests a second for a minute without a 429.
API_KEYS = 100
PLAIN_PAGE_SLUG = "bench-plain-page"
# About a lesson's worth of text: the stock page serves as much prose as a lesson shows.
PLAIN_PAGE_BODY = "".join(
    f"<h2>Part {n}</h2><p>{'Domestic abuse is a pattern of controlling behaviour. ' * 12}</p>"
    "<ul><li>Listen</li><li>Believe</li><li>Record</li></ul>"
    for n in range(1, 7)
)
# Tables every progress event or signed-in request may write, vacuumed before each scenario.
# Named by model, so a model that no longer exists (or has no table yet) is skipped.
HOT_MODELS = (
    "courses.ForceModuleSummary",
    "courses.ModuleProgress",
    "courses.LessonProgress",
    "courses.KnowledgeCheckResult",
    "courses.ProgressEvent",
    "courses.XapiOutbox",
    "sessions.Session",
    "bench.BareWrite",
    "bench.SignedInWrite",
)


def environment(database_url: str, cache_url: str) -> dict:
    """The app server's environment: production settings plus the bench app (bench.settings)."""
    name = urlsplit(database_url).path.lstrip("/")
    if not urlsplit(database_url).scheme.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must be a PostgreSQL URL: the figures are for PostgreSQL.")
    if name.startswith("test_") or not name:
        sys.exit(f"Refusing to benchmark {name!r}: use a database of its own (bench_damatters).")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEFAULT_FROM_EMAIL": "DA Matters benchmark <bench@damatters.invalid>",
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback; everything else as deployed
        "CACHE_URL": cache_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def create_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def prepare(learners: int, sessions: int) -> dict:
    """Migrate, seed to `learners`, and make the scenarios' sessions, URLs and keys."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(learners)
    call_command("clearsessions")
    vacuum(all_tables=True)  # once: quick when the visibility map is up to date
    cache.clear()  # the benchmark's own cache database: what earlier runs cached and counted
    small = smallest_force()
    return {
        "lessons": lessons(),
        "plain_page": plain_page_url(),
        "sessions": signed_in_sessions(sessions),
        "keys": api_keys([LARGEST_FORCE, small]),
        "small_force": small,
        "machine": machine(),
    }


def seed(learners: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    have = get_user_model().objects.filter(username__startswith="scale-").count()
    if have < learners:
        print(f"Seeding {learners - have:,} learners (have {have:,}) ...")
        call_command("seed_scale", learners=learners - have)


def lessons() -> list[tuple[int, str]]:
    from courses.management.commands.seed_scale import PROGRAMME_SLUG
    from courses.models import LessonPage, ProgrammePage

    programme = ProgrammePage.objects.get(slug=PROGRAMME_SLUG)
    pages = LessonPage.objects.live().descendant_of(programme).order_by("path")
    return [(page.pk, page.get_url()) for page in pages]


def plain_page_url() -> str:
    """The stock Wagtail page, published under the site's root page (made once)."""
    from wagtail.models import Site

    from bench.models import PlainPage

    page = PlainPage.objects.filter(slug=PLAIN_PAGE_SLUG).first()
    if page is None:
        root = Site.objects.get(is_default_site=True).root_page
        page = root.add_child(
            instance=PlainPage(title="A plain Wagtail page", slug=PLAIN_PAGE_SLUG, live=False)
        )
    page.body = PLAIN_PAGE_BODY
    page.save_revision().publish()
    return page.get_url()


def signed_in_sessions(count: int) -> list[dict]:
    """`count` learners signed in through Django's login() (django.test.Client.force_login):
    a session in whatever SESSION_ENGINE is configured, as a sign-in leaves it. Each comes
    with a CSRF secret sent as both cookie and header, as the progress script does."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects.filter(username__startswith="scale-").order_by("id")
    sessions = []
    for user in users[:count]:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = secrets.token_hex(16)
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        sessions.append({"user": user.pk, "cookie": cookie, "csrf": csrf})
    return sessions


def smallest_force() -> str:
    """The force with the fewest learners, to compare the largest force's figures with."""
    from django.db.models import Count

    from courses.models import Force

    force = (
        Force.objects.annotate(learners=Count("learner_profiles"))
        .filter(learners__gt=0)
        .order_by("learners", "code")
        .first()
    )
    return force.code


def api_keys(forces: list[str], count: int = API_KEYS) -> list[str]:
    """Managers' keys through the documented command (the key is its output's last line);
    they expire after a day, so earlier runs' keys need no clearing up."""
    from django.core.management import call_command

    keys = []
    for i in range(count):
        out = StringIO()
        arguments = [f"--force={code}" for code in forces]
        call_command("create_api_key", *arguments, name=f"bench-{i}", expires_days=1, stdout=out)
        keys.append(out.getvalue().strip().splitlines()[-1])
    return keys


def vacuum(all_tables: bool = False) -> None:
    """VACUUM (ANALYZE), as autovacuum would between runs: some machines run PostgreSQL with
    autovacuum off, and then dead row versions pile up from run to run (in the per-force
    totals above all, which every status change updates) and slow every later run."""
    from django.apps import apps
    from django.db import connection

    tables = []
    if not all_tables:
        existing = set(connection.introspection.table_names())
        for label in HOT_MODELS:
            try:
                table = apps.get_model(label)._meta.db_table
            except LookupError:
                continue
            if table in existing:
                tables.append(connection.ops.quote_name(table))
    if tables or all_tables:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def clear_cache() -> None:
    """Empty the benchmark's own cache database, where the rate limits count: each scenario
    starts as a new minute would, not with what the one before it used up of the keys' and
    learners' allowances. Its warm-up fills whatever else the cache held."""
    from django.core.cache import cache

    cache.clear()


def machine() -> dict:
    from django.db import connection

    from courses.models import LearnerProfile, ModuleProgress

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(int(meminfo[1]) / 1024 / 1024, 1),
        "postgresql": version,
        "autovacuum": autovacuum,
        "database_size": size,
        "learners": LearnerProfile.objects.count(),
        "progress_rows": ModuleProgress.objects.count(),
        "largest_force_learners": LearnerProfile.objects.filter(force__code=LARGEST_FORCE).count(),
        "largest_force_rows": ModuleProgress.objects.filter(force__code=LARGEST_FORCE).count(),
        "python": sys.version.split()[0],
    }
