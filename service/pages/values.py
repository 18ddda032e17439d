"""Literal values for people: dates, numbers and booleans in the page's language (Babel, CLDR).

A value keeps its lexical form and datatype for a tooltip ("2015-12-09, xsd:date"); the page
shows "9 December 2015", "9 décembre 2015" or "٩ ديسمبر ٢٠١٥". A lexical form that does not parse
as its datatype is shown as it is.
"""

import functools
import re
from datetime import UTC, date, datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.units import format_unit

from ..text import ordinal as english_ordinal

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}


REGIONS = {"en": "en_GB"}  # the Conference writes British English: 9 December 2015, not December 9


def locale_of(lang):
    """A Babel Locale for a language tag; English when CLDR does not know it."""
    try:
        return Locale.parse(REGIONS.get(lang, (lang or "en").replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def literal_text(lexical, datatype, locale, translations):
    """How a typed literal reads in ``locale``; (text, True) when formatted, (lexical, False) if not."""
    try:
        if datatype == XSD + "date":
            return format_date(date.fromisoformat(lexical[:10]), format="long", locale=locale), True
        if datatype == XSD + "dateTime":
            return format_datetime(datetime.fromisoformat(lexical), format="medium", locale=locale), True
        if datatype == XSD + "gYear":
            return format_decimal(int(lexical), format="#", locale=locale), True
        if datatype in NUMBERS:
            return format_decimal(lexical, locale=locale), True
        if datatype == XSD + "boolean" and lexical in ("true", "false", "1", "0"):
            _ = translations.gettext
            return (_("yes") if lexical in ("true", "1") else _("no")), True
    except (ValueError, ArithmeticError):
        pass
    return lexical, False


def date_range(start, end, locale):
    """ "8–10 December 2015" for two xsd:date lexical forms (CLDR's interval patterns, months in
    full), or None when either does not parse or the range runs backwards."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    if last < first:
        return None
    if first == last:
        return format_date(first, format="long", locale=locale)
    greatest = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    formats = locale.interval_formats.get("yMMMMd") or locale.interval_formats.get("yMMMd") or {}
    parts = formats.get(greatest)
    if not parts or len(parts) != 2:
        return f"{format_date(first, format='long', locale=locale)} – {format_date(last, format='long', locale=locale)}"
    full = [re.sub(r"(?<!M)MMM(?!M)", "MMMM", part) for part in parts]
    return format_date(first, full[0], locale=locale) + format_date(last, full[1], locale=locale)


@functools.lru_cache(maxsize=256)
def long_date(day, locale):
    """A date written out in the page's language ("30 November 2026"); the same few dates recur."""
    return format_date(day, format="long", locale=locale)


@functools.lru_cache(maxsize=1024)  # release times: every resource page writes its versions' times
def moment(when, locale):
    """An instant (an aware datetime or its ISO 8601 text) in UTC, in the page's language:
    "30 November 2026, 17:47:05 UTC", "30 novembre 2026, 17:47:05 TU"."""
    when = datetime.fromisoformat(when) if isinstance(when, str) else when
    return format_datetime(when, format="long", tzinfo=UTC, locale=locale)


@functools.lru_cache(maxsize=4096)  # a page writes the same counts many times; Babel takes ~50 µs each
def number(n, locale):
    """A whole number in the page's language (grouping and digits: 1,234 / 1 234 / ١٬٢٣٤)."""
    return format_decimal(n, locale=locale)


SIZE_UNITS = ("digital-kilobyte", "digital-megabyte", "digital-gigabyte")


@functools.lru_cache(maxsize=256)
def byte_size(n, locale):
    """A file's size in the page's language, in SI units (1 kB = 1000 bytes) with one decimal at
    most: "512 bytes", "34.5 kB", "1,2 Mo", "1.2 م.ب" (CLDR's unit names)."""
    if n < 1000:
        return format_unit(n, "digital-byte", length="long", locale=locale)
    step = 1
    while n / 1000**step >= 999.95 and step < len(SIZE_UNITS):  # 999,999 bytes is 1 MB, not 1,000 kB
        step += 1
    return format_unit(n / 1000**step, SIZE_UNITS[step - 1], length="short", format="#,##0.#", locale=locale)


@functools.lru_cache(maxsize=1024)
def ordinal(n, locale):
    """A conference's ordinal the way each of the Conference's languages writes it: 32nd, 32e,
    32.ª (la conferencia), الدورة ٣٢ (the 32nd session); the bare number in any other language."""
    digits = format_decimal(n, format="#", locale=locale)
    if locale.language == "en":
        return english_ordinal(n)
    if locale.language == "fr":
        return "1re" if n == 1 else f"{digits}e"
    if locale.language == "es":
        return f"{digits}.ª"
    if locale.language == "ar":
        return f"الدورة {digits}"
    return digits
