"""Reading text input: UTF-8 (a BOM is allowed) or a clear error, so binary junk never reaches a parser."""

from .errors import InputError


def decode_utf8(data, name, what):
    """The text of ``data``, or InputError naming the file and saying it is not ``what``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); not {what}") from None
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes: binary data, not {what}")
    return text
