"""Small helpers every view uses."""

from flask import current_app, g, request
from flask_babel import get_translations

from ..config import languages
from ..dataset.figures import conference_years
from ..errors import InputError
from ..namespaces import BASE
from ..pages.describe import vocabulary_labels
from ..pages.labels import choose, reader_chain
from ..pages.present import Presenter
from ..pages.values import locale_of
from .scope import PREFIX, RELEASE, ROOT

INTERFACE = ("en", "fr", "es", "ar")  # languages with a message catalogue (web/translations/)
LANGUAGE_COOKIE = "lang"  # set by the language switcher (web/i18n.py); it overrides Accept-Language


def store():
    """The store this request reads: the app's (embedded or remote), pinned to a kept release when the
    request is scoped to one (``/releases/<id>/...``, ``?release=``: ``service.web.scope``)."""
    release = request.environ.get(RELEASE)
    if not release:
        return current_app.extensions["pledgegraph.store"]
    if g.get("release_store") is None:
        g.release_store = current_app.extensions["pledgegraph.store"].at(release)
    return g.release_store


def public_base():
    """Where canonical IRIs are served: PUBLIC_BASE (under releases/<id>/ in a release's scope), else
    this request's host and script root (ProxyFix-aware; the release's scope included)."""
    base = current_app.config.get("PUBLIC_BASE")
    return base + request.environ.get(PREFIX, "") if base else request.url_root


def current_release():
    """The published release's name ("unreleased" before the first build): part of every ETag."""
    current = getattr(store(), "current_release", None)
    return (current() if current else None) or "unreleased"


def kept_releases():
    """The names of every kept release, comma-separated: part of the ETag of what lists them."""
    return ",".join(current_app.extensions["pledgegraph.store"].release_names())


def vary_on_accept(response):
    """The answer (its format, or its error body's) depends on Accept."""
    response.vary.add("Accept")
    return response


def reader_language():
    """The reader's language among LANGUAGES: the switcher's cookie, else Accept-Language (RFC 4647
    lookup), else the first. Data labels and the interface both follow it. Chosen once per request."""
    found = g.get("pledgegraph_reader_language")
    if found is None:
        chosen = request.cookies.get(LANGUAGE_COOKIE)
        found = g.pledgegraph_reader_language = choose(chosen, request.accept_languages, languages(current_app.config))
    return found


def interface_language():
    """The language of the interface: the reader's, when it has a catalogue; else English."""
    primary = reader_language().split("-")[0].lower()
    return primary if primary in INTERFACE else "en"


def catalogue():
    """The request's message catalogue (a babel Translations), looked up once per request."""
    found = g.get("pledgegraph_catalogue")
    if found is None:
        found = g.pledgegraph_catalogue = get_translations()
    return found


def page_locale():
    """The Babel Locale of the interface's language (dates and numbers), looked up once per request."""
    found = g.get("pledgegraph_locale")
    if found is None:
        found = g.pledgegraph_locale = locale_of(interface_language())
    return found


def presenter():
    """A Presenter for this request: the base mapping, the reader's label chain, the interface's
    locale and message catalogue."""
    chain = reader_chain(languages(current_app.config), reader_language(), request.accept_languages)
    vocabulary = vocabulary_labels(store(), BASE + "def/")
    return Presenter(BASE, public_base(), chain, vocabulary, interface_language(), catalogue())


def conference_year_texts(show):
    """{conference IRI: its year as the page writes it}, made once per request (a listing names a
    conference in every row)."""
    years = g.get("pledgegraph_years")
    if years is None:
        years = g.pledgegraph_years = {c: show.literal(y)["text"] for c, y in conference_years(store()).items()}
    return years


def conference_name(show, iri):
    """ "32nd (2015)": a conference as tables, facets and charts name it, in the page's language;
    "" for an IRI that is not a numbered conference."""
    return show.conference_name(iri, conference_year_texts(show).get(iri, ""))


def single(name, default=None):
    """The one value of query parameter ``name`` (or ``default``); given twice, a 400 naming it."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise InputError(f"{name} takes one value; the request gives it {len(values)} times")
    return values[0] if values else default


def page_number():
    """``?page=N``, a whole number from 1 (default 1); anything else is a 400."""
    raw = single("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 1_000_000:  # "２" is a digit to Python
        raise InputError(f"page must be a whole number from 1 to 1,000,000 (written 0-9), not {raw[:20]!r}")
    return int(raw)


def root_url():
    """Where the service itself is served, outside any release's scope: PUBLIC_BASE, else this
    request's host and the script root it had before a release was moved into it."""
    base = current_app.config.get("PUBLIC_BASE")
    if base:
        return base
    root = request.environ.get(ROOT)
    if root is None:  # not in a release's scope
        return request.url_root
    return request.host_url.rstrip("/") + root + "/"
