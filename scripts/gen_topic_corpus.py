#!/usr/bin/env python3
"""Generate a noisy, five-class labelled news corpus for benchmarking topic training.

Public news corpora (BBC News, AG News, 20 Newsgroups) are not ours to ship, so the benchmark
runs on articles generated here: business, entertainment, politics, sport and tech stories
built from sentence templates and per-class vocabularies, written for this project.

What makes it a fair test rather than a toy:
- classes share vocabulary (a "deal" is signed in business, politics and sport; a "launch" is a
  product or a campaign; "record", "star", "game", "minister", "digital", "court", "tax" and
  "market" all cross classes), and every article is padded with generic news sentences;
- each article mixes sentences from its own class with sentences from a second, related class
  (a sports sponsorship story reads partly like business, a tech story partly like politics);
  the share of its own class varies from article to article and is sometimes barely larger;
- about 3% of labels are flipped to another class, as happens with hand labelling;
- lengths vary from 6 to 24 sentences.

Usage:
    python3 scripts/gen_topic_corpus.py [--n 2500] [--seed 7] [--out target/topic-corpus/news5.jsonl]

Output: JSON Lines, one article per line: {"id": "news-00001", "text": "...", "topics": ["sport"]}.
Deterministic for a given --n and --seed. Standard library only.
"""

import argparse
import json
import os
import random

CLASSES = ["business", "entertainment", "politics", "sport", "tech"]

# Which class an article's second-strand sentences come from, by weight.
NEIGHBOURS = {
    "business": {"tech": 4, "politics": 4, "entertainment": 1, "sport": 1},
    "entertainment": {"business": 3, "tech": 3, "sport": 2, "politics": 1},
    "politics": {"business": 5, "tech": 2, "sport": 1, "entertainment": 1},
    "sport": {"business": 4, "entertainment": 3, "politics": 2, "tech": 1},
    "tech": {"business": 5, "entertainment": 2, "politics": 2, "sport": 1},
}

SHARED = {
    "deal": ["deal", "agreement", "contract", "partnership"],
    "record": ["record", "best", "highest", "biggest"],
    "launch": ["launch", "unveiling", "release", "debut"],
    "people": ["people", "fans", "customers", "voters", "viewers", "users"],
    "time": ["this week", "on Monday", "on Tuesday", "last month", "this year", "on Friday",
             "at the weekend", "in the past year", "since January", "over the summer"],
    "said": ["said", "told reporters", "said in a statement", "told the BBC", "confirmed",
             "announced", "admitted", "insisted", "warned", "argued"],
    "number": ["two", "three", "five", "ten", "12", "15", "20", "40", "100", "250"],
    "pct": ["2%", "3.5%", "5%", "8%", "12%", "20%", "a third", "half"],
    "money": ["£1.2m", "£40m", "$3bn", "£500,000", "€200m", "$75m", "£2bn", "£9m"],
}

LEX = {
    "business": {
        "org": ["the company", "the bank", "the retailer", "the airline", "the firm", "the group",
                "the carmaker", "the supermarket chain", "the energy supplier", "the brewer",
                "the insurer", "the mining company", "the central bank", "investors"],
        "noun": ["profits", "shares", "sales", "revenue", "earnings", "prices", "costs",
                 "dividend", "interest rates", "inflation", "the economy", "exports", "demand",
                 "growth", "debt", "the pound", "the dollar", "oil prices", "bonuses", "jobs",
                 "the market", "the stock market", "margins", "orders", "output", "wages",
                 "the takeover", "the merger", "the budget deficit", "consumer spending",
                 "investment", "the shareholders", "the profit warning", "trading"],
        "verb": ["rose", "fell", "jumped", "slumped", "climbed", "dropped", "recovered",
                 "stalled", "grew", "shrank", "beat forecasts", "missed expectations"],
        "person": ["the chief executive", "the finance director", "analysts", "economists",
                   "the chairman", "traders", "a spokeswoman for the firm", "the regulator",
                   "the governor of the central bank", "shareholders"],
        "thing": ["a takeover bid", "a rights issue", "job cuts", "a pay freeze",
                  "a share buyback", "a bond sale", "a new factory", "store closures",
                  "a cost-cutting plan", "a profit warning", "an interest rate rise",
                  "a trade deal", "a market launch", "a pension shortfall"],
    },
    "entertainment": {
        "org": ["the studio", "the band", "the festival", "the broadcaster", "the theatre",
                "the label", "the award organisers", "the production company", "the gallery",
                "the orchestra", "the publisher", "the streaming service"],
        "noun": ["the film", "the album", "the single", "the show", "the series", "the box office",
                 "the soundtrack", "the tour", "the premiere", "the novel", "the musical",
                 "the sequel", "the cast", "the chart", "the ratings", "the audience",
                 "the awards", "the red carpet", "the script", "the director", "the comedy",
                 "the documentary", "the concert", "the ballet", "the exhibition", "the Oscars",
                 "the Brit Awards", "the Grammys", "the Baftas", "the box set"],
        "verb": ["topped the chart", "won an award", "was nominated", "opened to rave reviews",
                 "flopped", "sold out", "broke box office records", "was cancelled",
                 "was renewed for a second series", "drew a standing ovation",
                 "was panned by critics", "went to number one"],
        "person": ["the actress", "the actor", "the singer", "the director", "critics",
                   "the producer", "the rapper", "the comedian", "the star", "the presenter",
                   "the novelist", "the film-maker", "the guitarist", "the judges"],
        "thing": ["a new album", "a film role", "a world tour", "a comeback concert",
                  "a lifetime achievement award", "a television special", "a book deal",
                  "a film adaptation", "a reunion tour", "a nomination for best picture",
                  "a record deal", "a new series", "a West End run"],
    },
    "politics": {
        "org": ["the government", "Labour", "the Conservatives", "the Liberal Democrats",
                "the opposition", "ministers", "MPs", "the Commons", "the Lords", "the cabinet",
                "the Treasury", "the Home Office", "the party", "peers", "the committee",
                "Downing Street", "the council"],
        "noun": ["the election", "the bill", "the vote", "the manifesto", "the campaign",
                 "the poll", "the budget", "tax", "the reforms", "the inquiry", "the referendum",
                 "immigration", "the constitution", "public services", "the NHS", "asylum",
                 "the by-election", "the party conference", "the debate", "the legislation",
                 "the council tax", "the constituency", "the coalition", "the ballot",
                 "the pledge", "the spending review", "identity cards", "civil liberties"],
        "verb": ["was defeated", "was passed", "was delayed", "won the backing of MPs",
                 "faced a rebellion", "was scrapped", "was approved by peers",
                 "split the party", "was put to a vote", "was criticised by the opposition",
                 "gained support", "was challenged in the courts"],
        "person": ["the prime minister", "the chancellor", "the home secretary", "the minister",
                   "the opposition leader", "backbench MPs", "the party leader", "voters",
                   "campaigners", "the foreign secretary", "a government spokesman",
                   "the shadow chancellor", "the speaker", "union leaders"],
        "thing": ["a general election", "a manifesto pledge", "a tax cut", "a cabinet reshuffle",
                  "a free vote", "a public inquiry", "an emergency debate", "a policy review",
                  "a leadership contest", "a new law", "a spending plan", "an election campaign",
                  "a ballot on strike action"],
    },
    "sport": {
        "org": ["the club", "the team", "United", "City", "Rovers", "the England side",
                "the Lions", "the champions", "the visitors", "the hosts", "the squad",
                "the Football Association", "the Rugby Football Union", "the selectors"],
        "noun": ["the match", "the game", "the final", "the league", "the title", "the cup",
                 "the semi-final", "the season", "the tournament", "the championship",
                 "the goal", "the try", "the penalty", "the win", "the defeat", "the draw",
                 "the transfer", "the injury", "the fixture", "the World Cup", "the Six Nations",
                 "the Premiership", "the derby", "the medal", "the race", "the grand slam",
                 "the qualifier", "the relegation battle", "the first half", "the second half"],
        "verb": ["won", "lost", "drew", "scored twice", "was sent off", "was injured",
                 "retained the title", "reached the final", "was knocked out",
                 "set a world record", "signed a new contract", "came from behind to win"],
        "person": ["the striker", "the captain", "the manager", "the coach", "the goalkeeper",
                   "the midfielder", "the winger", "the fly-half", "the sprinter",
                   "the defender", "the referee", "the tennis star", "the boxer",
                   "supporters", "the bowler", "the batsman"],
        "thing": ["a hat-trick", "a late equaliser", "a penalty shoot-out", "a knee injury",
                  "a transfer bid", "a new contract", "a red card", "a winning try",
                  "a gold medal", "a clean sheet", "a comeback win", "a sponsorship deal",
                  "a doping ban", "the opening goal"],
    },
    "tech": {
        "org": ["the software firm", "Microsoft", "Apple", "Google", "the chipmaker",
                "the games maker", "the mobile operator", "the search giant", "the start-up",
                "the broadband provider", "security firms", "the phone maker", "developers",
                "the web firm"],
        "noun": ["the software", "the handset", "the network", "broadband", "the website",
                 "the search engine", "the virus", "spam", "the console", "the chip",
                 "the operating system", "the browser", "the download", "the gadget",
                 "the mobile phone", "the server", "the data", "the technology", "the internet",
                 "the games console", "the music player", "the laptop", "the screen",
                 "the battery", "the network speed", "piracy", "the blog", "the robot",
                 "the wireless network", "the digital camera"],
        "verb": ["crashed", "was hacked", "was upgraded", "was launched", "was patched",
                 "went online", "was downloaded millions of times", "was delayed",
                 "sold out in hours", "was recalled", "was infected", "gained users"],
        "person": ["engineers", "the programmer", "hackers", "users", "gamers", "the inventor",
                   "researchers", "the chief technology officer", "security experts",
                   "the developer", "bloggers", "technology analysts"],
        "thing": ["a software update", "a security flaw", "a new handset", "a faster chip",
                  "a broadband upgrade", "a games console", "a phishing scam",
                  "a patent dispute", "an open-source project", "a wireless service",
                  "a data breach", "a product launch", "a digital music store"],
    },
}

TEMPLATES = [
    "{Person} {said} that {noun} {verb} {time}.",
    "{Org} {said} {noun} {verb} by {pct} {time}.",
    "{Org} is planning {thing}, {person} {said}.",
    "The {deal} with {org} is worth {money}, according to {person}.",
    "{Person} said {thing} would be {record} for {org} in {number} years.",
    "{Noun} {verb} after {thing} {time}.",
    "{Person} blamed {noun} for {thing}.",
    "Critics say {thing} could hurt {noun}, but {person} disagreed.",
    "{Org} faces questions over {noun} and {noun2}.",
    "The {launch} of {thing} is expected {time}, {person} {said}.",
    "It is the {record} result for {org} since {thing}.",
    "{Person} and {person2} met to discuss {noun}.",
    "{Number} {people} responded to {thing}, {person} {said}.",
    "{Org} wants {thing} before {noun} {verb}.",
]

GENERIC = [
    "The announcement came as a surprise to many observers.",
    "Further details are expected to be published later this month.",
    "It is not the first time the issue has attracted attention.",
    "The figures were released on Thursday.",
    "Many {people} said they had been expecting the news for some time.",
    "The decision will be reviewed again next year.",
    "Officials declined to comment on the reports.",
    "Reaction on social media was mixed.",
    "The move follows months of speculation.",
    "More than {number} {people} are thought to be affected.",
    "A spokesman said it was too early to draw conclusions.",
    "The story was first reported by a local newspaper.",
    "Some {people} welcomed the change, while others were sceptical.",
    "It remains unclear what will happen next.",
    "The row is likely to continue for some weeks.",
]


def cap(s):
    return s[:1].upper() + s[1:]


def pick(rng, items):
    # Zipf-like: earlier entries a little more likely, so vocabularies have a head and a tail.
    weights = [1.0 / (1 + 0.15 * i) for i in range(len(items))]
    return rng.choices(items, weights)[0]


def sentence(rng, cls):
    lex = LEX[cls]
    t = rng.choice(TEMPLATES)
    fill = {
        "person": pick(rng, lex["person"]),
        "person2": pick(rng, lex["person"]),
        "org": pick(rng, lex["org"]),
        "noun": pick(rng, lex["noun"]),
        "noun2": pick(rng, lex["noun"]),
        "verb": pick(rng, lex["verb"]),
        "thing": pick(rng, lex["thing"]),
    }
    for k, v in SHARED.items():
        fill[k] = rng.choice(v)
    fill.update({k.capitalize(): cap(v) for k, v in list(fill.items())})
    return t.format(**fill)


def generic(rng):
    fill = {k: rng.choice(v) for k, v in SHARED.items()}
    return rng.choice(GENERIC).format(**fill)


def article(rng, cls):
    other = rng.choices(list(NEIGHBOURS[cls]), list(NEIGHBOURS[cls].values()))[0]
    n = rng.randint(6, 24)
    own = rng.uniform(0.42, 0.8)
    second = rng.uniform(0.1, min(0.4, own - 0.05))
    out = []
    for _ in range(n):
        r = rng.random()
        if r < own:
            out.append(sentence(rng, cls))
        elif r < own + second:
            out.append(sentence(rng, other))
        else:
            out.append(generic(rng))
    # Paragraphs of two to four sentences.
    paras, i = [], 0
    while i < len(out):
        k = rng.randint(2, 4)
        paras.append(" ".join(out[i:i + k]))
        i += k
    return "\n\n".join(paras)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2500, help="number of articles (default 2500)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--noise", type=float, default=0.03, help="share of flipped labels")
    ap.add_argument("--out", default="target/topic-corpus/news5.jsonl")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        for i in range(args.n):
            cls = rng.choice(CLASSES)
            text = article(rng, cls)
            label = cls
            if rng.random() < args.noise:
                label = rng.choice([c for c in CLASSES if c != cls])
            f.write(json.dumps({"id": f"news-{i + 1:05d}", "text": text, "topics": [label]},
                               ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
