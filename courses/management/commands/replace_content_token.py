"""Make every process read the published course again, after a change Django did not see."""

from django.core.management.base import BaseCommand

from courses import structure


class Command(BaseCommand):
    help = (
        "Replace the content token. Each app process keeps the course's structure, its pages' "
        "rows and its lesson pages' HTML under this token, and every change made through "
        "Django (the admin, the seed commands) replaces it. Run this after changing pages, "
        "testimony, support services, images or documents any other way, such as with SQL."
    )

    def handle(self, *args, **options):
        before = structure.current_token()
        structure.content_changed()
        self.stdout.write(
            f"Replaced the content token ({before or 'none'} -> {structure.current_token()}): "
            "every process reads the course again on its next request."
        )
