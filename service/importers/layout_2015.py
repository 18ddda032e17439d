"""The 2015 layout (32nd Conference database, rcrcconference.org), reference README "Page fields".

    <pledge text>                      free text, often with a bullet list
    Action plan                        heading, then the plan (often empty)
    Pledge data                        heading, then one field per line:
    Pledge by <names>                  (no colon on the real pages; one is accepted)
    Number: SP320067
    Country: <a country, a comma list, or International>
    Themes: <comma list>
    Institution: <comma list>
    Pledge type: Specific | Open       (blank on model pledges)
    <signatories>                      open pledges: one organisation per line, repeats possible
    Sorry, you need to be logged in ... (ends the page)

Detected by a block that is exactly "Pledge data". A page may be the "Pledge data" block alone
(the text and plan not copied): its text is then not recorded.
"""

from ..errors import InputError
from .citations import find_citations
from .page_blocks import PageText
from .page_model import PledgePage, comma_list, conference_of, field_lines

FIELDS = {"pledge by": "pledged_by", "number": "number", "country": "country", "themes": "themes",
          "institution": "institutions", "pledge type": "pledge_type"}
LOGIN_NOTICE = "sorry, you need to be logged in"
SIGNATURE = "a block 'Pledge data' followed by 'Pledge by', 'Number:', 'Country:' ... lines"


def matches(page):
    return "pledge data" in (_first_line(block) for block in page.blocks)


def parse(page, name, conference=None):
    """The PledgePage of a page in the 2015 layout; InputError says what is missing."""
    page = PageText(_split_headings(page.blocks), page.title, page.links)
    headings = [b.strip().lower() for b in page.blocks]
    data_at = headings.index("pledge data")
    plan_at = headings.index("action plan") if "action plan" in headings[:data_at] else data_at
    if plan_at == 0 and data_at > 0:
        raise InputError(f"{name}: the page has no pledge text before 'Action plan' / 'Pledge data'")
    fields, listed = _data_fields(page.blocks[data_at + 1 :], name)
    record = PledgePage(number=fields.get("number"), title=page.title, text="\n\n".join(page.blocks[:plan_at]),
                        action_plan="\n\n".join(page.blocks[plan_at + 1 : data_at]), listed=listed, layout="2015")
    record.pledged_by, record.country, record.pledge_type = (fields.get(k) for k in
                                                             ("pledged_by", "country", "pledge_type"))
    record.themes, record.institutions = (comma_list(fields.get(k)) for k in ("themes", "institutions"))
    record.blank = [k for k in FIELDS.values() if not fields.get(k)] + ([] if record.text else ["text"])
    record.conference = conference_of(record.number, conference, name)
    record.citations = find_citations(record.text + "\n\n" + record.action_plan)
    return record


def _first_line(block):
    return block.strip().split("\n", 1)[0].strip().lower()


def _split_headings(blocks):
    """Blocks with "Pledge data" or "Action plan" on a line of their own before the rest (a copy
    without blank lines keeps the heading and the fields in one block)."""
    out = []
    for block in blocks:
        head, _, rest = block.strip().partition("\n")
        if head.strip().lower() in ("pledge data", "action plan") and rest.strip():
            out.extend([head.strip(), rest])
        else:
            out.append(block)
    return out


def _data_fields(blocks, name):
    lines = []
    for line in (ln.strip().lstrip("•").strip() for block in blocks for ln in block.split("\n")):
        if line.lower().startswith(LOGIN_NOTICE):
            break
        if line:
            lines.append(_with_colon(line))
    fields = {FIELDS[label]: value for label, value in field_lines(lines, FIELDS, name, "'Pledge data'").items()}
    if not fields:
        raise InputError(f"{name}: the 'Pledge data' section has none of the fields {', '.join(FIELDS)}")
    is_field = [line.split(":", 1)[0].strip().lower() in FIELDS and ":" in line for line in lines]
    first = is_field.index(True)
    return fields, [line for line, known in zip(lines[first:], is_field[first:], strict=True) if not known]


def _with_colon(line):
    """'Pledge by Austria' -> 'Pledge by: Austria' (the real pages write that field without a colon)."""
    lower = line.lower()
    if lower.startswith("pledge by") and not lower[len("pledge by") :].lstrip().startswith(":"):
        return "Pledge by:" + line[len("pledge by") :]
    return line
