from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    """Wagtail's `{% wagtailuserbar %}`, minus its permission queries for users who cannot use
    the admin: courses.auth loaded `has_groups_or_permissions` with the user, and a user with
    neither (nor superuser status) holds no permission, `wagtailadmin.access_admin` included.
    Anyone else (editors, reviewers), and any user loaded some other way, gets Wagtail's own
    check."""
    if userbar_hidden(getattr(context.get("request"), "user", None)):
        return ""
    return wagtailuserbar(context, position)


def userbar_hidden(user) -> bool:
    """Whether the user bar is known to show nothing for this user, without a query."""
    return (
        user is not None
        and user.is_authenticated
        and not user.is_superuser
        and getattr(user, "has_groups_or_permissions", None) is False
    )
