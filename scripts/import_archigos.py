#!/usr/bin/env python3
"""Merges leaders from an Archigos 4.1 annual file into dictionaries/leaders.tsv.

Usage: import_archigos.py ARCH_ANNUAL_TXT DICT_DIR

Archigos (Goemans, Gleditsch, Chiozza) records the *effective* leader of every state, one spell
per stay in office, with start and end dates. This script never rewrites an existing row's name,
aliases or short forms (they are hand-made); it only
  - adds a spell as a `Leader` role to an existing person (matched by folded full name and
    country) when it overlaps none of that person's roles (earlier or later terms), and
  - appends new people with a full name (from the DBpedia resource name, or a two-word-plus
    Archigos name), skipping spells still open at the end of the data (the end is unknown) and
    names that are already another person's alias.
Leaders of Cold War states with no ISO entry today (East Germany, Czechoslovakia, South Vietnam,
South Yemen) get an empty country and the state in the title (`Leader of East Germany`).
Rows are facts restated in our format; the source file itself is not kept.
"""
import csv
import re
import sys
import unicodedata
import urllib.parse
from collections import OrderedDict

# Correlates of War state abbreviations that differ from ISO 3166-1 alpha-3.
COW_TO_ISO = {
    "AUS": "AUT", "HAI": "HTI", "TRI": "TTO", "BAR": "BRB", "SLU": "LCA", "SVG": "VCT",
    "AAB": "ATG", "SKN": "KNA", "BHM": "BHS", "GUA": "GTM", "HON": "HND", "SAL": "SLV",
    "COS": "CRI", "PAR": "PRY", "URU": "URY", "UKG": "GBR", "IRE": "IRL", "NTH": "NLD",
    "FRN": "FRA", "MNC": "MCO", "SWZ": "CHE", "SPN": "ESP", "POR": "PRT", "GMY": "DEU",
    "GFR": "DEU", "CZR": "CZE", "SLO": "SVK", "SNM": "SMR", "MNG": "MNE", "MAC": "MKD",
    "CRO": "HRV", "BOS": "BIH", "KOS": "XKX", "SLV": "SVN", "BUL": "BGR", "MLD": "MDA",
    "ROM": "ROU", "RUM": "ROU", "SER": "SRB", "LAT": "LVA", "LIT": "LTU", "GRG": "GEO", "SWD": "SWE", "DEN": "DNK",
    "ICE": "ISL", "CAP": "CPV", "EQG": "GNQ", "GAM": "GMB", "MAA": "MRT", "NIR": "NER",
    "CDI": "CIV", "GUI": "GIN", "BFO": "BFA", "SIE": "SLE", "TOG": "TGO", "CAO": "CMR",
    "NIG": "NGA", "CEN": "CAF", "CHA": "TCD", "CON": "COG", "DRC": "COD", "TAZ": "TZA",
    "BUI": "BDI", "ANG": "AGO", "MZM": "MOZ", "ZAM": "ZMB", "ZIM": "ZWE", "MAW": "MWI",
    "SAF": "ZAF", "LES": "LSO", "BOT": "BWA", "SWA": "SWZ", "MAG": "MDG", "MAS": "MUS",
    "SEY": "SYC", "MOR": "MAR", "ALG": "DZA", "LIB": "LBY", "SUD": "SDN", "LEB": "LBN",
    "YAR": "YEM", "KUW": "KWT", "BAH": "BHR", "UAE": "ARE", "OMA": "OMN", "TAJ": "TJK",
    "KYR": "KGZ", "KZK": "KAZ", "MON": "MNG", "TAW": "TWN", "ROK": "KOR", "BHU": "BTN",
    "BNG": "BGD", "MYA": "MMR", "SRI": "LKA", "MAD": "MDV", "NEP": "NPL", "THI": "THA",
    "CAM": "KHM", "DRV": "VNM", "MAL": "MYS", "SIN": "SGP", "BRU": "BRN", "PHI": "PHL",
    "INS": "IDN", "ETM": "TLS", "AUL": "AUS", "NEW": "NZL", "VAN": "VUT", "SOL": "SLB",
    "FIJ": "FJI", "NAU": "NRU", "MSI": "MHL", "PAL": "PLW", "YUG": "SRB",
}
# Abbreviations whose COW meaning differs from the same ISO code, or states that no longer exist.
NOT_ISO = {"CZE", "GDR", "RVN", "YPR", "ZAN", "KOR", "HSE", "SIC", "TUS", "MOD", "PMA", "SAX",
           "WRT", "BAV", "HES", "BAD", "HAN", "MEC", "AUH", "OFS", "TRA", "PAP", "HSG"}
# States of the Cold War that have no ISO entry today: their leaders get an empty `country` and
# the state's name in the title ("Leader of East Germany"), never a successor state's code.
FORMER_STATES = {"GDR": "East Germany", "CZE": "Czechoslovakia", "RVN": "South Vietnam",
                 "YPR": "South Yemen"}
# Archigos names that are incomplete or not a person's: the full name used instead, or None to
# leave the entry out (a junta or council is no person; Buu Loc's full name is not in the source).
NAME_FIXES = {
    "Ali Rubayyi": "Salim Rubai Ali", "Ali Nassir Hassani": "Ali Nasser Mohamed",
    "Van Huong": "Tran Van Huong", "Van Thieu": "Nguyen Van Thieu",
    "Military Junta": None, "Executive council": None, "Pham Buu Loc": None,
}
DATA_END = "2015-12-31"
CUTOFF = "1945-01-01"


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def slug(s):
    return fold(s).replace(" ", "-")


def full_name(row):
    name = source_name(row)
    return NAME_FIXES.get(name, name)


def source_name(row):
    uri = row["dbpedia.uri"]
    if uri.startswith("http://dbpedia.org/resource/"):
        name = urllib.parse.unquote(uri.rsplit("/", 1)[1]).replace("_", " ")
        name = re.sub(r"\s*\(.*\)$", "", name).strip()
        if len(name.split()) >= 2 and not re.search(r"[,/]|\b(of|the|King|Emperor)\b", name):
            return name
        return None
    name = row["leader"].strip()
    if len(name.split()) >= 2 and re.fullmatch(r"[A-Za-z' .-]+", name) and "." not in name:
        return name
    return None


def spells(rows):
    """One (start, end) per Archigos spell (obsid), from its annual rows."""
    by_obs = OrderedDict()
    for r in rows:
        s, e = by_obs.get(r["obsid"], (r["startdate"], r["enddate"]))
        by_obs[r["obsid"]] = (min(s, r["startdate"]), max(e, r["enddate"]))
    return [v for v in by_obs.values() if v[1] >= CUTOFF]


def bound(d, end):
    """A `YYYY`/`YYYY-MM`/`YYYY-MM-DD` bound padded so that strings compare as dates."""
    if not d:
        return "9999" if end else "0000"
    return d + ("-12-31", "-31", "")[len(d.split("-")) - 1] if end else d


def overlaps(a, b):
    return bound(a[0], False) <= bound(b[1], True) and bound(b[0], False) <= bound(a[1], True)


def role_periods(cell):
    out = []
    for p in filter(None, (x.strip() for x in cell.split(";"))):
        rng = p.rsplit(" ", 1)[1]
        s, e = rng.split("..")
        out.append((s, e))
    return out


def state_of(idacr, countries):
    """(country id, role title) for an Archigos state code, or None when it maps to no entry."""
    if idacr in FORMER_STATES:
        return "", f"Leader of {FORMER_STATES[idacr]}"
    iso = COW_TO_ISO.get(idacr, idacr)
    if idacr in NOT_ISO or iso not in countries:
        return None
    return iso, "Leader"


def same_person_listed(rows, iso, surname, periods):
    """Someone already listed for this country in the same period with the same surname is the
    same person under another spelling: the hand-made row is left alone."""
    return any(
        len(r) >= 6 and r[4] == iso
        and (surname in fold(r[1]).split(" ") or surname in fold(r[3]).split(" "))
        and any(overlaps(p, h) for p in periods for h in role_periods(r[5]))
        for r in rows
    )


def new_row(name, iso, title, closed, ids):
    pid = slug(name)
    if pid in ids:
        pid = f"{pid}-{iso.lower() or 'former'}"
    if pid in ids:
        return None
    short = fold(name).split(" ")[-1]
    last = name.split(" ")[-1]
    roles = "; ".join(f"{title} {s}..{e}" for s, e in closed)
    return [pid, name, "", last if fold(last) == short and len(last) > 3 else "", iso, roles]


def read_leaders(path):
    """leaders.tsv as its header line and its other lines split into fields."""
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    return lines[0], [l.split("\t") for l in lines[1:]]


def write_leaders(path, header, rows, added):
    """Writes leaders.tsv back with the added rows inserted before its first comment line."""
    at = next((i for i, r in enumerate(rows) if len(r) < 6 and r[0].startswith("#")), len(rows))
    rows[at:at] = added
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def main(arch_path, dict_dir):
    path = f"{dict_dir}/leaders.tsv"
    countries = {line.split("\t")[0] for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8")}
    # Comment lines are kept where they are (one-field rows); new people go before the first one,
    # with the other heads of state and government.
    header, rows = read_leaders(path)
    taken = {}
    for i, r in enumerate(rows):
        if len(r) < 6:
            continue
        for a in [r[1]] + r[2].split("|"):
            if a:
                taken.setdefault(fold(a.lstrip("=?")), []).append(i)
    ids = {r[0] for r in rows}
    people = OrderedDict()
    with open(arch_path, encoding="latin-1") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            people.setdefault(r["leadid"], []).append(r)
    added, new_names, extended, skipped_open = [], set(), 0, 0
    for lead_rows in people.values():
        first = lead_rows[0]
        state = state_of(first["idacr"], countries)
        periods = spells(lead_rows)
        name = full_name(first)
        if not state or not periods or not name:
            continue
        iso, title = state
        hits = [i for i in taken.get(fold(name), []) if rows[i][4] == iso]
        if hits:
            r = rows[hits[0]]
            have = role_periods(r[5])
            new = [p for p in periods if p[1] < DATA_END and not any(overlaps(p, h) for h in have)]
            if new:
                extra = "; ".join(f"{title} {s}..{e}" for s, e in new)
                r[5] = f"{r[5]}; {extra}" if r[5] else extra
                extended += 1
            continue
        surname = fold(first["leader"]).split(" ")[-1]
        if fold(name) in taken or fold(name) in new_names or same_person_listed(
                rows + added, iso, surname, periods):
            continue
        closed = [p for p in periods if p[1] < DATA_END]
        if len(closed) < len(periods):
            skipped_open += 1
            continue
        row = new_row(name, iso, title, closed, ids)
        if row:
            added.append(row)
            ids.add(row[0])
            new_names.add(fold(name))
    write_leaders(path, header, rows, added)
    print(f"added {len(added)}, extended {extended}, skipped still-in-office {skipped_open}",
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
