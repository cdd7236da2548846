#!/usr/bin/env python3
"""Reads the heads of state and of government out of the CIA World Factbook editions 1990-2025.

Used by import_factbook.py. Input: a checkout (or `git show` export) of the public repository
MilkMp/CIA-World-Factbooks-Archive-1990-2025: `data/fields/country_fields_YYYY.sql(.gz)`, one SQL
dump per annual edition, and the tables that map its country ids to ISO codes.

Each edition's `Executive branch` field (`Leaders` before 1995, sometimes filed under another
field in the earliest editions) names the chief of state and the
head of government, e.g. `chief of state: President Abdelaziz BOUTEFLIKA (since 28 April 1999)`.
Only the first holder of each is read, and only when the text has the plain form TITLE NAME (since
DATE): a title from TITLES right before the name (no "President of the Islamic Republic of ..."),
a name of capitalised words and particles with the surname in capitals as the CIA writes it, and a
start date. Anything else in that edition is skipped rather than guessed. A chief of state
"represented by" a governor-general (the British or Dutch monarch in a realm or territory) is
skipped: that monarch belongs to another country.
"""
import csv
import gzip
import io
import os
import re
import subprocess

TITLES = [
    ("President of the Government", "Prime Minister"),
    ("President of the Council of Ministers", "Prime Minister"),
    ("Prime Minister", "Prime Minister"), ("Premier", "Premier"),
    ("Federal Chancellor", "Chancellor"), ("Chancellor", "Chancellor"),
    ("Federal President", "President"), ("State President", "State President"),
    ("President", "President"), ("Taoiseach", "Taoiseach"), ("Supreme Leader", "Supreme Leader"),
    ("King", "King"), ("Queen", "Queen"), ("Emperor", "Emperor"), ("Amir", "Emir"),
    ("Emir", "Emir"), ("Sultan", "Sultan"), ("Grand Duke", "Grand Duke"), ("Prince", "Prince"),
    ("Chief Executive", "Chief Executive"),
]
MONARCHS = {"King", "Queen", "Emperor", "Emir", "Sultan", "Grand Duke", "Prince"}
QUALIFIERS = {"Acting": "Acting", "Interim": "Interim", "Transitional": "Transitional",
              "Provisional": "Provisional"}
HONORIFICS = {"Sheikh", "Shaykh", "Sir", "Dame", "Dr.", "Gen.", "General", "Lt.", "Maj.", "Col.",
              "Colonel", "Brig.", "Adm.", "Marshal", "Field", "Cardinal", "Archbishop", "Rev.",
              "Mrs.", "Mr.", "Ms.", "Lieutenant", "Major", "Brigadier", "Captain", "Capt.",
              "Commodore", "Admiral", "Gen", "Prince", "Princess", "Lyonpo", "Dasho", "Datuk",
              "Dato", "Haji", "Alhaji", "Chief", "Sr."}
PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "das", "del", "della",
             "di", "du", "la", "le", "van", "von", "der", "den", "ter", "y", "e", "ould", "ag",
             "wa", "bin", "ben", "abu", "au"}
MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December"
    .split(), 1)}
# Editions' states that no longer exist: the archive files them under a successor's code.
GONE = {"Soviet Union", "German Democratic Republic", "Czechoslovakia", "Yugoslavia",
        "Yemen, People's Democratic Republic of"}
ROW = re.compile(r"\(\d+, \d+, (\d+), N'((?:[^']|'')*)', N'((?:[^']|'')*)'\)")
MARK = re.compile(r"(?i)(chief of state(?: and head of government)?|head of government)\s*(?::|--)")
HOLDER = re.compile(r"^\s*\|?\s*(.*?)\s*\(since ([^)]*)\)")
CAPS = re.compile(r"^[A-Z][A-Z'-]*[A-Z]$|^[A-Z]$")
ROMAN = re.compile(r"^[IVX]+$")


def read(repo, path):
    """A file of the archive: from a checkout directory, or from a bare git directory's HEAD."""
    if os.path.isdir(os.path.join(repo, "data")):
        return open(os.path.join(repo, path), "rb").read()
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"],
                          check=True, capture_output=True).stdout


def iso3_by_country_id(repo, iso2_to_iso3):
    master = {r["MasterCountryID"]: r["ISOAlpha2"] or ("XK" if r["CanonicalCode"] == "KV" else "")
              for r in csv.DictReader(io.StringIO(read(repo, "data/reference_tables/master_countries.csv").decode()))}
    out = {}
    for r in csv.DictReader(io.StringIO(read(repo, "data/reference_tables/countries.csv").decode())):
        iso3 = iso2_to_iso3.get(master.get(r["MasterCountryID"], ""))
        if iso3 and r["Name"] not in GONE:
            out[r["CountryID"]] = iso3
    return out


def date(text):
    """`6 August 1989` -> 1989-08-06, `March 2004` -> 2004-03, `2004` -> 2004; else None."""
    m = re.fullmatch(r"(?:(\d{1,2}) )?([A-Z][a-z]+ )?(\d{4})", text.strip())
    if not m or (m.group(2) and m.group(2).strip() not in MONTHS) or (m.group(1) and not m.group(2)):
        return None
    y = m.group(3)
    if not m.group(2):
        return y
    mo = MONTHS[m.group(2).strip()]
    return f"{y}-{mo:02}-{int(m.group(1)):02}" if m.group(1) else f"{y}-{mo:02}"


def restore(token):
    """CIA capitals back to a name's case: KARZAI -> Karzai, WILLEM-ALEXANDER -> Willem-Alexander."""
    if ROMAN.match(token):
        return token
    parts = re.split(r"([-'])", token)
    out = "".join(p.capitalize() if p not in "-'" else p for p in parts)
    # O'NEILL -> O'Neill, but TU'IPELEHAKE -> Tu'ipelehake (a glottal stop, not a prefix)
    out = re.sub(r"(\w{2,})'(\w)", lambda m: f"{m.group(1)}'{m.group(2).lower()}", out)
    return "Mc" + out[2:].capitalize() if out.startswith("Mc") and len(out) > 3 else out


def parse_title(text):
    qual = ""
    first = text.split(" ", 1)[0]
    if first in QUALIFIERS:
        qual, text = QUALIFIERS[first] + " ", text[len(first):].lstrip()
    for words, title in TITLES:
        if text.startswith(words + " "):
            return qual + title, title, text[len(words) + 1:]
    return None


def parse_name(text):
    """(full name, short name, surname, nickname) from the words after the title, or None."""
    text = re.sub(r'"([^"]+)"|\(([^)]+)\)', lambda m: "{" + (m.group(1) or m.group(2)) + "}", text)
    tokens, nick = text.split(), None
    while tokens and (tokens[0] in HONORIFICS or tokens[:2] == ["Tan", "Sri"]):
        del tokens[:2 if tokens[0] == "Tan" else 1]
    words = []
    for t in tokens:
        if t.startswith("{") and t.endswith("}"):
            nick = t[1:-1]
        elif CAPS.match(t) or t.lower() in PARTICLES or re.fullmatch(r"al-[A-Z][a-z'-]+|[A-Z][a-z.'-]*[a-z]\.?|[A-Z]\.", t) \
                or re.fullmatch(r"(?:[A-Z][a-z]+-)?[A-Z][a-z'-]+", t):
            words.append(t)
        else:
            return None
    caps = [i for i, w in enumerate(words) if CAPS.match(w) and not ROMAN.match(w)]
    if not caps or any("." in w for w in words[caps[0]:]):
        return None
    given, rest = words[:caps[0]], [restore(w) if CAPS.match(w) else w for w in words[caps[0]:]]
    full = " ".join(given + rest)
    short = " ".join(given[:1] + rest) if len(given) > 1 else full
    surname = " ".join(restore(words[i]) for i in caps)
    nickname = f"{nick} {' '.join(rest)}" if nick and re.fullmatch(r"[A-Z][a-z]+", nick) else None
    return full, short, surname, nickname


def holders(text):
    """(kind, title, base title, full, short, surname, nickname, since) for each head named."""
    marks = list(MARK.finditer(text))
    for i, m in enumerate(marks):
        seg = text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        kind = "head of government" if m.group(1).lower() == "head of government" else "chief of state"
        h = HOLDER.match(seg)
        if not h or ("represented by" in seg and kind == "chief of state"):
            continue
        t = parse_title(h.group(1))
        since = date(h.group(2))
        if not t or not since:
            continue
        n = parse_name(t[2])
        if n:
            yield (kind, t[0], t[1]) + n + (since,)


def editions(repo, iso2_to_iso3):
    """Yields (year, iso3, holder tuple) for every edition found in the archive."""
    by_id = iso3_by_country_id(repo, iso2_to_iso3)
    for year in range(1990, 2100):
        path = f"data/fields/country_fields_{year}.sql.gz"
        try:
            raw = read(repo, path)
        except (OSError, subprocess.CalledProcessError):
            break
        sql = gzip.decompress(raw).decode("utf-8")
        for m in ROW.finditer(sql):
            # Early editions file the leaders under neighbouring fields too (parse artefacts).
            if m.group(1) in by_id and MARK.search(m.group(3)):
                for h in holders(m.group(3).replace("''", "'")):
                    yield year, by_id[m.group(1)], h
