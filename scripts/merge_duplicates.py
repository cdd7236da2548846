#!/usr/bin/env python3
"""Merges rows of dictionaries/leaders.tsv that name the same person twice, and mends dates the
sources got wrong. Run it after the importers (import_*.py, title_leaders.py); a rerun changes
nothing.

The importers recognise a listed person by name; spellings they could not match (Hasina Wajed /
Sheikh Hasina, Choi Kyu-hah / Choi Kuy Hay, a garbled "MugurIsarescu") made second rows. Each
merge keeps the row with exact dates (or the better name), adds the other row's names as aliases
and the roles it alone has, and drops it. Found by comparing every row added in session 6 with
the rows of the same country whose names share a word and whose years overlap, then read one by
one.

Usage: python3 merge_duplicates.py DICT_DIR
"""
import sys

from import_archigos import read_leaders, write_leaders

# (row kept, row dropped, aliases to add, short forms to add, roles to add)
MERGES = [
    ("sheikh-hasina", "hasina-wajed", ["Hasina Wajed"], [], []),
    ("simeon-saxe-coburg-gotha", "simeon-borisov-sakskoburggotski",
     ["Simeon Borisov Sakskoburggotski", "Simeon Sakskoburggotski"], ["Sakskoburggotski"], []),
    ("sibusiso-barnabas-dlamini", "barnabas-sibusiso-dlamini",
     ["Barnabas Sibusiso Dlamini", "Barnabas Dlamini"], [], ["Prime Minister 2008..2018"]),
    ("motsoahae-thomas-thabane", "thomas-motsoahae-thabane",
     ["Thomas Motsoahae Thabane", "Thomas Thabane"], [], ["Prime Minister 2017..2020"]),
    ("rafael-paasio", "kustaa-rafael-paasio", ["Kustaa Rafael Paasio", "Kustaa Paasio"],
     ["Paasio"], []),
    ("vieno-johannes-sukselainen", "v-j-sukselainen", ["V. J. Sukselainen"], [],
     ["Prime Minister 1957..1957"]),
    ("manuel-saturnino", "manuel-saturninoda-costa", ["Manuel Saturnino da Costa"], [], []),
    ("ratu-josefa-iloilovatu-uluivuda", "josefa-iloilo", ["Josefa Iloilo"], [], []),
    ("ratu-josefa-iloilovatu-uluivuda", "ratu-josefa-iloilo", ["Ratu Josefa Iloilo"], ["Iloilo"],
     ["Leader 2000-05-27..2000-05-29"]),
    ("ahmad-lozi", "ahmad-al-lawzi", ["Ahmad al-Lawzi"], [], []),
    ("zaid-ibn-shaker", "sharif-zaid-ibn-shaker", ["Sharif Zaid ibn Shaker"], [], []),
    ("massoundi-tadjidine-ben-said", "tadjidine-ben-said-massounde",
     ["Tadjidine Ben Said Massounde"], [], ["President 1998..1999"]),
    ("federico-chavez", "federico-chaves-careaga", ["Federico Chaves Careaga"], [], []),
    ("choi-kuy-hay", "choi-kyu-hah", [], [], []),
    ("sanya-dharmasakti", "sanya-thammasak", ["Sanya Thammasak"], [], []),
    ("mugur-isarescu", "constantin-mugurisarescu", [], [], []),
]

# id -> {column: value} replacing a field (names the source garbled, dates it got wrong)
FIXES = {
    "choi-kuy-hay": {"name": "Choi Kyu-hah", "aliases": "Choi Kuy Hay",
                     "roles": "President 1979-10-26..1980-08-16"},
    "federico-chavez": {"roles": "President 1949-09-10..1954-05-06"},
    "mustafaan-nahhas-pasha": {"id": "mustafa-an-nahhas-pasha", "name": "Mustafa an-Nahhas Pasha",
                               "aliases": "Mustafa el-Nahhas"},
    "michael-chilufya-sata": {"roles": "President 2011-09-23..2014-10-28"},
    "vilis-kristopans": {"roles": "Prime Minister 1998-11-21..1999-07-16"},
    "radu-vasile": {"roles": "Prime Minister 1998-04-17..1999-12-13"},
    "mugur-isarescu": {"roles": "Prime Minister 1999-12-22..2000-12-28"},
    "jiri-paroubek": {"roles": "Prime Minister 2005-04-25..2006-09-04"},
    "mirek-topolanek": {"roles": "Prime Minister 2006-09-04..2009-04-09"},
}

COLUMNS = ["id", "name", "aliases", "short", "country", "roles"]


def joined(cell, more):
    parts = [p for p in cell.split("|") if p] if cell else []
    parts += [m for m in more if m not in parts]
    return "|".join(parts)


def main(dict_dir):
    path = f"{dict_dir}/leaders.tsv"
    header, rows = read_leaders(path)
    by_id = {r[0]: r for r in rows if len(r) >= 6}
    for keep, drop, aliases, shorts, roles in MERGES:
        if drop not in by_id:
            continue
        kept = by_id[keep]
        kept[2] = joined(kept[2], aliases)
        kept[3] = joined(kept[3], shorts)
        kept[5] = "; ".join(r for r in kept[5].split("; ") + [r for r in roles if r not in kept[5]] if r)
        rows.remove(by_id.pop(drop))
    for id_, fields in FIXES.items():
        row = by_id.get(id_)
        if row is None:
            continue
        for column, value in fields.items():
            row[COLUMNS.index(column)] = value
    write_leaders(path, header, rows, [])


if __name__ == "__main__":
    main(sys.argv[1])
