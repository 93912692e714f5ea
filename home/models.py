from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses import structure
from courses.models import LessonPage, ModulePage, ProgrammePage

# The page type at each depth below the site root, fixed by parent_page_types: a path of that
# many components can only be a page of that type (or not one of ours at all).
ROUTED_BY_DEPTH = {1: ProgrammePage, 2: ModulePage, 3: LessonPage}


class HomePage(Page):
    """The site root: introduces the programme and points learners to their modules."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Welcome text shown at the top of the home page.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Find a programme, module or lesson by its url_path, rather than by Wagtail's query
        and `.specific` per level (6 queries for a lesson).

        Same outcome as Wagtail's walk: url_path is the chain of live slugs the walk would
        follow, the page's own `route` still decides (404 unless live), and the walk's
        intermediate pages (programme, module) do not override `route`. Anything not found
        this way (other page types, unknown paths, sub-paths) takes Wagtail's walk, so 404s,
        redirects and aliases behave as before.
        """
        model = ROUTED_BY_DEPTH.get(len(path_components))
        if model is not None:
            # From this process's copy of the page's rows while the content is unchanged
            # (courses.structure.served_page), which also answers the view-restriction check.
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = structure.served_page(request, model, url_path)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = self.get_children().live().public().specific()
        return context
