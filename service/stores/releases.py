"""Release names: a UTC timestamp, so names sort by age and say when a release was built."""

from datetime import UTC, datetime

NAME_FORMAT = "%Y%m%dT%H%M%S%fZ"
ANY = object()  # publish(expected=ANY): whatever release is current


def new_release_name():
    """A fresh release name for now, e.g. ``20261130T160505123456Z``."""
    return datetime.now(UTC).strftime(NAME_FORMAT)


def release_time(release):
    """When a release was built, from its name (YYYYmmddTHHMMSSffffffZ), or None for other names."""
    for pattern in (NAME_FORMAT, "%Y%m%dT%H%M%SZ"):
        try:
            return datetime.strptime(release or "", pattern).replace(tzinfo=UTC, microsecond=0)
        except ValueError:
            continue
    return None
