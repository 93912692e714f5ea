from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Force

# --- Forces -----------------------------------------------------------------------------------


class ForceViewSet(SnippetViewSet):
    model = Force
    icon = "group"
    menu_label = "Police forces"
    list_display = ["name", "code", "country", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "code"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(ForceViewSet)


# --- Authoring: testimony, support services, consent report, workflow, editors group ----------


# --- API keys and access log ------------------------------------------------------------------
