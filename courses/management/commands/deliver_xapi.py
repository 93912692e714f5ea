"""Send the xAPI outbox to the forces' LRSs (courses.xapi.delivery): one pass with --once
(for cron), or a worker that keeps sending until it is stopped. Several workers may run at
once: each claims its own rows."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from courses.xapi.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Send due xAPI statements to each force's LRS, retrying failures with backoff. "
        "Runs until SIGTERM or SIGINT (finishing the batch in flight), or once with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one pass, print what it did, and exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="Seconds between passes (default 10). A pass sends everything due, except "
            "to an LRS that failed during it: that one waits for the next pass.",
        )

    def handle(self, *args, once: bool, interval: float, **options):
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds, such as 10.")
        if once:
            self.stdout.write(f"xAPI delivery: {deliver_due()}")
            return
        stop = threading.Event()
        previous = {
            signum: signal.signal(signum, lambda *_: stop.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(f"xAPI delivery: a pass every {interval:g} s until stopped.")
        try:
            while not stop.is_set():
                close_old_connections()  # long-lived: drop a connection the database closed
                report = deliver_due(stop=stop)
                if report.batches:
                    self.stdout.write(f"xAPI delivery: {report}")
                    self.stdout.flush()
                stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("xAPI delivery: stopped.")
