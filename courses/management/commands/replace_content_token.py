"""Make every app server read the published course again, after a change Django did not see."""

from django.core.management.base import BaseCommand

from courses.models import ContentVersion


class Command(BaseCommand):
    help = (
        "Replace the content token. What is derived from the course (lesson structure, cached "
        "fragments) is kept under this token, and every change made through Django (the "
        "admin, the seed commands) replaces it. Run this after changing pages, testimony, "
        "support services, images or documents any other way, such as with SQL."
    )

    def handle(self, *args, **options):
        before = ContentVersion.current_token()
        after = ContentVersion.replace_token()
        self.stdout.write(
            f"Replaced the content token ({before or 'none'} -> {after}): "
            "every app server reads the course again on its next request."
        )
