"""Small text helpers shared by importers, IRIs and matching (base layer: imports only errors)."""

import os
import unicodedata

from .errors import InputError, PayloadTooLarge

CHUNK = 1024 * 1024


def refuse_links(path):
    """InputError when a symbolic link is on the way to ``path``: what a link points to is never
    read, nor quoted in a message (a maintainer's data folder cannot expose other files)."""
    if os.path.realpath(path) != os.path.abspath(path):
        raise InputError(f"{path}: the path goes through a symbolic link; give the file's real path")


def read_capped(path, max_bytes, what):
    """The bytes of the file ``path``, counted as they are read: PayloadTooLarge as soon as there
    are more than ``max_bytes`` (a sparse or growing file is never read whole, whatever its size
    claims), InputError if it cannot be read or a symbolic link is on its way (``refuse_links``).
    ``what`` names the kind of file for messages."""
    refuse_links(path)
    parts, total = [], 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(min(CHUNK, max_bytes + 1 - total)):
                parts.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise PayloadTooLarge(f"{path}: over the limit of {max_bytes} bytes for {what}")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return b"".join(parts)


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
