"""Terms for people: labels not IRIs, values in the page's language, safe links.

Pure functions of their arguments (no Flask): the base mapping, the reader's language chain, the
vocabulary's labels, the page's locale and its translations (a ``babel.support.Translations``
or anything with ``gettext``/``ngettext``) come in explicitly. A link is only ever made for our
own IRIs (mapped onto the serving host) and for http(s) IRIs; any other scheme (``javascript:``,
``data:``) is shown as text. ``resource`` builds a whole resource page from these.
"""

import pyoxigraph as ox
from babel.support import NullTranslations
from werkzeug.urls import iri_to_uri

from ..iris import url_path
from .labels import CODES, LABEL_PREDICATES, fallback, pick, prefixed
from .values import literal_text, locale_of, ordinal

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PATH_NAMED = ("id/", "def/", "shapes/", "graph/")  # areas of the base whose URL path names the IRI


class Presenter:
    def __init__(self, base, public_base, chain, vocabulary, locale="en", translations=None):
        self.base, self.public, self.chain, self.vocabulary = base, public_base, chain, vocabulary
        self.locale = locale_of(locale)
        self.lang = locale
        self.translations = translations or NullTranslations()
        self._hrefs = {}  # IRI -> href: a page links to the same few IRIs many times

    def gettext(self, message, **values):
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular, plural, n, **values):
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def href(self, iri):
        """Where a link to ``iri`` goes: our IRIs on this host, http(s) as is, anything else nowhere.

        Under id/, def/, shapes/ and graph/ the URL path names the IRI, so every reserved
        character ('?', '#') is percent-encoded and stays in the path; elsewhere under the base
        ('.well-known/void#dataset') a fragment names a part of the document.
        """
        if iri not in self._hrefs:
            self._hrefs[iri] = self._href(iri)
        return self._hrefs[iri]

    def _href(self, iri):
        if iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if rest.startswith(PATH_NAMED):
                rest = "doc/" + rest[3:] if rest.startswith("id/") else rest
                return iri_to_uri(self.public) + url_path(rest)
            return iri_to_uri(self.public + rest)
        if iri.lower().startswith(("http://", "https://")):
            return iri_to_uri(iri)
        return None

    def label(self, iri, labels):
        """(text, lang) for an IRI: its best label, else a readable fallback name."""
        found = pick(labels.get(iri, []) or self.vocabulary.get(iri, []), self.chain)
        return found or (self.gettext(fallback(iri)), "")

    def link(self, iri, labels, context=""):
        text, lang = self.label(iri, labels)
        return {"kind": "link", "iri": iri, "href": self.href(iri), "text": text, "lang": lang, "context": context}

    def literal(self, term):
        """A literal as the page shows it: formatted text, its language, and a tooltip with what it is."""
        datatype = term.datatype.value if term.language is None else ""
        text, formatted = literal_text(term.value, datatype, self.locale, self.translations)
        title = ""
        if datatype and datatype != XSD_STRING:
            title = f"{term.value} ({prefixed(datatype)})" if formatted else prefixed(datatype)
        lang = term.language or ""
        return {
            "kind": "literal",
            "text": text,
            "lang": lang,
            "foreign": bool(lang) and lang.split("-")[0].lower() != self.lang,
            "title": title,
            "long": len(term.value) > 200 or "\n" in term.value,
        }

    def value(self, term, labels, triples=(), depth=0, contexts=None, predicate=""):
        """How ``term``, a value of ``predicate``, reads on the page: a link, a nested table or text."""
        if isinstance(term, ox.NamedNode):
            return self.link(term.value, labels, (contexts or {}).get(term.value, ""))
        if isinstance(term, ox.BlankNode):
            rows = self.rows(term, labels, triples, depth + 1) if depth < 8 else []
            return {"kind": "blank", "rows": rows}
        words = CODES.get(predicate, {}).get(term.value)
        if words:
            return {"kind": "literal", "text": self.gettext(words), "lang": self.lang, "foreign": False,
                    "title": "", "long": False}
        return self.literal(term)

    def row(self, predicate, name, values):
        """One row of a table: the property's name, the compact IRI for a tooltip, the values."""
        text, lang = name
        return {"name": text, "lang": lang, "title": prefixed(predicate), "iri": predicate, "values": values}

    def property_name(self, predicate):
        """(text, lang): the property's label in the reader's language, else a readable name."""
        return self.label(predicate, {})

    def rows(self, subject, labels, triples, depth=0):
        """One row per predicate of ``subject`` (rdf:type left out), labels first, then by name."""
        by_predicate = {}
        for t in triples:
            if t.subject == subject and t.predicate.value != RDF_TYPE:
                by_predicate.setdefault(t.predicate.value, []).append(t.object)
        rows = []
        for predicate, objects in by_predicate.items():
            values = sorted((self.value(o, labels, triples, depth, predicate=predicate) for o in objects), key=sort_key)
            rows.append(self.row(predicate, self.property_name(predicate), values))
        rows.sort(key=lambda r: (r["iri"] not in LABEL_PREDICATES, r["name"].lower()))
        return rows

    def conference_name(self, iri, year=""):
        """ "32nd (2015)" in the page's language, for tables and charts; "" when the IRI has no number."""
        tail = iri.rsplit("/", 1)[-1] if iri.startswith(self.base + "id/conference/") else ""
        if not tail.isdigit():
            return ""
        return f"{ordinal(int(tail), self.locale)} ({year})" if year else ordinal(int(tail), self.locale)

    def type_words(self, types, labels):
        """The kinds of thing a resource is, as words: our classes when it has one, else the rest
        (owl:NamedIndividual and other bookkeeping types are left out)."""
        ours = [t for t in types if t.startswith(self.base + "def/")]
        shown = ours or [t for t in types if t not in BOOKKEEPING]
        return sorted({self.label(t, labels)[0] for t in shown})


BOOKKEEPING = frozenset(
    {
        "http://www.w3.org/2002/07/owl#NamedIndividual",
        "http://www.w3.org/2002/07/owl#Thing",
        "http://www.w3.org/2000/01/rdf-schema#Resource",
        "http://www.w3.org/ns/prov#Entity",
    }
)


def sort_key(value):
    return (value.get("text") or "").lower()


def own_labels(triples):
    """IRI -> [(text, lang)] from the label triples inside a graph."""
    labels = {}
    for t in triples:
        if t.predicate.value in LABEL_PREDICATES and isinstance(t.object, ox.Literal):
            labels.setdefault(t.subject.value, []).append((t.object.value, t.object.language or ""))
    return labels
