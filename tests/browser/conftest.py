"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)
against the real app served by gunicorn in its own process, on its own database, seeded with
the demo content. Nothing here shares a transaction with the test process: the browser sees
exactly what a user would.

Without /usr/bin/chromium these tests skip with a hint; with REQUIRE_BROWSER_TESTS=1 (CI) a
missing browser is a failure instead.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = ROOT / "artifacts" / "screens"
WIDTHS = {"desktop": (1280, 900), "mobile": (360, 740)}
DEMO_PASSWORD = "e2e-demo-password-2026"  # noqa: S105 - throw-away database


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists() or os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        return  # with REQUIRE_BROWSER_TESTS=1 the `browser` fixture fails loudly instead
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: `apt-get install chromium` enables browser tests"
    )
    for item in browser_items:
        item.add_marker(skip)


@dataclass
class AppServer:
    url: str
    env: dict
    mail_dir: Path

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database; return its stdout."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _e2e_database_url(tmp: Path) -> tuple[str, callable]:
    """A fresh database next to the test one: a new PostgreSQL database when DATABASE_URL
    is PostgreSQL (dropped afterwards), otherwise a temporary SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    import psycopg

    head, _, _name = base.rpartition("/")
    name = f"e2e_{uuid.uuid4().hex[:10]}"
    admin_url = f"{head}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{head}/{name}", drop


SKIP_PRE_SURVEY = """
from courses import services
from courses.models import AttitudeSurvey, LearnerProfile
for survey in AttitudeSurvey.objects.filter(live=True):
    for profile in LearnerProfile.objects.filter(user__email__startswith="learner"):
        services.survey_decline(learner=profile.user, survey=survey, stage="pre")
"""


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    database_url, drop_database = _e2e_database_url(tmp)
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "ACCOUNT_EMAIL_VERIFICATION": "mandatory",
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
    }
    setup = AppServer(url="", env=env, mail_dir=mail_dir)
    setup.manage("migrate", "--noinput", "-v0")
    # Six learners a force, so that tests which change a learner's progress never share one.
    setup.manage("seed_demo", "--password", DEMO_PASSWORD, "--learners-per-force", "6")
    # The demo learners have skipped the attitude survey offered before a first lesson, so that
    # tests opening lessons meet the lessons. test_surveys.py takes the survey as a learner of
    # its own; take_module() skips the offer for a learner registered in a test.
    setup.manage("shell", "-c", SKIP_PRE_SURVEY)
    try:
        with serve(env, tmp) as url:
            yield AppServer(url=url, env=env, mail_dir=mail_dir)
    finally:
        drop_database()


@contextmanager
def serve(env: dict, tmp: Path, *, workers: int = 2):
    """gunicorn serving the app with this environment on a free port, until the block ends;
    yields its base URL. The app_server's database with other settings, for example."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "The app server did not start:\n" + (tmp / "gunicorn.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but there is no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser, app_server):
    """New browser contexts at a named width; afterwards, no page may have hit the
    Content-Security-Policy (a blocked script or style is a broken page, even if it looks fine)."""
    contexts = []
    blocked = []

    def note_csp(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            blocked.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def make(width: str = "desktop", *, javascript: bool = True, base_url: str | None = None):
        w, h = WIDTHS[width]
        context = browser.new_context(
            base_url=base_url or app_server.url,
            viewport={"width": w, "height": h},
            java_script_enabled=javascript,
            locale="en-GB",
        )
        context.set_default_timeout(15_000)
        context.on("console", note_csp)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not blocked, "Blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


@pytest.fixture
def page(context_factory):
    return context_factory("desktop").new_page()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and return violations of these impacts."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        }
    }
    results = Axe().run(page, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"{label}: " + "\n".join(summary)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screens (git-ignored, kept by CI)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / (re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def oidc_app_base_url(app_server) -> str:
    """The test OpenID Providers (tests/oidc/provider.py) send people back to the app server."""
    return app_server.url
