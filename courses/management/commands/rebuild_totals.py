"""Recount the per-(force, module) totals that the force summary reads."""

from django.core.management.base import BaseCommand

from courses.progress import totals


class Command(BaseCommand):
    help = (
        "Set every per-(force, module) total in ForceModuleSummary to a recount of the "
        "learners' module rows. Every write keeps them exact; run this after loading rows by "
        "other means, or to check them. Safe while learners record progress."
    )

    def handle(self, *args, **options):
        changed = totals.totals_rebuild()
        self.stdout.write(f"Recounted the force totals: {changed} (force, module) row(s) changed.")
