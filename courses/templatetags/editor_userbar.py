from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    """Wagtail's `{% wagtailuserbar %}`, minus its permission queries for users who cannot use
    the admin: courses.auth loaded `admin_access_granted` with the user, and without it (nor
    superuser status) `has_perm("wagtailadmin.access_admin")` is False. Anyone else, and any
    user loaded some other way, gets Wagtail's own check."""
    user = getattr(context.get("request"), "user", None)
    if (
        user is not None
        and user.is_authenticated
        and not user.is_superuser
        and getattr(user, "admin_access_granted", None) is False
    ):
        return ""
    return wagtailuserbar(context, position)
