"""A learner's own copy of their data (UK GDPR right of access), as a JSON download."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from courses import services


@require_GET
@login_required
def my_data(request):
    """Everything held about the signed-in user, as a JSON file. Never cached."""
    data = services.learner_export(user=request.user, path=request.path)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"da-matters-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
