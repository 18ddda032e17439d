"""Release names: a UTC timestamp, so names sort by age and say when a release was built."""

from datetime import UTC, datetime

NAME_FORMAT = "%Y%m%dT%H%M%S%fZ"
NAME_PATTERN = r"[0-9]{8}T[0-9]{6}(?:[0-9]{6})?Z"  # what a release name looks like (a regular expression)
ANY = object()  # publish(expected=ANY): whatever release is current


def new_release_name():
    """A fresh release name for now, e.g. ``20261130T160505123456Z``."""
    return datetime.now(UTC).strftime(NAME_FORMAT)


def http_date(when):
    """A datetime (UTC) as an HTTP date (RFC 9110 IMF-fixdate): ``Tue, 20 Mar 2001 20:35:00 GMT``."""
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def release_time(release):
    """When a release was built, from its name (YYYYmmddTHHMMSSffffffZ), or None for other names."""
    for pattern in (NAME_FORMAT, "%Y%m%dT%H%M%SZ"):
        try:
            return datetime.strptime(release or "", pattern).replace(tzinfo=UTC, microsecond=0)
        except ValueError:
            continue
    return None
