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
    "ROM": "ROU", "LAT": "LVA", "LIT": "LTU", "GRG": "GEO", "SWD": "SWE", "DEN": "DNK",
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
DATA_END = "2015-12-31"
CUTOFF = "1945-01-01"


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def slug(s):
    return fold(s).replace(" ", "-")


def full_name(row):
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


def overlaps(a, b):
    return a[0] <= (b[1] or "9999") and b[0] <= (a[1] or "9999")


def role_periods(cell):
    out = []
    for p in filter(None, (x.strip() for x in cell.split(";"))):
        rng = p.rsplit(" ", 1)[1]
        s, e = rng.split("..")
        out.append((s, e))
    return out


def main(arch_path, dict_dir):
    path = f"{dict_dir}/leaders.tsv"
    countries = {line.split("\t")[0] for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8")}
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    header, rows = lines[0], [l.split("\t") for l in lines[1:]]
    taken = {}
    for i, r in enumerate(rows):
        for a in [r[1]] + r[2].split("|"):
            if a:
                taken.setdefault(fold(a.lstrip("=?")), []).append(i)
    ids = {r[0] for r in rows}
    people = OrderedDict()
    with open(arch_path, encoding="latin-1") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            people.setdefault(r["leadid"], []).append(r)
    added = extended = skipped_open = 0
    for lead_rows in people.values():
        first = lead_rows[0]
        iso = COW_TO_ISO.get(first["idacr"], first["idacr"])
        if first["idacr"] in NOT_ISO or iso not in countries:
            continue
        periods = spells(lead_rows)
        if not periods:
            continue
        name = full_name(first)
        if not name:
            continue
        uri_name = name
        if first["dbpedia.uri"].startswith("http"):
            # DBpedia names come with diacritics; Archigos' own ASCII spelling is not needed then.
            pass
        hits = [i for i in taken.get(fold(uri_name), []) if rows[i][4] == iso]
        if hits:
            r = rows[hits[0]]
            have = role_periods(r[5])
            new = [p for p in periods if p[1] < DATA_END and not any(overlaps(p, h) for h in have)]
            if new:
                extra = "; ".join(f"Leader {s}..{e}" for s, e in new)
                r[5] = f"{r[5]}; {extra}" if r[5] else extra
                extended += 1
            continue
        if fold(uri_name) in taken:
            continue
        # Someone already listed for this country in the same period with the same surname is
        # the same person under another spelling: leave the hand-made row alone.
        surname = fold(first["leader"]).split(" ")[-1]
        same = [
            r for r in rows
            if r[4] == iso and (surname in fold(r[1]).split(" ") or surname in fold(r[3]).split(" "))
            and any(overlaps(p, h) for p in periods for h in role_periods(r[5]))
        ]
        if same:
            continue
        closed = [p for p in periods if p[1] < DATA_END]
        if len(closed) < len(periods):
            skipped_open += 1
            continue
        pid = slug(uri_name)
        if pid in ids:
            pid = f"{pid}-{iso.lower()}"
        if pid in ids:
            continue
        short = fold(uri_name).split(" ")[-1]
        last = uri_name.split(" ")[-1]
        roles = "; ".join(f"Leader {s}..{e}" for s, e in closed)
        rows.append([pid, uri_name, "", last if fold(last) == short and len(last) > 3 else "", iso, roles])
        ids.add(pid)
        taken.setdefault(fold(uri_name), []).append(len(rows) - 1)
        added += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"added {added}, extended {extended}, skipped still-in-office {skipped_open}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
