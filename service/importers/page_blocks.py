"""A page's text as blocks: paragraphs of the text form, or the block elements of HTML.

Both forms of a pledge page become the same ``PageText`` (blocks, with list items as ``  • ``
lines; the title of an HTML page; the http(s) links it makes), so each layout's parser reads one
shape whatever the file was.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageText:
    """A page as its layout parsers see it; ``title`` is None in the text form (no markup)."""

    blocks: list
    title: str | None = None
    links: list = field(default_factory=list)  # absolute http(s) hrefs, in page order

    def lines(self):
        """(block index, line) of every non-empty line, stripped (list bullets kept)."""
        return [(i, ln.strip()) for i, b in enumerate(self.blocks) for ln in b.split("\n") if ln.strip()]


def read_page(text, html=False):
    """The PageText of a page's text (already decoded), in its text or HTML form."""
    if not html:
        return PageText(text_blocks(text))
    parser = _parse_html(text)
    blocks, title = _arrange(parser.blocks)
    in_article = any(b[2] for b in parser.blocks)
    return PageText(blocks, title, [href for href, inside in parser.links if inside or not in_article])


def text_blocks(text):
    """Blocks of the text form: paragraphs separated by blank lines, lines right-stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = ("\n".join(line.rstrip() for line in chunk.split("\n")) for chunk in re.split(r"\n\s*\n", text))
    return [b.strip("\n") for b in blocks if b.strip()]


_BR = "\ue000"  # a private-use character marks <br> until whitespace is collapsed


class _BlockParser(HTMLParser):
    """Text blocks of an HTML page, in the shape of the text form (list items as '  • ' lines)."""

    BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
              "dt", "table", "tr", "blockquote", "pre", "hr", "header", "main"}
    SKIPPED = {"script", "style", "nav", "aside", "form", "noscript", "template", "footer", "head", "button"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # (kind, text, in_article)
        self.stack, self.parts, self.skipping, self.articles = [], [], 0, 0
        self.open = Counter()  # open tags by name: membership in O(1), so hostile nesting stays linear
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append(_BR)
        elif tag in self.BLOCKS:
            self._flush()
        if tag == "article":
            self.articles += 1
        if tag == "a" and not self.skipping:
            href = dict(attrs).get("href") or ""
            if re.match(r"(?i)^https?://[^\s<>\"]+$", href.strip()):
                self.links.append((href.strip(), self.articles > 0))
        if tag not in {"br", "hr", "img", "meta", "link", "input"}:
            self.stack.append(tag)
            self.open[tag] += 1

    def handle_endtag(self, tag):
        if not self.open[tag]:
            return  # stray end tag
        while self.stack:  # close everything left open inside this element
            closed = self.stack.pop()
            self.open[closed] -= 1
            if closed == tag:
                break
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS and tag != "dt":  # "<dt>Number:</dt><dd>SP320067</dd>" stays one line
            self._flush(tag)
        if tag == "article":
            self.articles -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def _flush(self, kind=None):
        lines = ("".join(self.parts)).split(_BR)  # source newlines are only whitespace; <br> breaks lines
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        self.parts = []
        if text:
            kind = "li" if self.open["li"] or kind == "li" else kind or "p"
            self.blocks.append((kind, text, self.articles > 0 or kind == "article"))


def html_blocks(html):
    """(blocks, title) of an HTML page: the <article> content if there is one, the first <h1> as title."""
    return _arrange(_parse_html(html).blocks)


def _parse_html(html):
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser


def _arrange(blocks):
    if any(in_article for _, _, in_article in blocks):
        blocks = [b for b in blocks if b[2]]
    title = next((text for kind, text, _ in blocks if kind == "h1"), None)
    out = []
    for kind, text, _ in blocks:
        if kind == "h1":
            continue
        if kind == "li":
            item = "  • " + text
            if out and out[-1][0] == "li":
                out[-1] = ("li", out[-1][1] + "\n" + item)
            else:
                out.append(("li", item))
        else:
            out.append((kind, text))
    return [text for _, text in out], title
