"""Everyday short names of National Societies, built from the names and countries in the data.

People write "Iranian Red Crescent" or "Iran Red Crescent" for the Red Crescent Society of the
Islamic Republic of Iran. For each Society, from its English name and its country's English
name in the store:

* the emblem is the one its own name carries (Red Cross, Red Crescent, Magen David Adom, Red
  Crystal); a Society whose name carries none gets no short name;
* the country's short forms: the country's name before a comma or parenthesis, after a final
  "of" ("Iran, Islamic Republic of" -> "Iran", "Republic of Korea" -> "Korea"), and the country
  the Society's own name ends with ("Red Cross of Cape Verde" -> "Cape Verde");
* "<country> <emblem>" is always offered ("Iran Red Crescent");
* "<adjective> <emblem>" (and "... Society") is offered for a Society whose own name does not
  already open with an adjective; the adjective is formed from the country's short form by the
  regular English suffixes (Iran -> Iranian, Kenya -> Kenyan, Italy -> Italian, Oman -> Omani,
  Sudan -> Sudanese). Irregular forms (Chinese, Monegasque) are simply not produced.

These are look-up keys, never labels: nothing is published or shown under them. A key that two
Societies would share, or that is already a real name of anything in the data, is dropped, so
"Nigerian Red Cross" stays the Nigerian Red Cross Society's and never becomes Niger's.
"""

import re

from .keys import normalise

EMBLEMS = ("Red Crescent", "Red Cross", "Magen David Adom", "Red Crystal")
SCORE = 98  # an exact look-up of a form built from the data: as good as an exact alternative name

Q_SOCIETIES = """SELECT ?s ?name ?country WHERE {
  ?s a rcrc:NationalSociety ; rdfs:label ?name ; rcrc:country/rdfs:label ?country .
  FILTER(langMatches(lang(?name), "en") && langMatches(lang(?country), "en"))
}"""


def country_short_form(name):
    """'Iran, Islamic Republic of' -> 'Iran'; 'Bolivia (Plurinational State of)' -> 'Bolivia'."""
    name = re.split(r"[,(]", name, maxsplit=1)[0].strip()
    name = re.split(r"\bof (?:the )?", name)[-1].strip()
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def adjectives(country):
    """Regular English adjectives of a country's short form (the last word takes the suffix)."""
    head, _, word = country.rpartition(" ")
    lower = word.lower()
    if not lower.isalpha():
        return []
    if lower.endswith("a"):
        forms = [word + "n"]  # Kenya -> Kenyan, Colombia -> Colombian
    elif lower.endswith("y"):
        forms = [word[:-1] + "ian"]  # Italy -> Italian
    elif lower.endswith(("e", "i")):
        forms = [word + "an"]  # Chile -> Chilean, Mali -> Malian
    elif lower.endswith("o"):
        forms = [word[:-1] + "an"]  # Mexico -> Mexican
    elif lower.endswith("u"):
        forms = []  # Peru -> Peruvian: no regular rule
    else:
        forms = [word + "ian", word + "i", word + "ese"]  # Iranian, Omani, Sudanese
    return [f"{head} {form}".strip() for form in forms]


def everyday_names(name, country):
    """[(short name, offered)] of a Society called ``name`` in ``country`` (both English).

    Adjective forms of a Society whose name already opens with an adjective of its own are
    listed with offered=False: they are not offered, but still make the same form ambiguous
    for another Society ("Korean" for both Koreas).
    """
    emblem = next((e for e in EMBLEMS if e.lower() in name.lower()), None)
    if emblem is None:
        return []
    at = name.lower().index(emblem.lower())
    opening, closing = name[:at], name[at + len(emblem) :]
    opening = re.sub(r"^the\s+", "", opening, flags=re.IGNORECASE).strip()
    shorts = list(dict.fromkeys([country_short_form(country)]))
    if re.search(r"\bof\b", closing):  # "Red Cross Society of Niger"
        shorts = list(dict.fromkeys([*shorts, country_short_form(closing)]))
    own_adjective = bool(opening) and normalise(opening) not in {normalise(s) for s in [*shorts, country]}
    forms = [(short, True) for short in shorts]
    forms += [(adjective, not own_adjective) for short in shorts for adjective in adjectives(short)]
    return [(f"{form} {emblem}{tail}", offered) for form, offered in forms for tail in ("", " Society")]


def add_everyday_names(index, rows):
    """Register the everyday names of the Societies in ``rows`` (s, name, country) as exact keys."""
    owners, offered = {}, set()
    for row in rows:
        for text, offer in everyday_names(row["name"].value, row["country"].value):
            key = normalise(text)
            owners.setdefault(key, set()).add(row["s"].value)
            if offer:
                offered.add((key, row["s"].value))
    for key, iris in owners.items():
        taken = set(index.exact.get(key, {})) | set(index.exact.get(normalise(key, drop_weak=True), {}))
        if len(iris) == 1 and not taken - iris and (key, next(iter(iris))) in offered:
            index.add_key(next(iter(iris)), key, SCORE)
