"""What each listing lists: its classes, its facets (filters) and its columns (table and exports).

A facet is a query parameter holding short codes (``conference=32``, ``theme=migration``,
``pledger=national-society/KE``, ``resolution=31/3``): it knows its property path and the IRI
prefix its values live under (value = prefix + code). A column is what the table and the CSV/JSON
exports show for each item, and how the table sorts by it.
"""

import re
from dataclasses import dataclass

from ..namespaces import ID, RCRC
from .labels import N_

R = str(RCRC._NS)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
# A code is letters, digits and ._~- with inner slashes (national-society/KE, 31/3); it only ever
# becomes an IRI looked up in the index, never text in a query.
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,100}(?:/[A-Za-z0-9][A-Za-z0-9._~-]{0,100}){0,2}$")


@dataclass(frozen=True)
class Facet:
    param: str
    title: str  # interface text (N_)
    path: str  # SPARQL property path, from this table only
    prefix: str  # values are prefix + code
    # how its values are listed: "label" (alphabetically) or "code" (natural order of the codes:
    # conferences by date, resolutions by conference and number)
    order: str = "label"


def _facet(param, title, path, prefix=None, order="label"):
    return Facet(param, title, path, prefix or f"{ID}{param}/", order)


@dataclass(frozen=True)
class Column:
    key: str  # its name in ?sort=, in CSV headers and JSON keys
    title: str  # interface text (N_)
    path: str = ""  # the property; "" for the item itself (its label)
    link: bool = False  # values are resources (shown by their labels) rather than literals
    sort: str = "text"  # "label", "text", "number", "ordinal" (by conference date), "count", "" (not sortable)
    table: bool = True  # shown in the HTML table (else only in exports)
    count: str = ""  # for sort "count": the pledge facet whose values the items are


CONFERENCE = _facet("conference", N_("Conference"), f"<{R}conference>", order="code")
PLEDGE_FACETS = (
    CONFERENCE,
    _facet("theme", N_("Theme"), f"<{R}theme>"),
    _facet("pledge-type", N_("Pledge type"), f"<{R}pledgeType>"),
    _facet("pledger-category", N_("Pledger category"), f"<{R}pledgerCategory>"),
    _facet("country", N_("Country"), f"<{R}country>"),
    _facet("region", N_("Region"), f"(<{R}pledgedBy>|<{R}signatory>)/<{R}region>"),
    _facet("pledger", N_("Pledger"), f"<{R}pledgedBy>", prefix=str(ID)),
    _facet("resolution", N_("Resolution cited"), f"<{R}citesResolution>", order="code"),
)
ORGANISATION_FACETS = (
    _facet("type", N_("Kind"), "a", R),
    _facet("region", N_("Region"), f"<{R}region>"),
    _facet("country", N_("Country"), f"<{R}country>"),
)

NAME = Column("title", N_("Name"), sort="label")
TITLE = Column("title", N_("Title"), sort="label")
PLEDGE_COLUMNS = (
    Column("number", N_("Number"), R + "pledgeNumber", sort="text"),
    TITLE,
    Column("conference", N_("Conference"), R + "conference", link=True, sort="ordinal"),
    Column("pledgers", N_("Pledgers"), R + "pledgedBy", link=True, sort="label"),
    Column("themes", N_("Themes"), R + "theme", link=True, sort="label"),
    Column("type", N_("Pledge type"), R + "pledgeType", link=True, sort="label", table=False),
    Column("category", N_("Pledger category"), R + "pledgerCategory", link=True, sort="label", table=False),
    Column("countries", N_("Countries"), R + "country", link=True, sort="label", table=False),
    Column("resolutions", N_("Resolutions cited"), R + "citesResolution", link=True, sort="", table=False),
    Column("issued", N_("Published"), DCTERMS + "issued", sort="text", table=False),
    Column("source", N_("Source"), DCTERMS + "source", link=True, sort="", table=False),
)
RESOLUTION_COLUMNS = (
    Column("conference", N_("Conference"), R + "conference", link=True, sort="ordinal"),
    Column("number", N_("Number"), R + "resolutionNumber", sort="number"),
    TITLE,
    Column("symbol", N_("Document symbol"), SKOS + "notation", sort="text"),
    Column("source", N_("Source"), DCTERMS + "source", link=True, sort="", table=False),
)
CONFERENCE_COLUMNS = (
    Column("number", N_("Number"), R + "ordinal", sort="number"),
    NAME,
    Column("year", N_("Year"), R + "year", sort="number"),
    Column("city", N_("City"), R + "city", sort="text"),
    Column("start", N_("Opened"), R + "startDate", sort="text"),
    Column("end", N_("Closed"), R + "endDate", sort="text"),
    Column("venue", N_("Venue"), R + "venue", sort="text", table=False),
)
ORGANISATION_COLUMNS = (
    NAME,
    Column("kind", N_("Kind"), RDF_TYPE, link=True, sort="label"),
    Column("country", N_("Country"), R + "country", link=True, sort="label"),
    Column("region", N_("Region"), R + "region", link=True, sort="label"),
    Column("pledges", N_("Pledges"), sort="count", count="pledger"),
)
THEME_COLUMNS = (NAME, Column("pledges", N_("Pledges"), sort="count", count="theme"))


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str  # interface text (N_)
    classes: tuple
    facets: tuple = ()
    columns: tuple = ()
    sort: tuple = ("title",)  # default order: column keys, the first one leading

    def column(self, key):
        return next((c for c in self.columns if c.key == key), None)

    @property
    def sortable(self):
        return [c.key for c in self.columns if c.sort and c.table]


KINDS = {
    k.slug: k
    for k in (
        Kind("pledges", N_("Pledges"), ("Pledge",), PLEDGE_FACETS, PLEDGE_COLUMNS, ("conference", "number", "title")),
        Kind(
            "resolutions",
            N_("Resolutions"),
            ("Resolution",),
            (CONFERENCE,),
            RESOLUTION_COLUMNS,
            ("conference", "number"),
        ),
        Kind("conferences", N_("Conferences"), ("Conference",), (), CONFERENCE_COLUMNS, ("number",)),
        Kind(
            "organisations",
            N_("Organisations"),
            ("Organisation", "MovementComponent", "NationalSociety", "Government", "Observer"),
            ORGANISATION_FACETS,
            ORGANISATION_COLUMNS,
        ),
        Kind("themes", N_("Themes"), ("Theme",), (), THEME_COLUMNS),
    )
}
