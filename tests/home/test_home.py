from home.models import HomePage


def test_site_root_is_a_home_page_created_by_migration(home_page):
    assert isinstance(home_page, HomePage)
    assert home_page.live


def test_home_page_renders_with_skip_link_and_support_footer(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#main"' in html
    assert "Skip to main content" in html
    assert 'href="/support/"' in html
    assert "<main" in html and 'lang="en-GB"' in html


def test_home_page_is_cheap_to_render(client, home_page, django_assert_max_num_queries):
    # Site lookup, page routing, children for the programme list, and the session-less user.
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
