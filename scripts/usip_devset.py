#!/usr/bin/env python3
"""Builds the even-year USIP development set for the topic taxonomy (issue 16).

The texts are USIP's, not ours: input and output live under dev/usip/ (git-ignored) and
must never be committed. Procedure (see docs/topics.md, "USIP development set"):

1. Run `search` (corpus `pages`) queries for usip.org listing pages: issue-area pages
   (usip.org/issue-areas/<area>), region and country listings, expert keyword listings
   (usip.org/publications?keywords="Name"), and paged publication listings
   (usip.org/publications?issue_areas[0]=N&page=P). Each listing item shows a title, a date,
   the publication's opening paragraph, `Type: …` and USIP's issue-area tags.
2. Save each listing item whose tags are shown whole, as printed, into
   dev/usip/raw/items-*.txt: `@@`, then the title, the date line, the opening text, the
   `Type:` line and the tag line (tags as the page prints them: joined with `; ` or run
   together; a "Related Publications" list prints no `Type:` line, and the tag line then
   follows the opening text). A `#` line records the query and the pages it came from.
3. Run this script: it keeps items of even-numbered years only (2014-2024; odd years are kept
   for an independent check and are refused here), splits the tag line into USIP's issue
   areas, drops duplicates (same title), and writes dev/usip/usip-even.jsonl:
   {"id", "date", "text": title + opening text, "topics": [USIP tags as printed]}.

`entopic evaluate --gold dev/usip/usip-even.jsonl --tag-map dictionaries/topics/usip-tags.tsv
--scheme usip` then scores the taxonomy against USIP's editors.
"""
import datetime
import glob
import json
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RAW = os.path.join(ROOT, "dev", "usip", "raw")
OUT = os.path.join(ROOT, "dev", "usip", "usip-even.jsonl")

# USIP issue-area names as listing pages print them, current and older. Longest first, so
# run-together tag lines split greedily ("Global Elections & ConflictDemocracy & Governance").
USIP_TAGS = sorted(
    [
        "Civilian-Military Relations",
        "Conflict Analysis & Prevention",
        "Democracy & Governance",
        "Economics & Environment",
        "Economics",
        "Environment",
        "Education & Training",
        "Electoral Violence",
        "Global Elections & Conflict",
        "Fragility & Resilience",
        "Gender",
        "Global Health",
        "Global Policy",
        "Human Rights",
        "Justice, Security & Rule of Law",
        "Mediation, Negotiation & Dialogue",
        "Nonviolent Action",
        "Peace Processes",
        "Reconciliation",
        "Religion",
        "Violent Extremism",
        "Youth",
    ],
    key=len,
    reverse=True,
)


def split_tags(line):
    """USIP tags in a tag line, in order; an unknown remainder is an error."""
    tags, rest = [], line.replace(";", "").strip()
    while rest:
        rest = rest.lstrip()
        for tag in USIP_TAGS:
            if rest.startswith(tag):
                tags.append(tag)
                rest = rest[len(tag):]
                break
        else:
            raise ValueError(f"unknown tag text: {rest!r}")
    return tags


def items(path):
    text = open(path, encoding="utf-8").read()
    for block in text.split("@@")[1:]:
        lines = [l for l in block.strip().splitlines() if l.strip() and not l.startswith("#")]
        title, date, *body = lines
        # The tag line follows `Type: …`; "Related Publications" lists print no type, and the
        # tag line is then the last one.
        type_at = next((i for i, l in enumerate(body) if l.startswith("Type:")), len(body) - 1)
        opening = " ".join(l for l in body[:type_at] if not l.startswith("By:"))
        tag_line = body[type_at + 1] if body[type_at].startswith("Type:") else body[type_at]
        yield title.strip(), date.strip(), opening.strip(), tag_line


def main():
    records, seen, odd = [], set(), 0
    for path in sorted(glob.glob(os.path.join(RAW, "items-*.txt"))):
        for title, date, opening, tag_line in items(path):
            day = datetime.datetime.strptime(date, "%A, %B %d, %Y").date()
            if day.year % 2 == 1:
                odd += 1
                continue
            if not 2014 <= day.year <= 2024:
                continue
            tags = split_tags(tag_line)
            if not tags or title in seen:
                continue
            seen.add(title)
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48]
            records.append(
                {
                    "id": f"usip-{day.isoformat()}-{slug}",
                    "date": day.isoformat(),
                    "text": f"{title}\n\n{opening[:2000]}",
                    "topics": tags,
                }
            )
    records.sort(key=lambda r: r["id"])
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    years = sorted({r["date"][:4] for r in records})
    print(f"{len(records)} documents ({', '.join(years)}) -> {OUT}; {odd} odd-year items refused",
          file=sys.stderr)


if __name__ == "__main__":
    main()
