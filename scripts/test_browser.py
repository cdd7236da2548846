#!/usr/bin/env python3
"""Open the entopic report in a real browser: `make test-browser`.

Runs `entopic extract --report` on the bundled `data/` plus a few hostile documents (markup and
script in texts, titles and ids) into a temporary folder, then opens `report.html` in headless
Chromium (Debian's `chromium` package) and checks that:

- the page script ran to the end (`<html data-ready="1">`), the error banner stayed hidden, and
  Chromium logged no console message at all (the page logs nothing by design, so any message is
  an uncaught exception, a Content-Security-Policy violation or a failed load);
- the document table shows every document, `#q=` searches it and `#doc=ID` opens a document with
  its mentions in context;
- no hostile document created an element or ran script;
- a screenshot is saved (default `out/report.png`, 1400x2000; `REPORT_SCREENSHOT` to change).

Without Chromium it prints why it skipped and exits 0. Only the Python standard library is used.
Environment: `CHROMIUM` (browser binary), `ENTOPIC_BIN` (default `target/release/entopic`),
`KEEP=1` keeps the temporary folder.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = re.compile(r':CONSOLE[:(]\d*\)?\]\s*(.*)$')
HOSTILE_ID = "xss-<svg onload=document.title='PWNED'>"
QUOTED_ID = 'wire "77" & <co>'  # 13.16: #doc= must find ids with quotes


def find_chromium():
    named = os.environ.get("CHROMIUM")
    if named:
        return named if shutil.which(named) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_hostile(folder):
    folder.mkdir()
    (folder / "xss.txt").write_text(
        "Russia and Ukraine met in Geneva. <img src=x onerror=\"document.title='PWNED'\"> "
        "<script>document.title='PWNED'</script> <b id=pwned>bold</b> "
        "</script><script>document.body.id='pwned'</script>\n",
        encoding="utf-8",
    )
    record = {
        "id": HOSTILE_ID,
        "title": "<img src=x onerror=\"document.body.id='pwned'\"> Putin in Moscow",
        "text": "Vladimir Putin spoke in Moscow. <iframe src=\"javascript:document.title='PWNED'\"></iframe>",
    }
    quoted = {"id": QUOTED_ID, "text": "Emmanuel Macron met Olaf Scholz in Berlin."}
    # 13.14: two documents with one id each show their own context.
    twins = [{"id": "twin", "text": "Iran and Iraq signed."},
             {"id": "twin", "text": "Talks with Cuba went on."}]
    lines = [json.dumps(r) for r in [record, quoted] + twins]
    (folder / "xss.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def chromium_run(chromium, profile, args, url):
    cmd = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox.
    proc = subprocess.run(cmd + args + [url], capture_output=True, text=True, timeout=180)
    console = [m.group(1) for m in map(CONSOLE.search, proc.stderr.splitlines()) if m]
    return proc, console


def dump(chromium, profile, url):
    proc, console = chromium_run(chromium, profile, ["--dump-dom"], url)
    check(proc.returncode == 0, f"chromium exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    check(not console, f"console messages at {url}:\n" + "\n".join(console))
    dom = proc.stdout
    check('data-ready="1"' in dom, f"the page script did not finish at {url}")
    check('<div id="jserror" hidden="">' in dom, f"the error banner is showing at {url}")
    for injected in ("<img", "<iframe", 'id="pwned"', "PWNED</title>"):
        check(injected not in dom, f"a hostile document injected {injected!r} at {url}")
    return dom


def rows_shown(dom):
    m = re.search(r'<html[^>]*\sdata-rows="(\d+)"', dom)
    check(m is not None, "no data-rows on <html>")
    return int(m.group(1))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def main():
    chromium = find_chromium()
    if chromium is None:
        print("test-browser: SKIPPED: Chromium not found (install Debian's `chromium` package, "
              "or set CHROMIUM=/path/to/chromium)")
        return 0
    entopic = Path(os.environ.get("ENTOPIC_BIN", ROOT / "target/release/entopic"))
    if not entopic.is_file():
        print(f"test-browser: {entopic} missing; run `make build` first", file=sys.stderr)
        return 2
    screenshot = Path(os.environ.get("REPORT_SCREENSHOT", ROOT / "out/report.png"))
    tmp = Path(tempfile.mkdtemp(prefix="entopic-browser-"))
    try:
        write_hostile(tmp / "hostile")
        out = tmp / "out"
        run = subprocess.run(
            [str(entopic), "extract", "data", str(tmp / "hostile"), "--exclude", "README.md",
             "--out", str(out), "--format", "csv,jsonl", "--report", "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        check(run.returncode == 0, f"entopic extract --report exited with {run.returncode}:\n{run.stderr}")
        report = out / "report.html"
        records = [json.loads(l) for l in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
        url = report.resolve().as_uri()
        profile = tmp / "profile"

        dom = dump(chromium, profile, url)
        check(rows_shown(dom) == min(50, len(records)),
              f"{rows_shown(dom)} rows shown for {len(records)} documents")
        check(dom.count('<tr class="doc') == min(50, len(records)), "table rows missing")

        with_kim = sum(any(e["id"] == "kim-jong-un" for e in r["entities"]) for r in records)
        check(with_kim > 0, "the demo data should mention Kim Jong Un")
        dom = dump(chromium, profile, url + "#q=" + urllib.parse.quote('"Kim Jong Un"'))
        check(rows_shown(dom) == with_kim, f"search found {rows_shown(dom)} documents, expected {with_kim}")

        dom = dump(chromium, profile, url + "#doc=" + urllib.parse.quote(HOSTILE_ID, safe=""))
        check(rows_shown(dom) == 1, "#doc= should show exactly the one document")
        check('<tr class="detail">' in dom, "#doc= did not open the document")
        check(re.search(r"<mark[^>]*>Vladimir Putin</mark>", dom) is not None,
              "the opened document does not show its mention in context")
        check("&lt;iframe" in dom, "the hostile text should be shown as text")

        dom = dump(chromium, profile, url + "#doc=" + urllib.parse.quote(QUOTED_ID, safe=""))
        check(rows_shown(dom) == 1, "#doc= with quotes in the id should show the one document")
        check(re.search(r"<mark[^>]*>Emmanuel Macron</mark>", dom) is not None,
              "#doc= with quotes did not open the document")

        dom = dump(chromium, profile, url + "#doc=twin")
        check(rows_shown(dom) == 2, "#doc=twin should show both documents with that id")
        check(re.search(r"<mark[^>]*>Iran</mark>", dom) and re.search(r"<mark[^>]*>Cuba</mark>", dom),
              "each document with the id twin should show its own context")

        screenshot.parent.mkdir(parents=True, exist_ok=True)
        proc, console = chromium_run(
            chromium, profile,
            [f"--screenshot={screenshot}", "--window-size=1400,2000", "--hide-scrollbars"], url)
        check(proc.returncode == 0 and screenshot.is_file(), f"no screenshot:\n{proc.stderr[-2000:]}")
        check(not console, "console messages while taking the screenshot:\n" + "\n".join(console))
        check(png_size(screenshot) == (1400, 2000), f"screenshot is {png_size(screenshot)}")

        version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"test-browser: OK: {version}: report of {len(records)} documents "
              f"({report.stat().st_size / 1e6:.2f} MB) rendered with no console messages; "
              f"search, #doc= and hostile documents checked; screenshot {screenshot}")
        return 0
    except Failure as e:
        print(f"test-browser: FAILED: {e}", file=sys.stderr)
        print(f"test-browser: files kept in {tmp}", file=sys.stderr)
        os.environ["KEEP"] = "1"
        return 1
    finally:
        if os.environ.get("KEEP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
