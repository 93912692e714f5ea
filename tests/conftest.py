import pytest
from wagtail.models import Site


@pytest.fixture
def home_page(db):
    """The site root created by home's data migration."""
    return Site.objects.get(is_default_site=True).root_page.specific
