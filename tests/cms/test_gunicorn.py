"""gunicorn.conf.py: the app servers' configuration, started for real."""

import gc
import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

from tests.cms.test_settings import PRODUCTION_VARS, production_env
from tests.faults.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def test_the_configuration_is_what_the_benchmark_chose(tmp_path):
    done = subprocess.run(  # noqa: S603
        [GUNICORN, "--print-config"],  # prints, and loads the app to check it
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **production_env(tmp_path), "WEB_CONCURRENCY": "3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    config = {
        name.strip(): value.strip()
        for name, value in (
            line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line
        )
    }
    assert {name: config[name] for name in ("wsgi_app", "worker_class", "threads")} == {
        "wsgi_app": "cms.wsgi:application",
        "worker_class": "gthread",
        "threads": "8",
    }
    assert config["workers"] == "3"  # WEB_CONCURRENCY, as platforms set it
    assert config["timeout"] == "300"  # a whole force's CSV export streams


def test_gunicorn_serves_the_production_settings_with_it(tmp_path):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        **production_env(tmp_path, ALLOWED_HOSTS="127.0.0.1"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    assert set(PRODUCTION_VARS) <= set(env)
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                answer = (response.status, json.loads(response.read()))
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
        assert answer == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_each_worker_freezes_what_it_loaded():
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    gc.unfreeze()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000  # Django, Wagtail and the app's modules
    finally:
        gc.unfreeze()
