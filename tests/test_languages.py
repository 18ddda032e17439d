"""Language choice: RFC 4647 lookup over Accept-Language, in the reader's order of preference,
for every answer that names things in the reader's language."""

import re

import pytest

from service.pages.labels import lookup

CHAIN = ["en", "fr", "es", "ar"]


def ranges(header):
    """Accept-Language as (range, q) pairs, the way the service reads it."""
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    return list(parse_accept_header(header, LanguageAccept))


@pytest.mark.parametrize(
    "header, expected",
    [
        ("fr-CA, en;q=0.5", "fr"),  # the example: a regional French reader gets French
        ("FR-ca", "fr"),  # tags compare case-insensitively
        ("en;q=0.5, fr-CA", "fr"),  # quality first, not header order
        ("de-DE, fr;q=0.9, en;q=0.8", "fr"),  # German is not published: the next preference
        ("es-419, en;q=0.9", "es"),
        ("ar-EG, fr;q=0.7", "ar"),
        ("en-US, fr;q=0.9", "en"),
        ("zh-Hant-x-private, fr;q=0.1", "fr"),  # truncation drops the singleton, then finds nothing
        ("fr;q=0, en", "en"),  # q=0: not French
        ("fr;q=0", None),
        ("*", None),  # a wildcard names no language: the chain's first applies
        ("de", None),
        ("", None),
        ("fr-CA;q=0.8, es;q=0.8", "fr"),  # equal quality: the reader's order
        ("es;q=0.8, fr-CA;q=0.8", "es"),
    ],
)
def test_lookup_follows_the_readers_preferences(header, expected):
    assert lookup(ranges(header), CHAIN) == expected


def test_lookup_returns_the_configured_spelling():
    assert lookup([("pt-br", 1.0)], ["en", "pt-BR"]) == "pt-BR"
    assert lookup([("pt", 1.0)], ["en", "pt-BR"]) is None  # lookup truncates the range, never the tag


FRENCH = "Croix-Rouge du Kenya"
ENGLISH = "Kenya Red Cross Society"


def heading(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)


# (route, how to read the part named in the reader's language, French text, English text)
ROUTES = [
    ("/doc/national-society/KE", heading, FRENCH, ENGLISH),
    ("/doc/national-society/KE.html", heading, FRENCH, ENGLISH),
    ("/organisations?country=KE", str, FRENCH, ENGLISH),
    ("/search?q=kenya%20red%20cross", lambda html: " ".join(re.findall(r"<a [^>]*>(.*?)</a>", html)), FRENCH, None),
    ("/", str, "engagements", None),  # the home page's figures name the listings in the reader's language
]
HEADERS = [("fr-CA, en;q=0.5", "fr"), ("de, fr;q=0.9, en;q=0.8", "fr"), ("en-GB, fr;q=0.8", "en"), ("de", "en")]


@pytest.mark.parametrize("header, language", HEADERS)
@pytest.mark.parametrize("path, part, french, english", ROUTES, ids=[r[0] for r in ROUTES])
def test_every_page_names_things_in_the_readers_language(real_client, path, part, french, english, header, language):
    response = real_client.get(path, headers={"Accept-Language": header, "Accept": "text/html"})
    assert response.status_code == 200
    assert "Accept-Language" in response.headers["Vary"]
    shown = part(response.get_data(as_text=True))
    if language == "fr":
        assert french in shown
        assert english is None or english not in shown
    else:
        assert french not in shown
        assert english is None or english in shown


@pytest.mark.parametrize("header, shown", [
    ("es, fr;q=0.9", "Croix-Rouge espagnole"),  # no Spanish label: the reader's next language, French
    ("es;q=0.9, fr;q=0.9", "Croix-Rouge espagnole"),
    ("es, en;q=0.9, fr;q=0.8", "Spanish Red Cross"),
    ("es", "Spanish Red Cross"),  # then the configured chain: English
])
def test_labels_follow_the_readers_later_languages_before_the_configured_chain(real_client, header, shown):
    html = real_client.get("/doc/national-society/ES", headers={"Accept-Language": header, "Accept": "text/html"})
    assert shown in heading(html.get_data(as_text=True))
