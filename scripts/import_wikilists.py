#!/usr/bin/env python3
"""Merges the heads of state and government of Wikipedia's lists of state leaders (20th century
1951-2000, 21st century) into dictionaries/leaders.tsv.

Usage: import_wikilists.py DICT_DIR WORDS PAGE.md...

Each page (as kept, converted to Markdown, by the public repository
chinapedia/wikipedia.abstract.en) lists every state's presidents, prime ministers and monarchs
as "Name, Title (1975-1979)" lines under the state's name, the years those of taking and leaving
office. These names are the ones the press uses, with their diacritics, and the lists include
the heads that Archigos and the Global Leader Ideology dataset leave out (presidents of
parliamentary republics, monarchs before 1990, interim holders).
  - A state is the one named in the section (`_Ghana_`) or, where a section covers several, in
    the polity line under it (`-   Republic of Haiti`); colonies, protectorates, kingdoms inside
    a state, states with limited recognition and former states (East Germany, Yugoslavia, South
    Vietnam, the United Arab Republic...) are left out, and so are Switzerland's and San
    Marino's rotating heads.
  - A state whose entries differ in year from UNRELIABLE or more roles already listed with exact
    dates is left out (its list is garbled on the page).
  - Only the titles of TITLES are taken; an entry still in office ("present") has no known end
    and makes no role; a range that is not two years in order is left out.
  - A monarch listed for several states (George VI) is left out, and so is a new monarch when
    someone is listed as the state's effective leader or monarch during the reign (most likely
    the same person under a full name: Jaber III); monarchs get no short form.
  - Each role is dated to the year (`President 1975..1979`). Someone listed for the state with a
    surname alike at an overlapping time is that person (left alone); the same name within 20
    years of their roles gets the role as an earlier or later one; anyone else is a new row
    with the name without diacritics as an alias and the surname as short form where it is
    safe (import_gli.give_shorts).
Rows are facts restated in our format; the page text itself is not kept.
"""
import collections
import re
import sys
import unicodedata

from import_archigos import overlaps, read_leaders, role_periods, slug, write_leaders
from import_factbook import FAMILY_FIRST, SAME_NAME_GAP
from import_gli import clashes, fold, give_shorts, place_words, same_name, spelt_alike
from import_reign import near, ordinary_words, similar_surname

TITLES = {
    "president": "President", "prime minister": "Prime Minister",
    "interim president": "Interim President", "acting president": "Acting President",
    "interim prime minister": "Interim Prime Minister",
    "acting prime minister": "Acting Prime Minister", "chancellor": "Chancellor",
    "premier": "Premier", "taoiseach": "Taoiseach", "king": "King", "queen": "Queen",
    "emir": "Emir", "sultan": "Sultan", "grand duke": "Grand Duke",
    "grand duchess": "Grand Duchess", "chairman of the council of ministers":
        "Chairman of the Council of Ministers",
}
SKIP_STATES = {"CHE", "SMR"}
MONARCHS = {"King", "Queen", "Emir", "Sultan", "Grand Duke", "Grand Duchess"}
UNRELIABLE = 3
# The page's own errors: the rotating presidents of Iraq's Governing Council (2003-04) are listed
# as prime ministers.
# Todor Zhivkov is listed as President in 1990, an office Petar Mladenov held.
WRONG = {("IRQ", "Prime Minister", "2003"), ("IRQ", "Prime Minister", "2004"),
         ("BGR", "President", "1990", "Todor Zhivkov")}
# Polities that are no sovereign state of today under the section's name.
NOT_STATES = re.compile(
    r"French|British|Portuguese|Spanish|Belgian|Italian|Dutch|German Democratic|East Germany|"
    r"Colony|Protectorate|Trust Territory|under Britain|Mandate|Mali Federation|Federation of |"
    r"West Indies Federation|Soviet Socialist|"
    r"Yugoslavia|Czechoslovak|South Vietnam|Republic of Vietnam|South Yemen|People's Democratic "
    r"Republic of Yemen|United Arab Republic|limited recognition|Rhodesia|Somaliland|Tibet|"
    r"Kingdom of Sine|Mossi|Ashanti|Asante|Buganda|Ankole|Bunyoro|Toro|Zanzibar|Biafra|Katanga|Cyrenaica|"
    r"Ruanda-Urundi|Lagos|Hejaz|Manchukuo|Sikkim|Hyderabad|Palestin|Sahrawi|Transkei|Bophuthatswana|"
    r"Venda|Ciskei|Northern Cyprus|Abkhazia|Ossetia|Transnistria|Nagorno|Republika Srpska|"
    r"Herzeg-Bosnia|Krajina|Chechen|Ichkeria|Somaliland|Puntland|Government in exile|in exile")
# Sections that cover several states: the polity line names the state.
BY_POLITY = {"Greater Antilles: Hispaniola", "Lesser Antilles", "Yugoslavia: Serbia & Yugoslavia",
             "Czechoslovakia", "Vietnam", "Yemen", "Germany", "Congo: Belgian", "Congo: French"}
SECTION_FIX = {"Congo: Belgian": "COD", "Congo: French": "COG"}
NOT_A_PERSON = re.compile(r"\b(Council|Commission|Committee|Junta|Directory|Directorate|Regency|"
                          r"Presidium|Triumvirate|Government|Command|Front|Vacant|vacant)\b")
ENTRY = re.compile(r"^\s*:+\*\s*(.*)$")
PAIR = re.compile(r"([^,()]+?)\s*\(([^()]*)\)")


def country_names(dict_dir):
    """{folded name: id} from the name, official and historical names of countries.tsv."""
    out = {}
    for line in open(f"{dict_dir}/countries.tsv", encoding="utf-8"):
        r = line.rstrip("\n").split("\t")
        if line.startswith("#") or r[0] == "id" or len(r) < 4:
            continue
        for n in [r[1]] + r[2].split("|") + r[3].split("|"):
            if n:
                out[fold(n)] = r[0]
    return out


def find_state(text, names):
    """The id of the country whose longest name the text contains as whole words."""
    t = f" {fold(text)} "
    hits = [(len(n), i) for n, i in names.items() if f" {n} " in t]
    return max(hits)[1] if hits else None


def years(text):
    """[(start, end)] of "1975-1979", "1969" or "1927-1953, 1955-1957"; open or odd ranges left out."""
    out = []
    for part in text.replace("\u2013", "-").replace("\u2014", "-").split(","):
        m = re.fullmatch(r"\s*(\d{4})(?:\s*-\s*(\d{4}))?\s*", part)
        if m and (not m.group(2) or m.group(2) >= m.group(1)):
            out.append((m.group(1), m.group(2) or m.group(1)))
    return out


def person_name(raw):
    """The entry's name, or None when it is no one person's full name."""
    name = re.sub(r"_[^_]*_|\[[^\]]*\]", "", raw).strip(" ,:")
    words = name.split()
    while words and words[0] in ("Sheikh", "Shaikh", "Prince", "Princess", "Sir", "Dr.", "General"):
        words = words[1:]
    # "Faisal I": the regnal number I is also the pronoun ("Saad I think").
    if len(words) < 2 or len(name) < 6 or words[-1] == "I" or NOT_A_PERSON.search(name) \
            or re.search(r"\d", name):
        return None
    if not all(re.fullmatch(r"[^\W\d_][\w'\u2019.-]*", w) for w in words):
        return None
    return " ".join(words)


def state_of(section, polity, names):
    """The state a polity line names, else its section's (the 20th-century page puts several
    states' polities under one section, and a section's name stays in force until the next)."""
    if NOT_STATES.search(polity or ""):
        return None
    if section in SECTION_FIX:
        return SECTION_FIX[section]
    own = find_state(polity or "", names)
    if own or not section or section in BY_POLITY:
        return own
    return find_state(section.split(":")[-1].split("/")[0], names)


def entries(path, names):
    """(state id, name, title, start year, end year) of every usable line of a page."""
    section = polity = pending = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if re.fullmatch(r"_[^_]+_", line.strip()) and not line.startswith(" "):
            section, polity, pending = line.strip("_ "), None, None
            continue
        if line.startswith("-   "):
            polity, pending = line[4:], None
            continue
        m = ENTRY.match(line)
        if not m or "(complete list)" in m.group(1):
            continue
        text = m.group(1).strip()
        if line.lstrip().startswith(":::") and pending:
            name, rest = pending, text
        elif "," in text:
            name, rest = text.split(",", 1)
            pending = None
        else:
            pending = None if "(" in text else text
            continue
        iso, who = state_of(section, polity, names), person_name(name)
        if not iso or not who or iso in SKIP_STATES:
            continue
        for title, rng in PAIR.findall(rest):
            t = None if "_" in title else TITLES.get(title.strip().lower())  # "_de facto_ ..."
            for s, e in years(rng) if t else []:
                if (iso, t, s) not in WRONG and (iso, t, s, who) not in WRONG:
                    yield iso, who, t, s, e


def merged(found):
    """The entries with the consecutive ranges of one person and title joined (Mobutu is listed
    under the Republic of the Congo to 1971 and under Zaire from 1971)."""
    out = []
    for e in sorted(set(found), key=lambda x: (x[0], x[1], x[2], x[3])):
        if out and out[-1][:3] == e[:3] and e[3] <= out[-1][4]:
            out[-1] = out[-1][:4] + (max(e[4], out[-1][4]),)
        else:
            out.append(e)
    return out


def listed_alike(rows, iso, name, period):
    """Someone listed for the country at an overlapping time with a name word alike (the first
    given name aside; spellings alike too: Hegazi and Hejazi)."""
    words = [w for w in fold(name).split()[1:] if len(w) > 2]
    for r in rows:
        if len(r) < 6 or r[4] != iso or not any(overlaps(period, h) for h in role_periods(r[5])):
            continue
        theirs = fold(" ".join([r[1], r[2].replace("|", " "), r[3].lstrip("!")])).split()
        if any(similar_surname(w, t) for w in words for t in theirs if len(t) > 2):
            return True
    return False


def measure(rows, found):
    """Year error against listed roles of the same title dated to the day: for each entry whose
    person is listed with an overlapping role of that title, the role starting nearest. Returns
    the states with UNRELIABLE or more differing entries: the page's list is garbled there
    (Japan's gives each prime minister's first cabinet only), and they are left out."""
    n = bad_s = n_e = bad_e = 0
    bad = collections.Counter()
    for iso, name, title, s, e in found:
        person = same_name(rows, iso, name)
        mine = [rng.split("..") for t, rng in (p.strip().rsplit(" ", 1) for p in
                (person[5] if person else "").split(";") if p.strip()) if t == title]
        mine = [(a, b) for a, b in mine if len(a) == 10 and overlaps((a, b), (s, e))]
        if not mine:
            continue
        a, b = min(mine, key=lambda r: abs(int(r[0][:4]) - int(s)))
        n += 1
        bad_s += a[:4] != s
        n_e += len(b) == 10
        bad_e += len(b) == 10 and b[:4] != e
        bad[iso] += a[:4] != s or (len(b) == 10 and b[:4] != e)
    print(f"measured: {bad_s} of {n} start years and {bad_e} of {n_e} end years differ",
          file=sys.stderr)
    return {iso for iso, k in bad.items() if k >= UNRELIABLE}


def shared_monarchs(found):
    """The names of monarchs listed for several states (George VI for each of his realms): they
    belong to one, and are left out."""
    states = collections.defaultdict(set)
    for iso, name, title, _, _ in found:
        if title in MONARCHS:
            states[name].add(iso)
    return {n for n, isos in states.items() if len(isos) > 1}


def ruler_listed(rows, iso, roles):
    """Someone listed for the state as its effective leader or monarch while this monarch
    reigned: most likely the same person under a full name (Jaber III, Jaber Al-Ahmad)."""
    for r in rows:
        if len(r) >= 6 and r[4] == iso:
            for part in filter(None, (x.strip() for x in r[5].split(";"))):
                t, rng = part.rsplit(" ", 1)
                if (t in MONARCHS or t == "Leader") and any(
                        overlaps((s, e), tuple(rng.split(".."))) for rt, s, e in roles if rt in MONARCHS):
                    return True
    return False


def ascii_form(name):
    s = unicodedata.normalize("NFKD", name.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o",
                                                                      "Ø": "O", "đ": "d", "ı": "i"})))
    return "".join(c for c in s if not unicodedata.combining(c))


def merge(dict_dir, words, *pages):
    path = f"{dict_dir}/leaders.tsv"
    names = country_names(dict_dir)
    word_list = [w.strip() for w in open(words, encoding="utf-8") if w.strip()]
    ordinary = ordinary_words(dict_dir) | {fold(w) for w in word_list if w.islower()}
    ordinary |= place_words(dict_dir)
    known = {w for w in word_list if w[:1].isupper() and "'" not in w}
    found = merged(e for p in pages for e in entries(p, names))
    header, rows = read_leaders(path)
    garbled = measure(rows, found) | shared_monarchs(found)
    print(f"left out: {' '.join(sorted(garbled))}", file=sys.stderr)
    people, extended = collections.OrderedDict(), 0
    for iso, name, title, s, e in (f for f in found if not {f[0], f[1]} & garbled):
        person = same_name(rows, iso, name)
        if person is None and listed_alike(rows, iso, name, (s, e)):
            continue
        if person is not None:
            if near((s, e), person[5], SAME_NAME_GAP) and not clashes(title, (s, e), person[5]):
                person[5] += f"; {title} {s}..{e}"
                extended += 1
            continue
        roles = people.setdefault((iso, name), [])
        if not clashes(title, (s, e), "; ".join(f"{t} {a}..{b}" for t, a, b in roles)):
            roles.append((title, s, e))
    taken = {fold(a.lstrip("=?")) for r in rows if len(r) >= 6 for a in [r[1]] + r[2].split("|") if a}
    ids = {r[0] for r in rows}
    added = []
    for (iso, name), roles in people.items():
        pid = slug(name) if slug(name) not in ids else f"{slug(name)}-{iso.lower()}"
        if fold(name) in taken or pid in ids or spelt_alike(rows + added, iso, name) or (
                MONARCHS & {t for t, _, _ in roles} and ruler_listed(rows, iso, roles)):
            continue
        alias = ascii_form(name) if ascii_form(name) != name else ""
        roles.sort(key=lambda t: t[1])
        added.append([pid, name, alias, "", iso, "; ".join(f"{t} {s}..{e}" for t, s, e in roles)])
        ids.add(pid)
        taken.add(fold(name))
    give_shorts(added, rows, ordinary, known)
    for r in added:
        if any(p.strip().rsplit(" ", 1)[0] in MONARCHS for p in r[5].split(";")):
            r[3] = ""  # a monarch's name alone is no surname (Sisavang Vong)
    write_leaders(path, header, rows, added)
    print(f"added {len(added)}, extended {extended}", file=sys.stderr)
    return len(added) + extended


def main(dict_dir, words, *pages):
    """Merges until nothing changes: a role added in one pass can bring an earlier role of the
    same person within SAME_NAME_GAP years in the next (a rerun then changes nothing)."""
    while merge(dict_dir, words, *pages):
        pass


if __name__ == "__main__":
    main(*sys.argv[1:])
