#!/usr/bin/env python3
"""Merges the heads of government of the Global Leader Ideology dataset into
dictionaries/leaders.tsv.

Usage: import_gli.py GLI_CSV ARCH_ANNUAL_TXT DICT_DIR [WORDS]

The Global Leader Ideology dataset (Herre 2021) names, for every state and every year from 1945
to 2020, the head of government in office on 31 December (full names, mostly from V-Dem) and
the effective leader (Archigos' name, often a surname alone). Two things come from it:
  - Archigos leaders whose name is a surname alone ("Diefenbaker") get the dataset's full name
    when, in the years of their spell, the dataset says the head of government *is* the leader
    (`match_hog_leader`) under that same Archigos name; their spells keep Archigos' exact dates
    and the `Leader` title, as import_archigos.py gives them.
  - Heads of government who were not the effective leader (prime ministers of presidential or
    communist states, 1945-2020) are dated to the year: a run of 31 Decembers in office from
    year A to year B means the holder took office in A (when the state is in the data on
    31 December of A-1 and someone else held the same office then) and left in B+1 (when the
    state is in the data on 31 December of B+1 and someone else held the same office). A run whose start or end cannot be dated that way is
    left out, and so is a run inside which a listed holder of the same office took office (the
    dataset missed a change between two 31 Decembers). Holders of less than a year between two
    31 Decembers are missed, never misdated.
Someone listed for the country with a name word alike at an overlapping time is the same person
and is left alone; the same folded name, or the same first and last name, within 20 years of
their roles is the same person, who gets the spell as an earlier or later role. New rows keep the
dataset's spelling (no diacritics); aliases are the first given name with the surname (with the
paternal surname in Spanish-speaking states), never for the family-name-first states, names with
an Arabic article, or a surname that the word list knows as a name (John Adams). A short form is
the surname only when it is no word or name of the word list, nobody else's name or short form,
and no other new person's surname. Rows are facts restated in our format; the source files
themselves are not kept.
"""
import collections
import csv
import difflib
import re
import sys

from import_archigos import (COW_TO_ISO, FORMER_STATES, NOT_ISO, bound, overlaps, read_leaders,
                             role_periods, slug, write_leaders)
from import_archigos import fold as fold_marks
from import_factbook import FAMILY_FIRST, SAME_NAME_GAP
from import_reign import near, ordinary_words, similar_surname

# The dataset's titles of a head of government and ours; a run with another title is left out.
TITLES = {
    "Prime Minister": "Prime Minister", "Premier": "Premier", "President": "President",
    "Chancellor": "Chancellor", "Chairman of the Council of Ministers":
        "Chairman of the Council of Ministers", "Chairmen of the council of ministers":
        "Chairman of the Council of Ministers", "President of the Executive Yuan": "Premier",
    "General Secretary of the General People's Committee":
        "General Secretary of the General People's Committee",
}
# Switzerland's and San Marino's heads change within the year (collective bodies).
SKIP = {"CHE", "SMR"}
HONORIFICS = {"Sardar", "Samdech", "Prince", "Princess", "Sheikh", "Shaikh", "Sir", "Dr",
              "General", "Gen", "Colonel", "Marshal", "Admiral", "Lieutenant", "Major", "Captain",
              "Brigadier", "Tun", "Datuk", "Dato", "Tan", "Sri", "Mr", "Mrs", "Field"}
PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "do", "dos", "das", "e", "van", "von",
             "der", "den", "ter", "di", "le", "du", "bin", "ibn", "ben", "ould", "al", "el"}
SPANISH = {"ESP", "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "CUB", "DOM", "COL", "VEN",
           "ECU", "PER", "BOL", "CHL", "ARG", "URY", "PRY", "GNQ"}
LAST_YEAR = 2020
# Letters that lose no mark but change spelling in ASCII (Steinþórsson, Gomułka), as the
# dictionary's own matching folds them.
LETTERS = str.maketrans({"þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "ø": "o",
                         "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "Đ": "D", "ı": "i"})
Run = collections.namedtuple("Run", "iso ccode name title first last leader match before after")


def fold(s):
    return fold_marks(s.translate(LETTERS))


def clean_name(raw):
    """The dataset's name without brackets and honorifics, or None when it is no one's full name
    (a collective body, one word, a squashed Arabic article as in "Zaidar-Rifai")."""
    name = re.sub(r"\s*[\[(][^\])]*[\])]", "", raw).replace(".", "").strip()
    name = re.sub(r" y .*$", "", name)  # Spanish "Calvo Sotelo y Bustelo": the mother's names
    words = name.split()
    while words and words[0] in HONORIFICS:
        words = words[1:]
    if len(words) < 2 or not all(re.fullmatch(r"[A-Za-z][A-Za-z'-]*", w) for w in words):
        return None
    if words[0].lower() in PARTICLES:
        return None
    return " ".join(words)


def state_maps(arch_rows, countries):
    """{COW number: ISO id} for the states with an ISO entry (former states left out)."""
    out = {}
    for r in arch_rows:
        idacr = r["idacr"]
        iso = COW_TO_ISO.get(idacr, idacr)
        if idacr not in NOT_ISO and idacr not in FORMER_STATES and iso in countries:
            out[r["ccode"]] = iso
    return out


def read_runs(gli_path, iso_of):
    """Runs of consecutive 31 Decembers with the same head of government under the same title,
    and the years each state is in the data."""
    runs, years = [], collections.defaultdict(set)
    prev = None
    for r in csv.DictReader(open(gli_path, encoding="utf-8")):
        cc, y = r["country_code_cow"], int(r["year"])
        years[cc].add(y)
        if (prev and prev["ccode"] == cc and prev["raw"] == r["hog"] and prev["last"] == y - 1
                and prev["title"] == r["hog_title"]):
            prev["last"] = y
            prev["match"] = prev["match"] and r["match_hog_leader"] == "yes"
            continue
        prev = {"ccode": cc, "raw": r["hog"], "first": y, "last": y, "title": r["hog_title"],
                "leader": r["leader"], "match": r["match_hog_leader"] == "yes"}
        runs.append(prev)
    out = []
    for i, p in enumerate(runs):
        iso, name = iso_of.get(p["ccode"]), clean_name(p["raw"])
        before, after = (runs[j] if 0 <= j < len(runs) else {} for j in (i - 1, i + 1))
        if iso and name and iso not in SKIP:
            out.append(Run(iso, p["ccode"], name, p["title"], p["first"], p["last"], p["leader"],
                           p["match"], TITLES.get(before.get("title")),
                           TITLES.get(after.get("title"))))
    return out, years


def year_spell(run, years):
    """(start year, end year) of a run, or None when either cannot be dated (see the docstring):
    the 31 Decembers before and after it must name another holder of the same office (a
    president stops being head of government when a prime minister is appointed, not in office)."""
    have, title = years[run.ccode], TITLES.get(run.title)
    if run.first - 1 not in have or run.last + 1 not in have or run.last >= LAST_YEAR:
        return None
    if not title or run.before != title or run.after != title:
        return None
    return str(run.first), str(run.last + 1)


def listed_alike(rows, iso, name, period):
    """Someone listed for the country at an overlapping time with a name word alike (the first
    given name aside: Harold St. John followed John Adams)."""
    words = {w for w in fold(name).split()[1:] if len(w) > 2 and w not in PARTICLES}
    for r in rows:
        if len(r) < 6 or r[4] != iso:
            continue
        theirs = set(fold(" ".join([r[1], r[2].replace("|", " "), r[3].lstrip("!")])).split())
        if words & theirs and any(overlaps(period, h) for h in role_periods(r[5])):
            return True
    return False


def same_name(rows, iso, name):
    """A listed person of the country with the same folded name, or the same first and last name
    with one name's words all in the other's (John Compton, John George Melvin Compton; never
    Abdul Karim and Abdul Rahman al-Iryani)."""
    f = fold(name).split()
    for r in rows:
        if len(r) >= 6 and r[4] == iso:
            for n in [r[1]] + r[2].split("|"):
                g = fold(n.lstrip("=?")).split()
                if g and (g == f or (g[0] == f[0] and g[-1] == f[-1] and (set(g) <= set(f) or set(f) <= set(g)))):
                    return r
    return None


def inner(s, e):
    """The days a role dated to the year certainly covers (a role ending in 1994 and one starting
    in 1994 follow each other)."""
    return (f"{s}-12-31", f"{e}-01-01") if s < e else (f"{s}-07-01", f"{s}-07-01")


def clashes(title, period, cell):
    """A role (title, period) clashes with a row's roles when it overlaps one of the same office
    (a `Leader` spell is any office: the same stay dated twice) or, for another office, the days
    each certainly covers (a role dated to the year may end in the year the next one starts)."""
    def sure(p):
        return inner(*p) if len(p[0]) == len(p[1]) == 4 else p
    for part in filter(None, (x.strip() for x in cell.split(";"))):
        t, rng = part.rsplit(" ", 1)
        other = tuple(rng.split(".."))
        same = t == title or "Leader" in (t, title)
        if overlaps(period, other) if same else overlaps(sure(period), sure(other)):
            return True
    return False


def spelt_alike(rows, iso, name):
    """A listed person of the country whose name is this one spelt otherwise (Mohamed and
    Muhammad, Hegazi and Hejazi), at any time: a new row would be a second entry for them."""
    f = fold(name)
    fw = f.split()
    for r in rows:
        if len(r) < 6 or r[4] != iso:
            continue
        for n in [r[1]] + r[2].split("|"):
            g = fold(n.lstrip("=?"))
            gw = g.split()
            if not gw:
                continue
            if difflib.SequenceMatcher(None, f, g).ratio() >= 0.85 or (
                    similar_surname(fw[-1], gw[-1]) and fw[0][:3] == gw[0][:3]):
                return True
    return False


def missed_change(rows, iso, title, run):
    """A listed holder of the same office took office between the run's first and last
    31 December: the dataset missed a change."""
    lo, hi = f"{run.first}-12-31", f"{run.last}-12-31"
    for r in rows:
        if len(r) >= 6 and r[4] == iso:
            for p in filter(None, (x.strip() for x in r[5].split(";"))):
                t, rng = p.rsplit(" ", 1)
                s = rng.split("..")[0]
                if t == title and lo < bound(s, False) <= hi and len(s) == 10:
                    return True
    return False


def archigos_spells(arch_rows, iso_of):
    """{(COW number, Archigos name): {leader id: [(start, end)]}}, the spells closed before the
    data's end."""
    by_obs = collections.OrderedDict()
    for r in arch_rows:
        if r["ccode"] in iso_of:
            key = (r["ccode"], r["leader"].strip(), r["leadid"], r["obsid"])
            s, e = by_obs.get(key, (r["startdate"], r["enddate"]))
            by_obs[key] = (min(s, r["startdate"]), max(e, r["enddate"]))
    out = collections.defaultdict(lambda: collections.defaultdict(list))
    for (cc, name, lid, _), (s, e) in by_obs.items():
        if "1945-01-01" <= e < "2015-12-31":
            out[(cc, name)][lid].append((s, e))
    return out


def periods_of(run, years, arch):
    """(title, [(start, end)]) of a run: Archigos' exact spells of the leader the dataset says
    the head of government is (the leader's name words all in the full name), or the run dated
    to the year, or None."""
    if run.match and set(fold(run.leader).split()) <= set(fold(run.name).split()):
        for spells in arch.get((run.ccode, run.leader.strip()), {}).values():
            if any(overlaps(p, (str(run.first), str(run.last))) for p in spells):
                return "Leader", spells
    title = TITLES.get(run.title)
    spell = year_spell(run, years)
    return (title, [spell]) if title and spell else None


def aliases(name, iso, names):
    """The name as it is usually written besides the full one: the first given name with the
    surname (in Spanish-speaking states, with the paternal surname of a four-word name)."""
    w = name.split()
    if iso in FAMILY_FIRST or len(w) < 3 or any(x.lower() in PARTICLES for x in w) or \
            any(x.lower().startswith(("al-", "el-", "as-", "ad-", "ar-", "an-")) for x in w):
        return []
    if iso in SPANISH:
        return [f"{w[0]} {w[2]}", " ".join(w[:3])] if len(w) == 4 and w[2] not in names else []
    return [] if w[-1] in names else [f"{w[0]} {w[-1]}"]


def surname(name, iso):
    w = name.split()
    if iso in FAMILY_FIRST or any(x.lower() in PARTICLES for x in w):
        return ""
    if iso in SPANISH:
        return w[2] if len(w) == 4 else ""
    return w[-1]


def measure(rows, runs, years):
    """Year error against listed roles of the same office dated to the day: of the runs whose
    person is listed with such an overlapping role, how many start or end years differ."""
    n = bad_s = n_e = bad_e = 0
    for run in runs:
        title, spell = TITLES.get(run.title), year_spell(run, years)
        if not title or not spell:
            continue
        person = same_name(rows, run.iso, run.name)
        if person is None:
            continue
        for p in filter(None, (x.strip() for x in person[5].split(";"))):
            t, rng = p.rsplit(" ", 1)
            s, e = rng.split("..")
            if t == title and len(s) == 10 and overlaps((s, e), spell):
                n += 1
                bad_s += s[:4] != spell[0]
                if len(e) == 10:
                    n_e += 1
                    bad_e += e[:4] != spell[1]
                break
    print(f"measured: {bad_s} of {n} start years and {bad_e} of {n_e} end years differ",
          file=sys.stderr)


def new_row(name, iso, roles, ids, taken, names):
    pid = slug(name) if slug(name) not in ids else f"{slug(name)}-{iso.lower()}"
    if pid in ids:
        return None
    alias = [a for a in aliases(name, iso, names) if fold(a) not in taken]
    return [pid, name, "|".join(alias), "", iso, "; ".join(f"{t} {s}..{e}" for t, s, e in roles)]


def place_words(dict_dir):
    """The words of the countries' names, official names, capitals and demonyms: no short form
    ("Leone" of Giovanni Leone is half of Sierra Leone)."""
    out = set()
    for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8"):
        if not line.startswith("#"):
            out.update(fold(" ".join(line.rstrip("\n").split("\t")[1:7]).replace("|", " ")).split())
    return out


def give_shorts(added, rows, ordinary, names):
    """The surname as short form where it is safe (see the docstring)."""
    taken = {fold(a.lstrip("=?")) for r in rows if len(r) >= 6 for a in [r[1]] + r[2].split("|") if a}
    shorts = {fold(r[3].lstrip("!")) for r in rows if len(r) >= 6 and r[3]}
    mine = collections.Counter(fold(surname(r[1], r[4])) for r in added)
    for r in added:
        s = surname(r[1], r[4])
        f = fold(s)
        if (len(s) >= 4 and s.isalpha() and mine[f] == 1 and s not in names
                and not any(f in x for x in (ordinary, taken, shorts))):
            r[3] = s


def merge(gli_path, arch_path, dict_dir, words="/usr/share/dict/words"):
    path = f"{dict_dir}/leaders.tsv"
    countries = {line.split("\t")[0] for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8")}
    word_list = [w.strip() for w in open(words, encoding="utf-8") if w.strip()]
    ordinary = ordinary_words(dict_dir) | {fold(w) for w in word_list if w.islower()}
    ordinary |= place_words(dict_dir)
    names = {w for w in word_list if w[:1].isupper() and "'" not in w}
    arch_rows = list(csv.DictReader(open(arch_path, encoding="latin-1"), delimiter="\t"))
    iso_of = state_maps(arch_rows, countries)
    arch = archigos_spells(arch_rows, iso_of)
    runs, years = read_runs(gli_path, iso_of)
    header, rows = read_leaders(path)
    measure(rows, runs, years)
    people = collections.OrderedDict()
    extended = 0
    for run in runs:
        found = periods_of(run, years, arch)
        if not found:
            continue
        title, spells = found
        if title != "Leader" and missed_change(rows, run.iso, title, run):
            continue
        person = same_name(rows, run.iso, run.name)
        if person is None:
            spells = [p for p in spells if not listed_alike(rows, run.iso, run.name, p)]
        else:
            new = [p for p in spells if near(p, person[5], SAME_NAME_GAP) and not clashes(title, p, person[5])]
            if new:
                person[5] += "".join(f"; {title} {s}..{e}" for s, e in new)
                extended += 1
            continue
        roles = people.setdefault((run.iso, run.name), [])
        roles += [(title, s, e) for s, e in spells if (title, s, e) not in roles]
    taken = {fold(a.lstrip("=?")) for r in rows if len(r) >= 6 for a in [r[1]] + r[2].split("|") if a}
    ids = {r[0] for r in rows}
    added = []
    for (iso, name), roles in people.items():
        roles = disjoint(sorted(roles, key=lambda t: t[1]))
        fresh = roles and fold(name) not in taken and not spelt_alike(rows + added, iso, name)
        row = new_row(name, iso, roles, ids, taken, names) if fresh else None
        if row:
            added.append(row)
            ids.add(row[0])
            taken.update(fold(n) for n in [row[1]] + row[2].split("|") if n)
    give_shorts(added, rows, ordinary, names)
    write_leaders(path, header, rows, added)
    print(f"added {len(added)}, extended {extended}", file=sys.stderr)
    return len(added) + extended


def main(gli_path, arch_path, dict_dir, words="/usr/share/dict/words"):
    """Merges until nothing changes: a role added in one pass can bring an earlier role of the
    same person within SAME_NAME_GAP years in the next (a rerun then changes nothing)."""
    while merge(gli_path, arch_path, dict_dir, words):
        pass


def disjoint(roles):
    """The roles with the ones overlapping an earlier-listed role left out (a `Leader` spell and
    a year-dated run of the same stay in office)."""
    out = []
    for t, s, e in roles:
        if not any(overlaps((s, e), (a, b)) for _, a, b in out):
            out.append((t, s, e))
    return out


if __name__ == "__main__":
    main(*sys.argv[1:])
