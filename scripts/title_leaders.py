#!/usr/bin/env python3
"""Gives Archigos' `Leader` spells in dictionaries/leaders.tsv the title of the office they held.

Usage: title_leaders.py DICT_DIR

Archigos codes the *effective* leader of a state without the office. In many states that office
was the same for decades (the prime minister of a parliamentary state, the president of a
presidential one), so a spell that lies wholly inside such a period takes that title. The table
below lists only periods where the effective leader's office did not change, written from the
states' constitutions (when a republic, a constitution or a military regime began or ended);
juntas, transitions and the states where the effective office moved between president and prime
minister are left out, and so is any spell that crosses a period's bounds (de Gaulle 1958-69).
A spell shorter than MIN_DAYS stays `Leader`: those are mostly acting or caretaker holders, whose
title would need the word `Acting`, which the source does not give.
"""
import datetime
import sys

from import_archigos import read_leaders, write_leaders

MIN_DAYS = 90
PM, PRES = "Prime Minister", "President"
# country: [(from, to or None, title)], ISO dates, bounds included.
OFFICES = {
    "GBR": [("1940-05-10", None, PM)],
    "IRL": [("1937-12-29", None, "Taoiseach")],
    "CAN": [("1940-01-01", None, PM)],
    "AUS": [("1940-01-01", None, PM)],
    "NZL": [("1940-01-01", None, PM)],
    "BEL": [("1945-01-01", None, PM)],
    "NLD": [("1945-01-01", None, PM)],
    "DNK": [("1945-01-01", None, PM)],
    "NOR": [("1945-06-25", None, PM)],
    "SWE": [("1945-01-01", None, PM)],
    "ISL": [("1944-06-17", None, PM)],
    "ITA": [("1945-06-21", None, PM)],
    "DEU": [("1949-09-15", None, "Chancellor")],
    "AUT": [("1945-12-20", None, "Chancellor")],
    "JPN": [("1952-04-28", None, PM)],
    "IND": [("1947-08-15", None, PM)],
    "ISR": [("1948-05-14", None, PM)],
    "MLT": [("1964-09-21", None, PM)],
    "GRC": [("1974-07-24", None, PM)],
    "ESP": [("1975-11-09", None, PM)],
    "HUN": [("1990-05-01", None, PM)],
    "JAM": [("1962-08-06", None, PM)],
    "TTO": [("1962-08-31", None, PM)],
    "BRB": [("1966-11-30", None, PM)],
    "BHS": [("1973-07-10", None, PM)],
    "BLZ": [("1981-09-21", None, PM)],
    "MUS": [("1968-03-12", None, PM)],
    "PNG": [("1975-09-16", None, PM)],
    "SLB": [("1978-07-07", None, PM)],
    "ZAF": [("1945-01-01", "1984-09-14", PM)],
    "LKA": [("1948-02-04", "1978-02-04", PM)],
    "PRT": [("1932-07-05", "1974-04-25", PM), ("1974-09-30", "1976-07-23", PRES),
            ("1986-03-09", "1996-03-09", PRES)],
    "FRA": [("1947-01-22", "1958-06-01", PM), ("1959-01-08", None, PRES)],
    "CHE": [("1945-01-01", None, "President of the Swiss Confederation")],
    "USA": [("1933-03-04", None, PRES)],
    "MEX": [("1940-12-01", None, PRES)],
    "PHL": [("1946-07-04", None, PRES)],
    "CYP": [("1960-08-16", None, PRES)],
    "BRA": [("1946-01-31", None, PRES)],
    "CHL": [("1946-11-03", "1973-09-11", PRES), ("1990-03-11", None, PRES)],
    "ARG": [("1946-06-04", "1955-09-20", PRES), ("1958-05-01", "1962-03-29", PRES),
            ("1963-10-12", "1966-06-28", PRES), ("1973-05-25", "1976-03-24", PRES),
            ("1983-12-10", None, PRES)],
    "VEN": [("1959-02-13", None, PRES)],
    "CRI": [("1949-11-08", None, PRES)],
}


def day(s, end):
    """A role bound as a date; a year or month stands for its last day when it ends a period."""
    parts = [int(x) for x in s.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        y, m = parts
        if not end:
            return datetime.date(y, m, 1)
        nxt = datetime.date(y + m // 12, m % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    return datetime.date(parts[0], 12, 31) if end else datetime.date(parts[0], 1, 1)


def title_for(country, start, end):
    if not end:
        return None
    s, e = day(start, False), day(end, True)
    if (e - s).days < MIN_DAYS:
        return None
    for lo, hi, title in OFFICES.get(country, []):
        if day(lo, False) <= s and (hi is None or e <= day(hi, True)):
            return title
    return None


def retitle(roles, country):
    out, changed = [], 0
    for p in filter(None, (x.strip() for x in roles.split(";"))):
        title, rng = p.rsplit(" ", 1)
        start, end = rng.split("..")
        new = title_for(country, start, end) if title == "Leader" else None
        if new:
            changed += 1
        out.append(f"{new or title} {rng}")
    return "; ".join(out), changed


def main(dict_dir):
    path = f"{dict_dir}/leaders.tsv"
    header, rows = read_leaders(path)
    total = 0
    for r in rows:
        if len(r) < 6 or r[0].startswith("#"):
            continue
        r[5], changed = retitle(r[5], r[4])
        total += changed
    write_leaders(path, header, rows, [])
    print(f"retitled {total} Leader spells", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
