"""Import pages of the Conference's pledge database, in every layout it has had, as RDF.

    file (.txt or .html) --decode, blocks--> PageText --layout parser--> PledgePage --page_rdf--> Graph

The layout is read from the page itself (each layout module says how it is detected):

| layout | module | detected by |
|---|---|---|
| 2015 (32nd Conference) | ``layout_2015`` | a block "Pledge data" |
| 2011 (31st Conference) | ``layout_2011`` | a header "PLEDGE Pnnnn", or "Pledge text :" beside "Chapter :" ... |
| 2019/2024 (33rd, 34th) | ``layout_2019`` | headings "A) Objectives of the pledge", "B) Action plan" (en fr es ar) |
| pledge and resolution reports | ``layout_reports`` | a heading "Actions taken" (or "Mesures prises") |

A page that shows none of these, or the marks of two, is an InputError that says what was
looked for. The same page as text (``data/pages/SP320067.txt``) or as HTML gives the same graph.
``pages.tsv`` beside a page gives what the page cannot say about itself (``page_index``); a page
without a row there is imported without title, address or date, and the caller is warned.
"""

from pathlib import Path

from .. import iris
from ..errors import InputError
from ..text import decode_utf8, read_capped
from . import layout_2011, layout_2015, layout_2019, layout_reports
from .page_blocks import read_page
from .page_index import INDEX_NAME, read_index
from .page_model import PledgePage, conference_of
from .page_rdf import page_graph

__all__ = ["LAYOUTS", "MAX_PAGE_BYTES", "PledgePage", "import_page", "page_graph", "parse_page"]

MAX_PAGE_BYTES = 2 * 1024 * 1024
LAYOUTS = {"2015": layout_2015, "2011": layout_2011, "2019/2024": layout_2019, "report": layout_reports}


def import_page(path, context, index=None, conference=None, warn=None):
    """A pledge page file (.txt or .html) as an rdflib Graph.

    ``index`` ({file name: PageInfo}) defaults to the pages.tsv beside the file; ``warn`` is
    called with a sentence when the page has no row there. InputError (or PayloadTooLarge) for a
    file that is not a page of a known layout, or that names something unknown.
    """
    path = Path(path)
    if index is None:
        beside = path.parent / INDEX_NAME
        index = read_index(beside) if beside.exists() else {}
    info = index.get(path.name)
    if info is None and warn:
        warn(f"{path}: no row for {path.name} in {path.parent / INDEX_NAME}, so the page gets no title, "
             "address (dcterms:source) or date; add a row (file, source_url, title, date, ...)")
    given = conference or (info.conference if info else None)
    page = parse_page(_read_bytes(path), name=str(path), html=path.suffix.lower() in {".html", ".htm"},
                      conference=given)
    if info and info.key and page.kind == "pledge" and not page.number and iris.PLEDGE_NUMBER.match(info.key):
        page.number = info.key  # the pages.tsv key is the number the page itself does not show
        page.conference = conference_of(page.number, page.conference, str(path))
        page.blank = [key for key in page.blank if key not in ("number", "conference")]
    return page_graph(page, context, info, source=str(path))


def _read_bytes(path):
    return read_capped(path, MAX_PAGE_BYTES, "a pledge page")


def parse_page(data, name="page", html=False, conference=None):
    """Parse a page (bytes or str; text or HTML) into a PledgePage; InputError if it is not one."""
    text = decode_utf8(data, name, "a pledge page") if isinstance(data, bytes) else data
    if not text.strip():
        raise InputError(f"{name}: empty page")
    page = read_page(text, html)
    found = [layout for layout, module in LAYOUTS.items() if module.matches(page)]
    if not found:
        expected = "; ".join(f"{layout}: {module.SIGNATURE}" for layout, module in LAYOUTS.items())
        raise InputError(f"{name}: not a page of the pledge database in a known layout (no 'Pledge data' "
                         f"block, 'PLEDGE Pnnnn' header, 'A) Objectives of the pledge' heading or 'Actions "
                         f"taken' heading). Looked for: {expected}")
    if len(found) > 1:
        raise InputError(f"{name}: the page shows the marks of several layouts ({', '.join(found)}); "
                         "a page is one pledge or one report")
    return LAYOUTS[found[0]].parse(page, name, conference)
