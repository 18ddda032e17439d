"""The interface in English, French, Spanish and Arabic: one language choice for the interface and
the data's labels (the switcher's cookie, else Accept-Language), lang and dir on every page, no page
mixing interface languages, and catalogues that are complete and compiled."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from .conftest import ROOT

CATALOGUES = ROOT / "service" / "web" / "translations"
TRANSLATED = ("fr", "es", "ar")
PAGES = [
    "/",
    "/doc/pledge/SP320067",
    "/doc/resolution/31/3",
    "/doc/conference/32",
    "/doc/organisation/icrc",
    "/doc/national-society/KE",
    "/doc/theme/migration",
    "/pledges",
    "/pledges?theme=migration",
    "/resolutions",
    "/conferences",
    "/organisations",
    "/themes",
    "/search?q=migration",
    "/.well-known/void",
    "/def/Pledge",
    "/sparql",
    "/api",
    "/reconcile/try",
    "/doc/pledge/NOSUCH",  # the error page
]


def html_of(client, path, **headers):
    return client.get(path, headers={"Accept": "text/html", **headers})


def root_element(html):
    return re.search(r"<html([^>]*)>", html).group(1)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("fr", "ltr"), ("es", "ltr"), ("ar", "rtl")])
def test_every_page_says_its_language_and_direction(real_client, path, lang, direction):
    html = html_of(real_client, path, **{"Accept-Language": lang}).get_data(as_text=True)
    assert f'lang="{lang}"' in root_element(html) and f'dir="{direction}"' in root_element(html)


def interface_phrases():
    """English interface strings of several words whose translations differ: none may show on a
    French, Spanish or Arabic page (data may be English; the interface may not)."""
    catalogue = read_po(open(CATALOGUES / "fr" / "LC_MESSAGES" / "messages.po", "rb"))
    phrases = []
    for message in catalogue:
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if singular and "%" not in singular and len(singular.split()) >= 3 and message.string != singular:
            phrases.append(singular)
    return phrases


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_page_mixes_interface_languages(real_client, path, lang):
    html = html_of(real_client, path, **{"Accept-Language": lang}).get_data(as_text=True)
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)  # data, not interface
    shown = [p for p in interface_phrases() if p in html.replace("&#39;", "'").replace("&#34;", '"')]
    assert not shown, shown


def test_the_switcher_cookie_overrides_accept_language_for_interface_and_labels(real_client):
    response = real_client.get("/language/fr?next=/doc/national-society/KE", headers={"Accept-Language": "en"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/doc/national-society/KE")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=fr;") and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    page = real_client.get("/doc/national-society/KE", headers={"Accept": "text/html", "Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert 'lang="fr"' in root_element(html)
    assert re.search(r"<h1[^>]*>Croix-Rouge du Kenya</h1>", html)  # the data's label follows too
    assert ">Faits essentiels<" in html or 'aria-label="Faits essentiels"' in html
    assert "Cookie" in page.headers["Vary"] and "Accept-Language" in page.headers["Vary"]
    # an English choice wins over a French browser
    real_client.get("/language/en")
    html = html_of(real_client, "/doc/national-society/KE", **{"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="en"' in root_element(html) and re.search(r"<h1[^>]*>Kenya Red Cross Society</h1>", html)


@pytest.mark.parametrize(
    "target, lands",
    [
        ("/pledges?theme=migration", "/pledges?theme=migration"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),  # a header break: never a 500, never a header
        ("/pledges\n", "/"),
        ("/a\x7fb", "/"),
    ],
)
def test_the_switcher_only_goes_back_to_this_site(real_client, target, lands):
    response = real_client.get("/language/es", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] in (lands, "http://localhost" + lands)


def test_an_unknown_language_is_a_404(real_client):
    assert real_client.get("/language/de").status_code == 404
    assert real_client.get("/language/%3Cscript%3E").status_code == 404


def test_every_page_links_to_itself_in_the_other_languages(real_client):
    html = html_of(real_client, "/pledges?theme=migration").get_data(as_text=True)
    for code, name in (("fr", "Français"), ("es", "Español"), ("ar", "العربية")):
        assert f'hreflang="{code}" lang="{code}">{name}</a>' in html
        assert f"/language/{code}?next=%2Fpledges%3Ftheme%3Dmigration" in html


def extracted():
    """{msgid} of the interface strings in the code and templates, extracted the way `make translations` does."""
    method_map = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(ROOT / "service", method_map, keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogues_translate_every_interface_string(lang):
    catalogue = read_po(open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb"))
    translated = {}
    for message in catalogue:
        if message.id and not message.fuzzy:
            key = message.id if isinstance(message.id, str) else tuple(message.id)
            translated[key] = message.string
    missing = [m for m in extracted() if not translated.get(m) or not all(translated[m])]
    assert not missing, f"untranslated in {lang}: {missing[:10]} (run `make translations`, then translate)"
    errors = [(m.id, e) for m in catalogue for e in m.check(catalogue)]
    assert not errors, errors[:5]  # placeholders kept, plural forms complete


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogues_match_their_sources(lang):
    """The .mo files are committed (so a fresh clone serves every language); they must be current."""
    folder = CATALOGUES / lang / "LC_MESSAGES"

    def entries(catalogue):
        return {_key(m.id): _key(m.string) for m in catalogue if m.id and not m.fuzzy}

    source = entries(read_po(open(folder / "messages.po", "rb")))
    compiled = entries(read_mo(BytesIO((folder / "messages.mo").read_bytes())))
    assert compiled == source, "run `make translations` (pybabel compile) and commit the .mo files"


def _key(value):
    return value if isinstance(value, str) else tuple(value)


def test_catalogues_ship_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"*.po", "*.mo"' in pyproject
    assert all((CATALOGUES / lang / "LC_MESSAGES" / "messages.mo").is_file() for lang in TRANSLATED)
    assert Path(ROOT / "babel.cfg").is_file()


OLD, NEW = "20260101T000000000000Z", "20260102T000000000000Z"
ENGLISH = ["Releases", "Published", "Dumps", "Validated", "Cited by", "Cite this release", "Cite this query",
           "Downloads and checksums", "What changed", "Per graph", "Answer", "(current)", "all releases",
           "This description changed", "download"]  # interface words of the release pages, never data


@pytest.fixture(scope="module")
def releases_app(tmp_path_factory):
    """Two kept releases (the second adds a retired IRI) and a query permalink on the second."""
    from service.app import create_app
    from service.stores.embedded import EmbeddedStore

    from .conftest import FIXTURES

    root = tmp_path_factory.mktemp("i18n-releases")
    store = EmbeddedStore(root)
    store.publish([FIXTURES / "mini.trig"], release=OLD)
    store.publish([FIXTURES / "mini.trig", FIXTURES / "retired.trig"], release=NEW)
    store.close()
    app = create_app({"TESTING": True, "STORE_DIR": str(root)})
    made = app.test_client().post("/q", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert made.status_code == 201, made.get_data(as_text=True)
    return app, made.get_json()["id"]


def visible_text(html):
    """What a reader sees: the body without tags, scripts or attributes, spaces collapsed."""
    body = re.sub(r"<script.*?</script>", " ", html.split("<body>", 1)[1], flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body).replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(text.split())


@pytest.mark.parametrize(
    "path, french, arabic",
    [
        ("/releases/", "Versions", "الإصدارات"),
        (f"/releases/{NEW}/", f"Version {NEW}", f"الإصدار {NEW}"),
        (f"/releases/{NEW}/changes", f"Ce que la version {NEW} a changé", f"ما غيّره الإصدار {NEW}"),
        ("/q/{permalink}", "Requête {permalink}", "الاستعلام {permalink}"),
        ("/doc/pledge/SP320067", "Cette description a changé dans ces versions", "تغيّر هذا الوصف في هذه الإصدارات"),
    ],
)
@pytest.mark.parametrize("lang, accept, cookie", [("fr", "fr", None), ("ar", "en", "ar")])
def test_the_pages_of_releases_speak_the_readers_language(releases_app, path, french, arabic, lang, accept, cookie):
    app, permalink = releases_app
    client = app.test_client()
    if cookie:
        client.set_cookie("lang", cookie)  # the switcher's choice wins over Accept-Language
    response = client.get(path.format(permalink=permalink), headers={"Accept": "text/html", "Accept-Language": accept})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = {"fr": french, "ar": arabic}[lang]
    assert f'lang="{lang}"' in root_element(html)
    shown = visible_text(html)
    assert expected.format(permalink=permalink) in shown
    assert not [word for word in ENGLISH if word in shown]
