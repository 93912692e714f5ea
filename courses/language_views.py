"""Choosing the language on a page without a language prefix (sign-in, registration and the
other /accounts/ pages), where a link cannot carry it: a POST form (CSRF-protected, works
without JavaScript) to Django's set_language, which sets the language cookie and sends the
browser back to a safe `next` only; a signed-in learner's choice is saved as well. Learner
pages switch with a plain link instead (courses.learner_language says why)."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as django_set_language

from courses import learner_language
from courses.services.languages import learner_language_save


@require_POST
def set_language(request):
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER, "")
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(
            _("Choose one of the site's languages (%(codes)s).") % {"codes": codes},
            content_type="text/plain; charset=utf-8",
        )
    response = django_set_language(request)
    if request.user.is_authenticated and learner_language_save(
        user=request.user, language=language
    ):
        request.session[learner_language.OWN_LANGUAGE] = language
    return response
