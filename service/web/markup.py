"""The HTML fragments pages draw by the hundred: links, values, property tables, fact cards.

Templates call them as globals ({{ link(v) }}, {{ values(row['values']) }}, {{ rows_table(rows) }},
{{ card(rows) }}, {{ listing_rows(rows, columns) }}, {{ facet_entries(values) }}). They are Python
rather than Jinja macros because a page draws hundreds of them and a macro call costs several
times the few string joins inside it (bench/README, "pages-versus").
Every piece of data goes through ``escape``; an ``href`` comes from the presenter, which never
makes one from a non-http(s) IRI. The shapes they read are the presenter's (``pages.present``):

* a link: {"text", "href"?, "iri", "lang"?, "title_text"?, "context"?}
* a value: a link with "kind": "link"; {"kind": "blank", "rows"}; {"kind": "note", "parts",
  "lang"?, "foreign"?}; or a literal {"text", "lang"?, "long"?, "title"?, "foreign"?}
* a row: {"name", "title", "lang"?, "values": [value]}
* a listing's row: [{"values": [value]}], one cell per column {"key"}
* a facet entry: {"text", "lang"?, "url", "count", "selected"}
"""

from markupsafe import Markup, escape

from .common import catalogue


def link(v, cls=""):
    """<a> to the value's page (or a <span> when it has none), titled with its full name or IRI."""
    lang = f' lang="{escape(v["lang"])}" dir="auto"' if v.get("lang") else ""
    if v.get("href"):
        css = f' class="{escape(cls)}"' if cls else ""
        title = v.get("title_text") or v.get("iri") or ""
        html = f'<a href="{escape(v["href"])}"{css}{lang} title="{escape(title)}">{escape(v["text"])}</a>'
    else:
        css = f" {escape(cls)}" if cls else ""
        html = f'<span class="nolink{css}"{lang} title="{escape(v.get("iri", ""))}">{escape(v["text"])}</span>'
    if v.get("context"):
        html += f' <span class="context">({escape(v["context"])})</span>'
    return Markup(html)


def value(v):
    """One value of a property: a link, a nested table (a blank node), a note, or a literal."""
    kind = v.get("kind")
    if kind == "link":
        return link(v)
    if kind == "blank":
        return Markup(f'<div class="blank">{rows_table(v["rows"])}</div>')
    if kind == "note":
        lang = f' lang="{escape(v["lang"])}" dir="auto"' if v.get("lang") else ""
        parts = "".join(_note_part(p) for p in v["parts"])
        return Markup(f'<span class="note"{lang}>{parts}</span>{_foreign(v)}')
    css = " long" if v.get("long") else ""
    lang = f' lang="{escape(v["lang"])}"' if v.get("lang") else ""
    title = f' title="{escape(v["title"])}"' if v.get("title") else ""
    return Markup(f'<span class="literal{css}"{lang} dir="auto"{title}>{escape(v["text"])}</span>{_foreign(v)}')


def values(vs):
    """A property's values: a list when there are several, the value alone when there is one."""
    if len(vs) > 1:
        return Markup("<ul>" + "".join(f"<li>{value(v)}</li>" for v in vs) + "</ul>")
    return value(vs[0]) if vs else Markup("")


def rows_table(rows):
    """A table of properties: one row per property, its name in a header cell."""
    body = "".join(f'\n<tr><th scope="row">{_row_name(r)}</th><td>{values(r["values"])}</td></tr>' for r in rows)
    return Markup(f'<table class="props">{body}\n</table>')


def card(rows):
    """The fact card: the same rows as a description list."""
    body = "".join(f'\n<div class="fact"><dt>{_row_name(r)}</dt><dd>{values(r["values"])}</dd></div>' for r in rows)
    return Markup(f'<dl class="card">{body}\n</dl>')


def listing_rows(rows, columns):
    """The rows of a listing's table: a cell per column, each holding its values."""
    return Markup("".join(
        "<tr>" + "".join(f'<td class="col-{escape(c["key"])}">{values(cell["values"])}</td>'
                         for c, cell in zip(columns, row, strict=False)) + "</tr>\n"
        for row in rows
    ))  # fmt: skip


def facet_entries(entries):
    """A facet's values, each a link that adds or removes it from the filters, with its count."""
    items = []
    for v in entries:
        selected = ' class="selected"' if v["selected"] else ""
        lang = f' lang="{escape(v["lang"])}"' if v.get("lang") else ""
        current = ' aria-current="true"' if v["selected"] else ""
        items.append(f'\n<li{selected}><a href="{escape(v["url"])}"{lang}{current}>{escape(v["text"])}</a> '
                     f'<small>{escape(v["count"])}</small></li>\n')  # fmt: skip
    return Markup("<ul>" + "".join(items) + "</ul>")


def _row_name(row):
    lang = f' lang="{escape(row["lang"])}"' if row.get("lang") else ""
    return f'<span title="{escape(row.get("title", ""))}"{lang}>{escape(row["name"])}</span>'


def _note_part(part):
    if not (part.get("href") or part.get("key")):
        return escape(part["text"])
    title = escape(Markup(catalogue().ugettext("source %(key)s")) % {"key": part["key"]})
    if part.get("href"):
        return f'<a href="{escape(part["href"])}" class="source" title="{title}">{escape(part["text"])}</a>'
    return f'<cite class="source" title="{title}">{escape(part["text"])}</cite>'


def _foreign(v):
    """The language tag after a text in another language than the page's."""
    if not v.get("foreign"):
        return ""
    title = escape(catalogue().ugettext("language of the text"))
    return f' <small class="lang" title="{title}">{escape(v["lang"])}</small>'


GLOBALS = {
    "link": link, "value": value, "values": values, "rows_table": rows_table, "card": card,
    "listing_rows": listing_rows, "facet_entries": facet_entries,
}  # fmt: skip
