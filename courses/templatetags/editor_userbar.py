from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    """Wagtail's `{% wagtailuserbar %}`, for users who may use the Wagtail admin."""
    if userbar_hidden(getattr(context.get("request"), "user", None)):
        return ""
    return wagtailuserbar(context, position)


def userbar_hidden(user) -> bool:
    """Whether the user bar shows nothing for this signed-in user: they may not use the admin.

    `has_perm()` reads the user's permissions once per request (Django's backend keeps them on
    the user object), so asking here and again in Wagtail's tag costs no more."""
    return (
        user is not None
        and user.is_authenticated
        and not user.has_perm("wagtailadmin.access_admin")
    )
