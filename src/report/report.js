"use strict";
// The document table of an entopic report: search, sort, pages, and each document's mentions in
// context. Data comes from the JSON block above; every text goes into the page through
// textContent, never as markup.
(() => {
  const $ = (id) => document.getElementById(id);
  window.addEventListener("error", (e) => {
    const banner = $("jserror");
    banner.hidden = false;
    banner.textContent = "The page script failed: " + e.message;
  });
  const D = JSON.parse($("report-data").textContent);
  const PAGE = 50;
  const fmt = (n) => n.toLocaleString("en-US");
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const nt = D.types.length;
  const rows = D.rows.map((r, i) => {
    const counts = new Array(nt).fill(0);
    let total = 0;
    for (let k = 0; k < r[5].length; k += 2) {
      counts[D.entities[r[5][k]][0]] += r[5][k + 1];
      total += r[5][k + 1];
    }
    return { i, id: r[0], path: r[1], title: r[2], date: r[3], tags: r[4], ents: r[5], ctx: r[6], counts, total, hay: null };
  });
  const hay = (r) => {
    if (r.hay === null) {
      const parts = [r.id, r.path || "", r.title || "", r.date || ""];
      r.tags.forEach((t) => parts.push(D.tags[t]));
      for (let k = 0; k < r.ents.length; k += 2) {
        const e = D.entities[r.ents[k]];
        parts.push(e[1], e[2]);
      }
      r.hay = parts.join("\n").toLowerCase();
    }
    return r.hay;
  };
  // Words, or "quoted phrases"; a document matches when it contains all of them.
  const terms = (q) => {
    const out = [];
    const re = /"([^"]*)"|(\S+)/g;
    let m;
    while ((m = re.exec(q)) !== null) {
      const t = (m[1] !== undefined ? m[1] : m[2]).trim().toLowerCase();
      if (t) out.push(t);
    }
    return out;
  };
  const keys = {
    n: (r) => r.i,
    doc: (r) => (r.title || r.id).toLowerCase(),
    date: (r) => r.date || "",
    topics: (r) => (r.tags.length ? D.tags[r.tags[0]].toLowerCase() : "\uffff"),
    total: (r) => r.total,
  };
  D.types.forEach((_, t) => { keys["t" + t] = (r) => r.counts[t]; });

  let view = rows.slice();
  let sortKey = "n";
  let sortDir = 1;
  let page = 0;
  const open = new Set();
  const search = $("q");
  // The id of #doc=ID: the table shows the documents with exactly that id, whatever characters
  // it holds (quotes included), until the search changes.
  let pinned = null;

  function apply() {
    const ts = terms(search.value);
    if (pinned !== null) view = rows.filter((r) => r.id === pinned);
    else view = ts.length ? rows.filter((r) => ts.every((t) => hay(r).includes(t))) : rows.slice();
    sort();
    page = 0;
    draw();
  }
  function sort() {
    const f = keys[sortKey];
    view.sort((a, b) => {
      const x = f(a), y = f(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir || a.i - b.i;
    });
    document.querySelectorAll("#docs th[data-k]").forEach((th) => {
      th.classList.toggle("asc", th.dataset.k === sortKey && sortDir === 1);
      th.classList.toggle("desc", th.dataset.k === sortKey && sortDir === -1);
    });
  }
  function rowEl(r) {
    const tr = el("tr", "doc" + (open.has(r.i) ? " open" : ""));
    tr.tabIndex = 0;
    tr.dataset.i = r.i;
    tr.setAttribute("aria-expanded", open.has(r.i) ? "true" : "false");
    tr.appendChild(el("td", "i", String(r.i + 1)));
    const doc = el("td", "title");
    if (r.title) doc.appendChild(el("div", "t", r.title));
    doc.appendChild(el("div", r.title ? "id" : "t", r.id));
    tr.appendChild(doc);
    tr.appendChild(el("td", "date", r.date || ""));
    const topics = el("td", "topics");
    r.tags.forEach((t) => topics.appendChild(el("span", "pill", D.tags[t])));
    tr.appendChild(topics);
    r.counts.forEach((c) => tr.appendChild(el("td", "num", c ? fmt(c) : "")));
    tr.appendChild(el("td", "num", fmt(r.total)));
    return tr;
  }
  const reasons = [
    "Mentions in context are left out for this document to keep the report small; offsets are in documents.jsonl.",
    "No context: the source of this document could not be read again (stdin, or the file is gone).",
    "No context: the source no longer has these mentions at the recorded offsets (changed since the run?).",
    "No context: the recorded path is not under the inputs of the run (run.json), so it was not read.",
    "No context: no run.json records the inputs of the run, so no file was read.",
  ];
  function detailEl(r) {
    const tr = el("tr", "detail");
    const td = el("td");
    td.colSpan = nt + 5;
    const box = el("div", "detail");
    const head = el("div", "src");
    if (r.path && r.path !== r.id) head.appendChild(document.createTextNode("Source: " + r.path + " · "));
    const link = el("a", null, "link to this document");
    link.href = "#doc=" + encodeURIComponent(r.id);
    head.appendChild(link);
    box.appendChild(head);
    if (r.ents.length === 0) {
      box.appendChild(el("p", "empty", "No entities found in this document."));
    } else {
      D.types.forEach((type, t) => {
        const chips = el("div", "chips");
        for (let k = 0; k < r.ents.length; k += 2) {
          const e = D.entities[r.ents[k]];
          if (e[0] !== t) continue;
          const b = el("button", "chip", e[1] + " ×" + r.ents[k + 1]);
          b.style.borderLeftColor = D.colors[t];
          b.dataset.q = '"' + e[1].replace(/"/g, "") + '"';
          b.title = type + " " + e[2];
          chips.appendChild(b);
        }
        if (chips.childElementCount) {
          box.appendChild(el("h4", null, D.typeLabels[t]));
          box.appendChild(chips);
        }
      });
      box.appendChild(el("h4", null, "First mention of each entity, in context"));
      if (Array.isArray(r.ctx)) {
        const ol = el("ol", "ctx");
        r.ctx.forEach((c) => {
          const e = D.entities[c[0]];
          const li = el("li");
          li.appendChild(document.createTextNode(c[1]));
          const m = el("mark", null, c[2]);
          m.style.background = D.colors[e[0]] + "33";
          li.appendChild(m);
          li.appendChild(document.createTextNode(c[3] + " "));
          li.appendChild(el("span", "who", "— " + e[1] + " (" + D.types[e[0]] + ")"));
          ol.appendChild(li);
        });
        box.appendChild(ol);
        const distinct = r.ents.length / 2;
        if (distinct > r.ctx.length) {
          box.appendChild(el("p", "note", "The first " + r.ctx.length + " of " + distinct + " entities are shown in context."));
        }
      } else {
        box.appendChild(el("p", "note", reasons[r.ctx] || reasons[0]));
      }
    }
    td.appendChild(box);
    tr.appendChild(td);
    return tr;
  }
  function draw() {
    const body = $("rows");
    body.textContent = "";
    const start = page * PAGE;
    const shown = view.slice(start, start + PAGE);
    shown.forEach((r) => {
      body.appendChild(rowEl(r));
      if (open.has(r.i)) body.appendChild(detailEl(r));
    });
    if (shown.length === 0) {
      const tr = el("tr");
      const td = el("td", "empty", rows.length ? "No document matches." : "No documents.");
      td.colSpan = nt + 5;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    const pages = Math.max(1, Math.ceil(view.length / PAGE));
    $("count").textContent = view.length === rows.length
      ? fmt(rows.length) + " documents"
      : fmt(view.length) + " of " + fmt(rows.length) + " documents match";
    $("pageinfo").textContent = view.length
      ? "Rows " + fmt(start + 1) + "–" + fmt(start + shown.length) + " of " + fmt(view.length) + " · page " + (page + 1) + " of " + pages
      : "";
    $("prev").disabled = page === 0;
    $("next").disabled = page + 1 >= pages;
    document.documentElement.dataset.rows = String(shown.length);
  }
  function toggle(tr) {
    const i = Number(tr.dataset.i);
    if (open.has(i)) open.delete(i); else open.add(i);
    draw();
    const again = document.querySelector('tr.doc[data-i="' + i + '"]');
    if (again) again.focus();
  }

  let timer = 0;
  search.addEventListener("input", () => {
    pinned = null;
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  $("clear").addEventListener("click", () => { pinned = null; search.value = ""; apply(); });
  $("prev").addEventListener("click", () => { page = Math.max(0, page - 1); draw(); });
  $("next").addEventListener("click", () => { page += 1; draw(); });
  document.querySelectorAll("#docs th[data-k]").forEach((th) => {
    th.addEventListener("click", () => {
      const k = th.dataset.k;
      if (k === sortKey) sortDir = -sortDir;
      else { sortKey = k; sortDir = th.classList.contains("num") ? -1 : 1; }
      sort();
      page = 0;
      draw();
    });
  });
  $("rows").addEventListener("click", (e) => {
    const tr = e.target.closest("tr.doc");
    if (tr) toggle(tr);
  });
  $("rows").addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr.doc");
    if (tr && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(tr); }
  });
  // A bar, heat-map cell, network node or entity chip searches the table for what it stands for.
  document.addEventListener("click", (e) => {
    const target = e.target.closest("[data-q]");
    if (!target) return;
    pinned = null;
    search.value = target.dataset.q;
    apply();
    $("documents").scrollIntoView({ behavior: "smooth" });
  });
  // Addresses: #doc=ID opens that document; #q=QUERY searches.
  const decode = (s) => {
    try { return decodeURIComponent(s); } catch (e) { return s; }
  };
  function fromHash() {
    const hash = location.hash;
    pinned = null;
    if (hash.startsWith("#doc=")) {
      const id = decode(hash.slice(5));
      const found = rows.filter((x) => x.id === id);
      if (found.length) {
        found.forEach((r) => open.add(r.i));
        pinned = id;
        search.value = id;
      }
    } else if (hash.startsWith("#q=")) {
      search.value = decode(hash.slice(3));
    }
    apply();
  }
  window.addEventListener("hashchange", fromHash);
  sort();
  fromHash();
  document.documentElement.dataset.ready = "1";
})();
