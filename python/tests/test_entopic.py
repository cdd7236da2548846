"""The Python package against its promises: the CLI's records and mentions.csv, exact offsets in
Python string indices, order under parallelism, and clear exceptions for bad input.

The CLI binary to compare with is $ENTOPIC_BIN (the Makefile passes the one cargo built)."""

import csv
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import entopic

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("ENTOPIC_BIN", str(ROOT / "target" / "debug" / "entopic"))

DOCS = [
    {"id": "k1", "text": "Kim Jong Un met Xi Jinping in Beijing.", "date": "2019-06-20"},
    {"id": "k2", "text": "President Obama met Kim Jong Un near Pyongyang. =Iran",
     "date": "2015-06-01", "source": "wire"},
    {"id": "u3", "text": "Ukraine’s Volodymyr Zelensky 🇺🇦 said Russia fired Kh-101 missiles at Kyiv.\n"
                         "Héllo — Iran and the Shahed-136 drones…", "title": "Strikes"},
    {"id": "e4", "text": ""},
    {"id": "=5", "text": "Tehran and Washington talked sanctions again; Iran's nuclear program."},
]


@pytest.fixture(scope="module")
def pipeline():
    return entopic.Pipeline()


def cli(args, stdin):
    if not Path(BIN).exists():
        pytest.skip(f"no entopic binary at {BIN} (set ENTOPIC_BIN)")
    done = subprocess.run([BIN, *args], input=stdin, capture_output=True, check=True)
    return done.stdout


def jsonl(docs):
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode()


def test_readme_example(pipeline):
    record = pipeline.analyze("Kim Jong Un met Xi Jinping in Beijing.")
    found = [(m["type"], m["id"], m["text"], m["start"], m["end"]) for m in record["entities"]]
    assert found == [
        ("leader", "kim-jong-un", "Kim Jong Un", 0, 11),
        ("leader", "xi-jinping", "Xi Jinping", 16, 26),
        ("country", "CHN", "Beijing", 30, 37),
    ]
    assert record["id"] == "0"


def test_records_equal_the_cli_jsonl(pipeline):
    expected = [json.loads(line) for line in
                cli(["extract", "-", "--input-format", "jsonl", "--quiet"], jsonl(DOCS)).splitlines()]
    assert pipeline.analyze_many(DOCS) == expected
    one = DOCS[1]
    meta = {k: v for k, v in one.items() if k not in ("id", "text", "date")}
    assert pipeline.analyze(one["text"], id=one["id"], date=one["date"], meta=meta) == expected[1]


def test_offsets_are_python_string_indices(pipeline):
    doc = DOCS[2]
    record = pipeline.analyze(doc["text"])
    assert [m["text"] for m in record["entities"]][:4] == ["Ukraine", "Volodymyr Zelensky", "Russia",
                                                           "Kh-101"]
    encoded = doc["text"].encode("utf-8")
    for m in record["entities"]:
        assert doc["text"][m["start"]:m["end"]] == m["text"]
        assert encoded[m["byte_start"]:m["byte_end"]].decode("utf-8") == m["text"]


def test_analyze_many_keeps_order_on_many_threads(pipeline):
    docs = [{"id": f"d{i}", "text": DOCS[i % len(DOCS)]["text"]} for i in range(600)]
    one_by_one = [pipeline.analyze(d["text"], id=d["id"]) for d in docs]
    assert pipeline.analyze_many(docs, jobs=4, batch_size=64) == one_by_one
    assert pipeline.analyze_many(iter(d["text"] for d in docs[:3])) == [
        pipeline.analyze(d["text"], id=str(i)) for i, d in enumerate(docs[:3])]


def test_threads_share_one_pipeline(pipeline):
    expected = pipeline.analyze_many(DOCS)
    results = [None] * 4

    def work(i):
        results[i] = pipeline.analyze_many(DOCS, jobs=2)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_mentions_table_equals_mentions_csv(pipeline, tmp_path):
    source = tmp_path / "docs.jsonl"
    source.write_bytes(jsonl(DOCS))
    cli(["extract", str(source), "--out", str(tmp_path / "out"), "--format", "csv", "--quiet"], b"")
    with open(tmp_path / "out" / "mentions.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table = pipeline.to_arrow(DOCS)
    assert table.column_names == list(entopic.MENTION_COLUMNS)
    assert table.num_rows == len(rows) > 10
    for got, want in zip(table.to_pylist(), rows):
        attributes = "; ".join(f"{k}={v}" for k, v in got["attributes"])
        in_office = {None: "", True: "true", False: "false"}[got["in_office"]]
        as_csv = {**got, "attributes": attributes, "in_office": in_office,
                  "role": got["role"] or ""}
        # mentions.csv neutralizes formula-like cells for spreadsheets; the table keeps values.
        want = {k: v[1:] if v.startswith("'=") else v for k, v in want.items()}
        assert {k: str(v) for k, v in as_csv.items()} == want


def test_frames(pipeline):
    pd = pytest.importorskip("pandas")
    records = pipeline.analyze_many(DOCS)
    frame = entopic.mentions_frame(records, [d["text"] for d in DOCS])
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(entopic.MENTION_COLUMNS)
    assert str(frame["start"].dtype) == "int64"
    assert frame.loc[0, ["doc_id", "entity_id", "start", "end"]].tolist() == [
        "k1", "kim-jong-un", 0, 11]
    no_text = entopic.mentions_table(records)
    assert no_text.column("context").null_count == no_text.num_rows


def test_date_decides_the_role(pipeline):
    text = "Barack Obama spoke."
    then = pipeline.analyze(text, date="2012-01-01")["entities"][0]
    later = pipeline.analyze(text, date="2020-01-01")["entities"][0]
    assert (then["in_office"], then["role"]) == (True, "President")
    assert later["in_office"] is False
    default = entopic.Pipeline(date="2012-01-01").analyze(text)["entities"][0]
    assert default["in_office"] is True


@pytest.mark.parametrize("kwargs, message", [
    ({"date": "June 2019"}, 'date "June 2019" is not a date of the form YYYY-MM-DD'),
    ({"date": "2019-13-01"}, 'date "2019-13-01" is not a date of the form YYYY-MM-DD'),
    ({"topic_threshold": 7.0}, "topic_threshold 7 is outside 0..1"),
    ({"top": 0}, "top must be a positive int, not 0"),
])
def test_bad_settings_raise_input_error(kwargs, message):
    with pytest.raises(entopic.InputError, match=message) as raised:
        entopic.Pipeline(**kwargs)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, entopic.Error)


def test_bad_documents_raise_input_error(pipeline):
    with pytest.raises(entopic.InputError, match="lone surrogate at index 3"):
        pipeline.analyze("abc\ud800def")
    with pytest.raises(entopic.InputError, match="text must be a str, not bytes"):
        pipeline.analyze(b"Iran")
    with pytest.raises(entopic.InputError, match='document 1: no "text" field'):
        pipeline.analyze_many([{"text": "Iran"}, {"body": "Iran"}])
    with pytest.raises(entopic.InputError, match="document 0: expected a str or a mapping"):
        pipeline.analyze_many([42])
    with pytest.raises(entopic.InputError, match="jobs must be a positive int, not 0"):
        pipeline.analyze_many(["Iran"], jobs=0)
    with pytest.raises(entopic.InputError, match='date "yesterday" is not a date'):
        pipeline.analyze("Iran", date="yesterday")


def test_dictionary_folders(tmp_path):
    with pytest.raises(entopic.DictionaryError, match="No such file or directory"):
        entopic.Pipeline(dicts=tmp_path / "missing")
    with pytest.raises(entopic.DictionaryError, match="default_dicts=False needs dicts"):
        entopic.Pipeline(default_dicts=False)
    (tmp_path / "ships.tsv").write_text("id\tname\taliases\nzorblat\tZorblat Station\t\n",
                                        encoding="utf-8")
    p = entopic.Pipeline(dicts=tmp_path)
    assert p.types == ["country", "leader", "weapon", "ship"]
    found = [(m["type"], m["id"]) for m in p.analyze("The Zorblat Station left Murmansk.")["entities"]]
    assert found == [("ship", "zorblat")]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.tsv").write_text("id\tname\taliases\n\tNo Id\t\n", encoding="utf-8")
    with pytest.raises(entopic.DictionaryError, match=r"x\.tsv:2: "):
        entopic.Pipeline(dicts=tmp_path / "bad")


def test_bad_topic_model(tmp_path):
    model = tmp_path / "model.tsv"
    model.write_text("not a model\n", encoding="utf-8")
    with pytest.raises(entopic.TopicModelError, match="model.tsv"):
        entopic.Pipeline(topic_model=model)


def test_docstring_example():
    import doctest

    result = doctest.testmod(entopic)
    assert (result.attempted, result.failed) == (4, 0)


def test_title_in_text_tags_the_title_like_the_cli(pipeline):
    doc = {"id": "t1", "title": "Putin flies to Pyongyang", "text": "Talks with Kim Jong Un began."}
    spans = lambda record: [(e["text"], e["start"], e["end"]) for e in record["entities"]]
    plain = pipeline.analyze_many([doc])[0]
    assert spans(plain) == [("Kim Jong Un", 11, 22)]
    titled = pipeline.analyze_many([doc], title_in_text=True)[0]
    assert spans(titled) == [("Putin", 0, 5), ("Pyongyang", 15, 24), ("Kim Jong Un", 37, 48)]
    cli = subprocess.run([BIN, "extract", "-", "--title-in-text", "--quiet"],
                         input=json.dumps(doc), capture_output=True, text=True, check=True)
    assert json.loads(cli.stdout)["entities"] == titled["entities"]
    table = pipeline.to_arrow([doc], title_in_text=True)
    assert table.column("context").to_pylist()[0].startswith("Putin flies to Pyongyang")
