"""The home page: what the dataset holds, a chart of pledges per conference, and where to start
for each kind of visitor (browsing, querying, linking)."""

import functools

from flask import Blueprint, make_response, render_template, request

from ..dataset.figures import chart, counts, example_pledge, pledges_by_conference, triple_count
from ..pages.labels import N_
from ..pages.listing import labels_of
from ..pages.values import long_date, number
from ..stores.releases import release_time
from .common import conference_name, presenter, store
from .urls import listing_url

bp = Blueprint("home", __name__)
NAMES = {"other": N_("other themes"), "none": N_("no theme recorded")}


@bp.get("/")
def index():
    figures = home_figures() if store().exists() else None
    response = make_response(render_template("home.html", figures=figures))
    response.vary.add("Accept-Language")  # the figures name things in the reader's language
    return response


def home_figures():
    """Everything home.html shows about the data, in the reader's language: computed once per
    release, reader's language and root path (a release never changes), a few dozen kept."""
    show = presenter()
    release = getattr(store(), "current_release", lambda: None)()
    return _figures(store(), release, tuple(show.chain), show.lang, request.script_root)


@functools.lru_cache(maxsize=32)  # bounded: the chain comes from the reader's Accept-Language
def _figures(_store, release, _chain, _lang, _root):
    """home_figures for one key; the other arguments only key the cache (the request says the same)."""
    show = presenter()
    rows = pledges_by_conference(store())
    drawn = chart(rows)
    labels = labels_of(
        store(), [c for c, _, _ in rows if c] + [s["key"] for s in drawn["legend"] if s["key"] not in NAMES]
    )
    for bar in drawn["bars"]:
        iri = bar["conference"]
        bar["name"] = (conference_name(show, iri) or show.label(iri, labels)[0]) if iri else show.gettext("not known")
        bar["url"] = listing_url("pledges", {"conference": iri.rsplit("/", 1)[-1]}) if iri else None
        bar["number"] = number(bar["total"], show.locale)
        for segment in bar["segments"]:
            segment["name"] = _theme(show, segment["key"], labels)
            segment["share_text"] = number(round(segment["share"], 1), show.locale)
    for entry in drawn["legend"]:
        entry["name"] = _theme(show, entry["key"], labels)
        entry["url"] = (
            None if entry["key"] in NAMES else listing_url("pledges", {"theme": entry["key"].rsplit("/", 1)[-1]})
        )
    released = release_time(release)
    return {
        "listings": [
            {
                "slug": slug,
                "n": n,
                "number": number(n, show.locale),
                "url": listing_url(slug, {}),
                "word": _word(show, slug, n),
            }
            for slug, n in counts(store())
        ],
        "triples": number(triple_count(store()), show.locale),
        "release": release,
        "released": long_date(released.date(), show.locale) if released else None,
        "chart": drawn,  # the cached dict is shared: the template only reads it
        "pledges": sum(bar["total"] for bar in drawn["bars"]),
        "examples": _examples(rows),
    }


def _word(show, slug, n):
    """The listing's noun with the plural the number takes in the reader's language."""
    words = {
        "pledges": lambda: show.ngettext("pledge", "pledges", n),
        "resolutions": lambda: show.ngettext("resolution", "resolutions", n),
        "conferences": lambda: show.ngettext("conference", "conferences", n),
        "organisations": lambda: show.ngettext("organisation", "organisations", n),
        "themes": lambda: show.ngettext("theme", "themes", n),
    }
    return words[slug]() if slug in words else slug


def _theme(show, key, labels):
    return show.gettext(NAMES[key]) if key in NAMES else show.label(key, labels)[0]


def _examples(rows):
    """Links for the "start here" paths, from what the data holds (the latest conference, a numbered pledge)."""
    latest = next((c for c, n, _ in reversed(rows) if c), None)
    if latest is None:
        return None
    code = latest.rsplit("/", 1)[-1]
    pledge = example_pledge(store())
    return {
        "conference": code,
        "pledges": listing_url("pledges", {"conference": code}),
        "csv": listing_url("pledges", {"conference": code}, ext=".csv"),
        "pledge_iri": pledge,
    }
