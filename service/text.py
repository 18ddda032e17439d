"""Small text helpers shared by importers, IRIs and matching (base layer: imports only errors)."""

import unicodedata

from .errors import InputError


def decode_utf8(data, name, what):
    """The text of ``data`` (UTF-8, a BOM allowed), or InputError naming the file and saying it is not ``what``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); not {what}") from None
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes: binary data, not {what}")
    return text


def ascii_fold(text):
    """Accents removed and anything without an ASCII form dropped: 'Société' -> 'Societe'."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()


def ordinal(n):
    """1 -> '1st', 32 -> '32nd', 33 -> '33rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
