"""The Welsh catalogues are complete and current (issue 30).

`make messages` collects our strings into locale/cy/LC_MESSAGES/{django,djangojs}.po and
compiles them. Here the same collection runs on a copy of the sources: every string it finds
must be in the committed catalogue with a Welsh translation (none empty, none fuzzy), the
catalogue must hold nothing the sources no longer use, and the committed .mo must be the
compiled .po. So a string added without its Welsh fails `make test`.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "locale" / "cy" / "LC_MESSAGES"
SOURCES = ["cms", "courses", "home", "templates", "static", "manage.py"]
DOMAINS = ["django", "djangojs"]


def _key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """The catalogues as `make messages` would write them now, from a copy of the sources."""
    work = tmp_path_factory.mktemp("messages")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=ignore)
        else:
            shutil.copy2(source, work / name)
    shutil.copytree(ROOT / "locale", work / "locale")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    for domain in DOMAINS:
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--locale=cy",
                "--no-obsolete",
                "--add-location=file",
                f"--domain={domain}",
            ],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
    return work / "locale" / "cy" / "LC_MESSAGES"


def _catalogue(folder: Path, domain: str) -> polib.POFile | None:
    path = folder / f"{domain}.po"
    return polib.pofile(str(path)) if path.exists() else None


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_a_welsh_translation(collected, domain):
    catalogue = _catalogue(collected, domain)
    if catalogue is None:
        pytest.skip(f"no {domain} strings are marked for translation")
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"{len(missing)} strings lack Welsh; run `make messages`: {missing[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} Welsh translations are marked fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalogue_is_current(collected, domain):
    now, committed = _catalogue(collected, domain), _catalogue(CATALOGUES, domain)
    if now is None:
        assert committed is None, f"{domain}.po holds strings no source uses"
        return
    assert committed is not None, f"run `make messages`: there is no {domain}.po"
    wanted = {_key(entry) for entry in now}
    held = {_key(entry) for entry in committed if not entry.obsolete}
    assert sorted(wanted - held, key=str) == [], "strings not in the catalogue: `make messages`"
    assert sorted(held - wanted, key=str) == [], "strings no source uses: `make messages`"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_the_committed_one(domain):
    source = _catalogue(CATALOGUES, domain)
    if source is None:
        assert not (CATALOGUES / f"{domain}.mo").exists()
        return
    compiled = polib.mofile(str(CATALOGUES / f"{domain}.mo"))

    def pairs(catalogue):
        return {
            _key(entry): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if (entry.msgstr or any(entry.msgstr_plural.values())) and not entry.obsolete
        }

    assert pairs(compiled) == pairs(source), f"{domain}.mo is stale: run `make messages`"


def test_the_interface_speaks_welsh():
    with translation.override("cy"):
        assert translation.gettext("My learning") != "My learning"
    with translation.override("en-gb"):
        assert translation.gettext("My learning") == "My learning"
