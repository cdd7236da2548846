#!/usr/bin/env python3
"""Merges the heads of state and government of the CIA World Factbook (editions 1990-2025) into
dictionaries/leaders.tsv.

Usage: import_factbook.py ARCHIVE DICT_DIR [WORDS [WEEKLY]]

ARCHIVE is the fetched snapshot of MilkMp/CIA-World-Factbooks-Archive-1990-2025 (a checkout, or
the bare git directory); WORDS a word list (default /usr/share/dict/words, Debian's wamerican),
whose lowercase words are never made a short form ("Note" for Kessai Note); WEEKLY the bare git
directory of factbook/factbook.json, whose weekly snapshots (factbook_weekly.py) then replace the
annual editions from November 2020 on.

Where Archigos and REIGN give one effective leader per state, the Factbook names both heads:
the presidents of parliamentary republics, the monarchs, the prime ministers of presidential
states, each with the day they took office (`since 28 April 1999`). factbook_heads.py reads the
editions; this script turns them into spells and merges them:
  - A spell is one holder of one office in consecutive editions (one holder: the same first given
    name and surname, or a respelt surname with the same start); it starts on the `since` date
    given most often. It ends on the next holder's start only when that holder appears in the
    very next edition, at most GAP_DAYS later (the 2018-2020 editions are missing from the
    archive, and the weekly snapshots begin in November 2020), and started after this one was
    last seen; otherwise its end is unknown and it is left out. A holder still listed in the
    last snapshot is in office (an open end) when that snapshot is of RECENT or later; else left
    out. A holder serving less than a year between two annual editions can still be missed,
    which makes the previous holder's end too late: see the check below.
  - A spell that overlaps, by more than 30 days at either end, a role of the same office (or an
    Archigos/REIGN `Leader` role) of someone else listed for the country is left out: the
    Factbook missed a holder between two editions there.
  - A holder who is chief of state of several countries in one edition (the British monarch, the
    co-princes of Andorra) is left out: that person belongs to one country.
  - Someone already listed for the country (same folded name, or a surname alike and the same
    first name or an overlapping role) is the same person: the spell is added when it overlaps
    none of their roles and starts within SAME_NAME_GAP years of them; an Archigos `Leader` spell
    that starts within 45 days of the Factbook's takes the Factbook's title. Someone listed with a
    surname alike at an overlapping time (another spelling) is left as is, except for that title.
  - A one-word name (no given name, no regnal number: "Beatrix") makes no new row. Hand-made rows keep their
    names, aliases and short forms.
  - Anyone else becomes a new row: the Factbook's full name (its capitals turned back into a
    name's case; no diacritics, as the CIA writes none), the first given name with the surname and
    a nickname as aliases, the surname in capitals as the short form unless it is an ordinary word.
Rows are facts restated in our format; the source files themselves are not kept.
"""
import collections
import datetime
import sys

import factbook_weekly
from factbook_heads import MONARCHS, QUALIFIERS, editions
from import_archigos import bound, fold, overlaps, role_periods, read_leaders, slug, write_leaders
from import_reign import near, ordinary_words, similar_surname
from title_leaders import day

# Two holders of one name served nine years apart (Andris Bērziņš of Latvia, the two Konstantinos
# Karamanlis of Greece): a spell is added to a same-named person only this close to their roles.
SAME_NAME_GAP = 6

# Switzerland's president changes every 1 January and San Marino's two captains regent every six
# months: an annual edition cannot date them (Archigos and REIGN do, for Switzerland).
SKIP = {"CHE", "SMR"}
# Two editions a year apart at most are consecutive (an end is never guessed across a gap).
GAP_DAYS = 400
# A holder in the last snapshot is in office only if that snapshot is this recent.
RECENT = datetime.date(2026, 1, 1)
# The CIA's spelling of a name word without its letters (ø as oe), beyond the diacritics that
# accented() restores from rows already listed.
RESPELL = {"Loekke": "Løkke"}
# States where the family name comes first: the first given name with the surname in capitals is
# no name there ("Nguyen Phuc" for Nguyen Xuan Phuc, "Sam Fai" for Sam Hou Fai), nor is the
# surname a short form; their new rows get the full name only.
FAMILY_FIRST = {"CHN", "HKG", "MAC", "TWN", "KOR", "PRK", "VNM"}
# A spell of a listed person's office starting or ending this close to one of their roles of the
# same office is that role dated differently (Suminwa named in April, in office in June 2024).
SAME_ROLE_DAYS = 90
Spell = collections.namedtuple("Spell", "iso title full short surname nick start end monarch")


def runs(obs):
    """(country, office, sightings) per holder: consecutive sightings under the same first given
    name and surname (not the surname alone: three Danish Rasmussens, the two Chadian Débys)."""
    by_office = collections.defaultdict(dict)
    for edition, iso, h in sorted(obs, key=lambda o: o[0]):
        by_office[(iso, h[0])].setdefault(edition, h)
    for (iso, office), seen in by_office.items():
        run = []
        for year, h in sorted(seen.items()):
            if run and not same_holder(run[-1][1], h):
                yield iso, office, run
                run = []
            run.append((year, h))
        yield iso, office, run


def same_holder(a, b):
    """Two sightings of one holder: same first given name and surname, or a respelt surname
    with the same start (TRUONG Tan Sang and TRONG Tan Sang, both since 25 July 2011)."""
    return fold(a[4]) == fold(b[4]) or (a[7] == b[7] and similar_surname(
        fold(a[5]).split(" ")[-1], fold(b[5]).split(" ")[-1]))


def since(run):
    """The start date given most often in a run (the earliest on a tie): a stray date in one
    edition does not move it."""
    counts = collections.Counter(h[7] for _, h in run)
    return min(counts, key=lambda d: (-counts[d], d))


def office_spells(obs, dates):
    """One Spell per run; `end` is None when unknown (the next holder is not seen in the next
    edition, or still in office in a last edition older than RECENT), "" when in office.
    Observations are (edition number, iso, holder); `dates` the editions' dates."""
    by_office = collections.defaultdict(list)
    for iso, office, run in runs(obs):
        by_office[(iso, office)].append(run)
    for (iso, _), office_runs in by_office.items():
        for i, run in enumerate(office_runs):
            start, last, end = since(run), run[-1][0], None
            if last == len(dates) - 1 and dates[last] >= RECENT:
                end = ""
            elif i + 1 < len(office_runs):
                nxt = office_runs[i + 1]
                nstart = since(nxt)
                if nxt[0][0] == last + 1 and (dates[last + 1] - dates[last]).days <= GAP_DAYS \
                        and bound(start, True) < nstart and int(nstart[:4]) >= dates[last].year - 1:
                    end = nstart
            pick = collections.Counter(h[1:7] for _, h in run).most_common(1)[0][0]
            title, base, full, short, surname, nick = pick
            yield Spell(iso, title, full, short, surname, nick, start, end, base in MONARCHS)


def spells(obs, dates):
    """Spells with a known end. One person's spells with one title are first joined across the
    two offices (the Factbook moves a president from "head of government" to "chief of state"
    when a prime minister is named): a joined spell with an unknown end in any part is dropped."""
    groups = collections.defaultdict(list)
    for sp in office_spells(obs, dates):
        groups[(sp.iso, fold(sp.short), sp.title)].append(sp)
    out = []
    for group in groups.values():
        group.sort(key=lambda sp: sp.start)
        joined = [group[0]]
        for sp in group[1:]:
            prev = joined[-1]
            if prev.end is None or sp.start <= bound(prev.end, True):
                ends = [prev.end, sp.end]
                end = None if None in ends else max(ends, key=lambda e: bound(e, True))
                joined[-1] = prev._replace(end=end)
            else:
                joined.append(sp)
        out += [sp for sp in joined if sp.end is not None]
    return out


def base_title(title):
    words = title.split(" ")
    return " ".join(words[1:]) if words[0] in QUALIFIERS else title


def conflicts(rows, sp, seen):
    """Someone else listed for the country held the same office in the middle of the spell, or
    was the Archigos/REIGN `Leader` then without ever being named by the Factbook (`seen`: folded
    surnames per country; a `Leader` it names held the other office): the Factbook missed a holder
    between two editions (it kept Katainen until Sipilä, without Stubb), so the spell's end or
    start is wrong."""
    lo = day(sp.start, False) + datetime.timedelta(days=30)
    hi = (day(sp.end, True) if sp.end else datetime.date(9999, 1, 1)) - datetime.timedelta(days=30)
    if hi <= lo:
        return False
    inner = (lo.isoformat(), hi.isoformat())
    mine = {fold(n) for n in (sp.full, sp.short, sp.nick) if n}
    for r in rows:
        if len(r) < 6 or r[4] != sp.iso or mine & {fold(a.lstrip("=?")) for a in [r[1]] + r[2].split("|") if a}:
            continue
        named = any(w in seen.get(sp.iso, ()) for w in fold(r[1]).split(" ")[1:] + [fold(r[3])])
        for p in filter(None, (x.strip() for x in r[5].split(";"))):
            title, rng = p.rsplit(" ", 1)
            same = base_title(title) == base_title(sp.title) or (title == "Leader" and not named)
            if same and overlaps(inner, tuple(rng.split(".."))):
                return True
    return False


def surnames_seen(obs):
    seen = collections.defaultdict(set)
    for _, iso, h in obs:
        seen[iso].update(fold(h[5]).split(" "))
    return seen


def shared_heads(obs):
    """Folded names of chiefs of state of more than one country in the same edition."""
    seen = collections.defaultdict(set)
    for year, iso, h in obs:
        if h[0] == "chief of state":
            seen[(year, fold(h[3]))].add(iso)
    return {name for (_, name), isos in seen.items() if len(isos) > 1}


def days(a, b):
    pa, pb = bound(a, False), bound(b, False)
    if len(pa) < 10 or len(pb) < 10:
        return 999
    return abs((datetime.date.fromisoformat(pa) - datetime.date.fromisoformat(pb)).days)


def find_person(rows, sp):
    """(row, exact) of the person listed for the country under one of the spell's names (exact),
    or with a surname alike and a role overlapping the spell (not exact), or (None, False)."""
    names = {fold(n) for n in (sp.full, sp.short, sp.nick) if n}
    sur = fold(sp.surname).split(" ")[-1]
    alike = None
    for r in rows:
        if len(r) < 6 or r[4] != sp.iso:
            continue
        if names & {fold(a.lstrip("=?")) for a in [r[1]] + r[2].split("|") if a}:
            return r, True
        words = fold(r[1]).split(" ") + fold(r[3]).split(" ")
        if alike is None and any(similar_surname(sur, w) for w in words) and any(
                overlaps((sp.start, sp.end), h) for h in role_periods(r[5])):
            alike = r
    return alike, False


def merge_into(row, sp, exact):
    """Retitles an Archigos role of a listed person, or (exact name only) adds the spell as a
    role; True when the row changed."""
    roles = [p.strip() for p in row[5].split(";") if p.strip()]
    for k, p in enumerate(roles):
        title, rng = p.rsplit(" ", 1)
        s, e = rng.split("..")
        if overlaps((sp.start, sp.end), (s, e)):
            if title == "Leader" and days(s, sp.start) <= 45:
                roles[k] = f"{sp.title} {rng}"
                row[5] = "; ".join(roles)
                return True
            return False
    if not exact or not near((sp.start, sp.end), row[5], SAME_NAME_GAP) or any(
            base_title(p.rsplit(" ", 1)[0]) == base_title(sp.title) and min(
                days(sp.start, e or "9999"), days(s, sp.end or "9999")) <= SAME_ROLE_DAYS
            for p in roles for s, e in [p.rsplit(" ", 1)[1].split("..")]):
        return False
    row[5] = "; ".join(roles + [f"{sp.title} {sp.start}..{sp.end}"])
    return True


def accents(rows):
    """{(country, folded word): word} for the name words with diacritics of listed rows."""
    out = {}
    for r in rows:
        if len(r) >= 6:
            for w in r[1].split(" "):
                if not w.isascii():
                    out[(r[4], fold(w))] = w
    return out


def accented(name, iso, marks):
    """The name with the diacritics a listed row of the country gives its words (the CIA writes
    none: "Sanchez Ceren" -> "Sánchez Cerén"), or the name itself."""
    return " ".join(marks.get((iso, fold(w)), w) for w in name.split(" "))


def new_row(sp, ids, ordinary, taken, marks, shorts):
    """A row for someone not listed, named as the CIA writes them (RESPELL aside), with the
    diacritics of listed rows of the country as an alias; the short form is left empty when it
    is a word, another listed person's name or short form (Ludovic Orban, Viktor Orbán), or a
    monarch's name."""
    full = " ".join(RESPELL.get(w, w) for w in sp.full.split(" "))
    east = sp.iso in FAMILY_FIRST
    names = [n for n in dict.fromkeys((full, None if east else accented(full, sp.iso, marks),
                                       sp.full, None if east else sp.short, sp.nick)) if n]
    if any(fold(n) in taken for n in names) or len(sp.full.split()) < 2:
        return None
    pid = slug(sp.full) if slug(sp.full) not in ids else f"{slug(sp.full)}-{sp.iso.lower()}"
    if pid in ids:
        return None
    short = accented(" ".join(RESPELL.get(w, w) for w in sp.surname.split(" ")), sp.iso, marks)
    if east or sp.monarch or len(short) < 4 or any(fold(short) in x for x in (ordinary, taken, shorts)):
        short = ""
    return [pid, full, "|".join(names[1:]), short, sp.iso, f"{sp.title} {sp.start}..{sp.end}"]


def dated(annual, weekly):
    """Observations numbered by edition, oldest first, and the editions' dates: the annual
    editions (dated 1 July) before the first weekly snapshot, then the snapshots."""
    first = min((w[0] for w in weekly), default=datetime.date(9999, 1, 1))
    obs = [(datetime.date(y, 7, 1), iso, h) for y, iso, h in annual if y < first.year] + weekly
    dates = sorted({o[0] for o in obs})
    number = {d: i for i, d in enumerate(dates)}
    return [(number[d], iso, h) for d, iso, h in obs], dates


def measure(rows, spells_, since="2020-11-01"):
    """Date error against the roles already listed with exact dates: for the spells ending (or
    starting) from `since` on whose person and office are listed with an overlapping role dated
    to the day, how many starts and ends differ by more than 45 days."""
    n = bad_start = n_end = bad_end = 0
    for sp in spells_:
        if bound(sp.end, True) < since:
            continue
        person, exact = find_person(rows, sp)
        if not exact:
            continue
        for title, rng in (p.strip().rsplit(" ", 1) for p in person[5].split(";") if p.strip()):
            s, e = rng.split("..")
            if base_title(title) != base_title(sp.title) or len(s) < 10 or not overlaps((sp.start, sp.end), (s, e)):
                continue
            n += 1
            bad_start += days(s, sp.start) > 45
            if e and sp.end and len(e) == 10:
                n_end += 1
                bad_end += days(e, sp.end) > 45
            break
    print(f"measured: {bad_start} of {n} starts and {bad_end} of {n_end} ends differ by >45 days",
          file=sys.stderr)


def main(archive, dict_dir, words="/usr/share/dict/words", weekly_repo=None):
    path = f"{dict_dir}/leaders.tsv"
    iso2 = {}
    for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8"):
        r = line.rstrip("\n").split("\t")
        if not line.startswith("#") and r[0] != "id" and len(r) > 7 and r[7]:
            iso2[r[7]] = r[0]
    ordinary = ordinary_words(dict_dir) | {w.strip() for w in open(words, encoding="utf-8")
                                           if w.strip().islower()}
    weekly = list(factbook_weekly.weekly(weekly_repo, archive, iso2)) if weekly_repo else []
    obs, dates = dated(editions(archive, iso2), weekly)
    shared = shared_heads(obs)
    obs = [o for o in obs if fold(o[2][3]) not in shared and o[1] not in SKIP]
    header, rows = read_leaders(path)
    taken = {fold(a.lstrip("=?")) for r in rows if len(r) >= 6 for a in [r[1]] + r[2].split("|") if a}
    shorts = {fold(r[3].lstrip("!")) for r in rows if len(r) >= 6 and r[3]}
    marks = accents(rows)
    ids = {r[0] for r in rows}
    added, changed = [], 0
    seen = surnames_seen(obs)
    found = spells(obs, dates)
    measure(rows, found)
    for sp in found:
        if conflicts(rows + added, sp, seen):
            continue
        person, exact = find_person(rows + added, sp)
        if person is not None:
            changed += merge_into(person, sp, exact)
            continue
        row = new_row(sp, ids, ordinary, taken, marks, shorts)
        if row:
            added.append(row)
            ids.add(row[0])
            taken.update(fold(n) for n in [row[1]] + row[2].split("|") if n)
            shorts.add(fold(row[3]))
    write_leaders(path, header, rows, added)
    print(f"added {len(added)}, changed {changed}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
