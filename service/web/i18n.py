"""The interface language: message catalogues (Flask-Babel), the language switcher, lang and dir.

The interface speaks the Conference's four languages (English, French, Spanish, Arabic; the
catalogues are ``web/translations/<lang>/LC_MESSAGES/messages.po`` and their compiled ``.mo``).
Its language is the reader's language, ``common.reader_language()``: the switcher's cookie, else
Accept-Language. Labels of the data follow the same choice, so a page never mixes interface
languages; a configured language without a catalogue gets the English interface.

| request                        | answer                                                        |
|--------------------------------|---------------------------------------------------------------|
| ``/language/fr?next=/pledges`` | 303 to ``/pledges``, setting the cookie ``lang=fr`` (one year) |

Every page says ``lang`` and ``dir`` (``rtl`` for Arabic) on ``<html>``; an answer that depends on
the reader's language (``Vary: Accept-Language``) also varies on ``Cookie``.
"""

import functools
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from babel import Locale
from babel.lists import format_list
from flask import Blueprint, current_app, redirect, request
from flask_babel import Babel
from markupsafe import Markup, escape

from ..config import languages
from ..errors import NotFound
from ..pages.values import byte_size, moment, number
from .common import LANGUAGE_COOKIE, catalogue, interface_language, page_locale, reader_language

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
ONE_YEAR = 365 * 24 * 3600
CATALOGUES = Path(__file__).resolve().parent / "translations"

bp = Blueprint("i18n", __name__)


def register(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOGUES))
    Babel(app, locale_selector=interface_language)
    # Templates look their strings up in the request's catalogue, fetched once per request
    # (page_language gives the page its own _; these serve imported macros): Flask-Babel's own
    # callables find the locale and catalogue again for every string.
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    # Numbers, instants and lists the views pass as they are, written in the page's language:
    # {{ n|number }}, {{ when|moment }}, {{ bytes|size }},
    # {{ [a, b]|conjunction }} ("a and b", "a et b", "a و b").
    app.add_template_filter(lambda n: number(n, page_locale()), "number")
    app.add_template_filter(lambda when: moment(when, page_locale()), "moment")
    app.add_template_filter(lambda n: byte_size(n, page_locale()), "size")  # 1.2 MB, 1,2 Mo
    app.add_template_filter(lambda items: Markup(format_list([escape(i) for i in items], locale=page_locale())),
                            "conjunction")
    app.register_blueprint(bp)
    app.context_processor(page_language)
    app.after_request(vary_on_cookie)


def _gettext(message):
    return catalogue().ugettext(message)


def _ngettext(singular, plural, n):
    return catalogue().ungettext(singular, plural, n)


def direction(lang):
    return "rtl" if lang.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


@functools.lru_cache(maxsize=64)
def native_name(code):
    """The language's name in itself ("Français", "العربية"), for the switcher."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


def page_language():
    """What base.html needs: the page's lang and dir, the switcher's links back to this page, the
    path links start with, and the request's catalogue as the templates' ``_`` and ``ngettext``."""
    lang = interface_language()
    chosen = reader_language()
    here = request.full_path.rstrip("?")
    switcher = [
        {"code": code, "name": native_name(code), "current": code == chosen, "url": _switch_url(code, here)}
        for code in languages(current_app.config)
    ]
    found = catalogue()

    def gettext(__message, **variables):  # as Jinja's "newstyle" gettext: the values are escaped
        text = Markup(found.ugettext(__message))
        return text % variables if variables or "%" in text else text  # most messages have no placeholder

    def ngettext(__singular, __plural, __n, **variables):
        return Markup(found.ungettext(__singular, __plural, __n)) % {"num": __n, **variables}

    return {
        "ui_lang": lang,
        "ui_dir": direction(lang),
        "switcher": switcher,
        "root": request.script_root,
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
    }


def _switch_url(code, here):
    return f"{request.script_root}/language/{code}?{urlencode({'next': here})}"


@bp.get("/language/<code>")
def switch(code):
    """Remember the reader's language in a cookie and go back to the page they came from."""
    chain = languages(current_app.config)
    if code not in chain:
        raise NotFound(f"no language {code!r}; the languages are: {', '.join(chain)}")
    response = redirect(request.script_root + _local(request.args.get("next", "/")), code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=ONE_YEAR,
        path=request.script_root or "/",
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _local(target):
    """``target`` when it is a path on this site, else "/" (never an open redirect, nor a control
    character in a header)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    return target


def vary_on_cookie(response):
    """An answer in the reader's language depends on the switcher's cookie as much as on Accept-Language."""
    if "Accept-Language" in response.vary:
        response.vary.add("Cookie")
    return response
