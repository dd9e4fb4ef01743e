"""The test helpers' own contracts, where a wrong helper would make a test pass or fail by chance."""

from __future__ import annotations

from throughcare.test import shows_word


def test_a_name_inside_a_csrf_token_is_not_a_name_on_the_page() -> None:
    page = '<input type="hidden" name="csrfmiddlewaretoken" value="jpMpiSwklCAdaqPy9">'
    assert not shows_word(page, "Ada")


def test_a_name_in_text_or_an_attribute_is_shown() -> None:
    assert shows_word("<td>Example, Ada</td>", "Ada")
    assert shows_word('<a title="Ada Example">', "Ada")
    assert shows_word("<td>Example, Ada</td>", "Example")
