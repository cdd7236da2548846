#!/usr/bin/env python3
"""Merges foreign, defence and finance ministers, dated to the day, into dictionaries/leaders.tsv
(issue 12, item 2), so a mention's `role` says the office held on the document's date.

Usage: import_ministers.py DICT_DIR WORDS IFG_DATA_DIR [ISO:TITLE:WIKIPEDIA_CSV...]

Sources: the Institute for Government's Ministers Database (public repository
instituteforgov/ifg-ministers-database-public, its `data/` CSV tables), every UK minister since
1979 with the days of appointment and leaving. Taken: the Foreign Secretary (both names of the
post: "... Foreign and Commonwealth Affairs" and, from 2020, "... Foreign, Commonwealth and
Development Affairs"), the Defence Secretary and the Chancellor of the Exchequer, appointments
ending in 1990 or later. An appointment still running on the snapshot's date (2026-06-19) is
left out: leaders.tsv has a new Prime Minister from 2026-07, so its holder may have left.
And the `wikipedia.csv` tables (id, name, start_date, end_date, ...) that tmtmtmtm's
`*-ministers-wikipedia` repositories scraped from Wikipedia's lists of one office's holders
(Algeria's foreign and finance ministers), each given with its state and our title
(`DZA:Foreign Minister:path`): a party or "(par intérim)" after the name is dropped, rows without
a person's name ("rattaché à la présidence") and spells still open in the scrape are left out.
  - Appointments of one person to one office that follow each other (a renamed department, a
    reshuffle that reappoints) are one spell.
  - The person is a listed GBR row when a name of theirs is the row's name or alias: the role is
    added unless it overlaps a listed role of the same office (then the listed dates are kept).
  - Anyone else is a new row, placed with the other ministers, the surname as short form only
    where it is safe (import_gli.give_shorts: not a word or name of `wamerican`, not a place
    word, not anyone's name or short form).
Rows are facts restated in our format; nothing of the source's files is kept. A rerun changes
nothing.
"""
import collections
import csv
import sys

from import_archigos import overlaps, read_leaders, slug
from import_gli import fold, give_shorts, place_words
from import_reign import ordinary_words

IFG_POSTS = {
    "Secretary of State for Foreign and Commonwealth Affairs": "Foreign Secretary",
    "Secretary of State for Foreign, Commonwealth and Development Affairs": "Foreign Secretary",
    "Secretary of State for Defence": "Defence Secretary",
    "Chancellor of the Exchequer": "Chancellor of the Exchequer",
}
SINCE = "1990-01-01"
# Surnames another well-known person of the same country goes by in the press: no short form
# (Ed Miliband led Labour 2010-15; Denis Healey was Chancellor 1974-79; Jimmy Fallon).
SHARED_SURNAMES = {"Miliband", "Healey", "Fallon"}
# Titles and honorifics a name may carry in the source; the person's plain name is the one without.
HONORIFICS = ("Lord ", "Baroness ", "Sir ", "Dame ")


def table(data_dir, name):
    with open(f"{data_dir}/{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def plain_name(names):
    """The person's name without a peerage or knighthood (the one the press used as minister)."""
    plain = [n for n in names if not n.startswith(HONORIFICS)]
    return (plain or names)[-1]


def ifg_spells(data_dir):
    """[(iso, title, name, start, end)] of the offices in IFG_POSTS, one spell per stay."""
    posts = {p["id"]: IFG_POSTS[p["name"]] for p in table(data_dir, "post") if p["name"] in IFG_POSTS}
    names = collections.defaultdict(list)
    for p in sorted(table(data_dir, "person"), key=lambda p: p["start_date"] or ""):
        if p["name"] not in names[p["id"]]:
            names[p["id"]].append(p["name"])
    by = collections.defaultdict(list)
    for a in table(data_dir, "appointment"):
        if a["post_id"] in posts:
            by[(a["person_id"], posts[a["post_id"]])].append((a["start_date"], a["end_date"]))
    out = []
    for (pid, title), spans in by.items():
        for s, e in joined(sorted(spans)):
            if e and e >= SINCE:
                out.append(("GBR", title, plain_name(names[pid]), s, e))
    return sorted(out, key=lambda t: (t[3], t[1]))


def wikipedia_spells(iso, title, path):
    """[(iso, title, name, start, end)] of one office's holders from a scraped wikipedia.csv."""
    out = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            name = r["name"].split("(")[0].strip()
            s, e = r["start_date"], r["end_date"]
            if name[:1].isupper() and len(name.split()) >= 2 and len(s) == len(e) == 10 and e >= SINCE:
                out.append((iso, title, name, s, e))
    return out


def joined(spans):
    """Spans that touch (one ends the day the next begins) as one."""
    out = []
    for s, e in spans:
        if out and out[-1][1] and out[-1][1] >= s:
            out[-1] = (out[-1][0], e if not e or e > out[-1][1] else out[-1][1])
        else:
            out.append((s, e))
    return out


def same_office_overlap(title, period, cell):
    for part in filter(None, (x.strip() for x in cell.split(";"))):
        t, rng = part.rsplit(" ", 1)
        if t == title and overlaps(period, tuple(rng.split(".."))):
            return True
    return False


def listed_person(rows, iso, name):
    f = fold(name)
    for r in rows:
        if len(r) >= 6 and r[4] == iso and f in {fold(n.lstrip("=?")) for n in [r[1]] + r[2].split("|") if n}:
            return r
    return None


def measure(rows, spells):
    """Day error against the same office listed with exact dates for the same person."""
    n = bad = 0
    for iso, title, name, s, e in spells:
        r = listed_person(rows, iso, name)
        for part in filter(None, (x.strip() for x in (r[5] if r else "").split(";"))):
            t, rng = part.rsplit(" ", 1)
            ls, le = rng.split("..")
            if t == title and overlaps((s, e), (ls, le)):
                n += 1
                if (ls, le) != (s, e):
                    bad += 1
                    print(f"differs: {name} {title} listed {ls}..{le}, source {s}..{e}", file=sys.stderr)
    print(f"measured: {bad} of {n} listed spells differ", file=sys.stderr)


def merge(dict_dir, words, spells):
    path = f"{dict_dir}/leaders.tsv"
    word_list = [w.strip() for w in open(words, encoding="utf-8") if w.strip()]
    ordinary = ordinary_words(dict_dir) | {fold(w) for w in word_list if w.islower()} | place_words(dict_dir)
    names = {w for w in word_list if w[:1].isupper() and "'" not in w}
    header, rows = read_leaders(path)
    measure(rows, spells)
    people = collections.OrderedDict()
    extended = 0
    for iso, title, name, s, e in spells:
        row = listed_person(rows, iso, name)
        if row is None:
            people.setdefault((iso, name), []).append(f"{title} {s}..{e}")
        elif not same_office_overlap(title, (s, e), row[5]):
            row[5] += f"; {title} {s}..{e}"
            extended += 1
    ids = {r[0] for r in rows}
    added = []
    for (iso, name), roles in people.items():
        pid = slug(name) if slug(name) not in ids else f"{slug(name)}-{iso.lower()}"
        if pid not in ids:
            added.append([pid, name, "", "", iso, "; ".join(roles)])
            ids.add(pid)
    give_shorts(added, rows, ordinary, names | SHARED_SURNAMES)
    rows += added
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"added {len(added)}, extended {extended}", file=sys.stderr)


def main(dict_dir, words, ifg_dir, *lists):
    spells = ifg_spells(ifg_dir)
    for spec in lists:
        iso, title, path = spec.split(":", 2)
        spells += wikipedia_spells(iso, title, path)
    merge(dict_dir, words, spells)


if __name__ == "__main__":
    main(*sys.argv[1:])
