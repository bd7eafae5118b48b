// namecleaner review page: the cluster list (search, sort, filter, pages), the summary charts
// and the reviewer's decisions, exported as an overrides file. Everything is in this file:
// no request leaves the page.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const PAGE = 50;
  const FLAGS = { near: 1, types: 2, countries: 4, families: 8 };
  // A cluster: [id, name, rows, weakest, scripts, flags, units, explanation]; a unit: [key, spellings];
  // a spelling: [name, rows, script number, romanisation].
  const clusters = DATA.clusters;
  const byId = new Map(clusters.map((c, i) => [c[0], i]));
  const storeKey = "namecleaner-report:" + DATA.generated + ":" + DATA.title;
  let decisions = load();
  let checked = new Set(decisions.filter((d) => d.why.startsWith("checked ")).map((d) => d.cluster));
  let haystacks = null;
  let order = [];
  let page = 0;
  const open = new Set();

  const $ = (id) => document.getElementById(id);
  $("threshold").textContent = DATA.threshold === null ? "n/a" : DATA.threshold;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(decisions)); } catch (e) { /* private mode */ }
    $("decision-count").textContent = decisions.length;
  }
  function fold(text) { return text.normalize("NFKC").toLowerCase(); }
  function top(cluster) { return cluster[6][0][1][0][0]; }        // the most mentioned spelling
  function unitName(unit) { return unit[1][0][0]; }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  // --- the list ---------------------------------------------------------------------------
  function haystack(cluster) {
    const parts = [cluster[0], cluster[1]];
    for (const [key, spellings] of cluster[6]) {
      parts.push(key);
      for (const s of spellings) parts.push(s[0], s[3]);
    }
    return fold(parts.join("\u0001"));
  }
  function matches(query) {
    if (!query) return null;
    if (haystacks === null) haystacks = clusters.map(haystack);
    const q = fold(query.trim());
    const found = [];
    for (let i = 0; i < haystacks.length; i++) if (haystacks[i].includes(q)) found.push(i);
    return found;
  }
  function keep(cluster, filter) {
    const flags = cluster[5];
    if (filter === "all") return true;
    if (filter === "doubtful") return flags !== 0;
    if (filter === "multi") return cluster[6].length > 1;
    return (flags & FLAGS[filter]) !== 0;
  }
  function refresh() {
    const found = matches($("search").value);
    const filter = $("filter").value;
    let picked = (found || clusters.map((_, i) => i)).filter((i) => keep(clusters[i], filter));
    const sort = $("sort").value;
    if (sort === "weakest") {
      picked.sort((a, b) => (clusters[a][3] ?? 2) - (clusters[b][3] ?? 2) || a - b);
    } else if (sort === "scripts") {
      picked.sort((a, b) => clusters[b][4] - clusters[a][4] || a - b);
    }  // "size": the embedded order, most rows first
    order = picked;
    page = 0;
    render();
    $("list").dataset.query = $("search").value;  // what the list shows now (tests wait for it)
  }
  function render() {
    const list = $("list");
    list.replaceChildren();
    const start = page * PAGE;
    for (const i of order.slice(start, start + PAGE)) list.append(clusterItem(i));
    const end = Math.min(start + PAGE, order.length);
    $("shown").textContent = order.length ? `clusters ${start + 1}–${end} of ${order.length}` : "no cluster matches";
    $("previous").disabled = page === 0;
    $("next").disabled = end >= order.length;
  }
  function clusterItem(i) {
    const c = clusters[i];
    const item = el("li", { class: "cluster" + (checked.has(c[0]) ? " checked" : ""), "data-cluster": c[0] });
    const head = el("div", { class: "head", onclick: () => { open.has(i) ? open.delete(i) : open.add(i); item.replaceWith(clusterItem(i)); } },
      el("span", { class: "name", text: c[1] }),
      el("span", { class: "id", text: c[0] }),
      el("span", { text: `${c[2]} rows, ${c[6].length} key${c[6].length > 1 ? "s" : ""}` }),
      el("span", { class: "badge", text: `${c[4]} script${c[4] === 1 ? "" : "s"}` }),
      el("span", { class: "badge" + (c[5] & FLAGS.near ? " doubt" : ""), text: c[3] === null ? "single key" : `weakest ${c[3]}` }));
    for (const [name, flag] of [["name types", FLAGS.types], ["countries", FLAGS.countries], ["legal-form families", FLAGS.families]]) {
      if (c[5] & flag) head.append(el("span", { class: "badge doubt", text: "mixed " + name }));
    }
    item.append(head);
    if (open.has(i)) item.append(clusterBody(i));
    return item;
  }
  function clusterBody(i) {
    const c = clusters[i];
    const table = el("table", {}, el("tr", {}, ...["match key", "spelling", "rows", "script", "romanisation", ""].map((t) => el("th", { text: t }))));
    c[6].forEach((unit, u) => {
      unit[1].forEach((s, k) => {
        const row = el("tr", { class: k === 0 ? "unit" : "spelling", "data-key": unit[0] },
          el("td", { text: k === 0 ? unit[0] : "" }),
          el("td", { class: "spelling-name", text: s[0] }),
          el("td", { text: s[1] }),
          el("td", { text: DATA.scripts[s[2]] || "" }),
          el("td", { text: s[3] || s[0] }));
        const actions = el("td", { class: "actions" },
          el("button", { type: "button", class: "pin", text: "pin as name", onclick: () => pin(i, s[0]) }));
        if (k === 0 && c[6].length > 1) {
          const target = el("input", { type: "text", class: "move-target", placeholder: "cluster id" });
          actions.append(
            el("button", { type: "button", class: "split", text: "split off", onclick: () => split(i, u) }),
            target,
            el("button", { type: "button", class: "move", text: "move to", onclick: () => move(i, u, target.value.trim()) }));
        } else if (k === 0) {
          const target = el("input", { type: "text", class: "move-target", placeholder: "cluster id" });
          actions.append(target, el("button", { type: "button", class: "move", text: "move to", onclick: () => move(i, u, target.value.trim()) }));
        }
        row.append(actions);
        table.append(row);
      });
    });
    const same = el("input", { type: "text", class: "same-target", placeholder: "cluster id" });
    const box = el("input", { type: "checkbox", class: "checked-box" });
    box.checked = checked.has(c[0]);
    box.addEventListener("change", () => mark(i, box.checked));
    const body = el("div", { class: "body" }, table,
      el("div", { class: "actions" },
        el("label", {}, box, " checked"),
        el("span", { text: "same applicant as" }), same,
        el("button", { type: "button", class: "same", text: "mark same", onclick: () => sameAs(i, same.value.trim()) })));
    if (c[7]) body.append(el("p", { text: "Weakest link:" }), el("pre", { class: "explanation", text: explanation(c[7]) }));
    return body;
  }

  // The weakest link in the words of `namecleaner explain`: [key, other, edge, link, weakest, reason, pair lines].
  function explanation([left, right, edge, link, weakest, reason, pair]) {
    const f = (x) => x.toFixed(3);
    return [
      `'${left}' + '${right}'`,
      `rule: merge when the average match probability reaches ${DATA.threshold} and no member pair is under ${DATA.veto}`,
      ...(pair.length ? [`pair: ${pair[0]}`, ...pair.slice(1)] : [`pair: namecleaner explain '${left}' '${right}' shows its score`]),
      `merge: edge ${f(edge)}, average link ${f(link)}, weakest member pair ${f(weakest)} (${reason})`,
    ].join("\n");
  }

  // --- decisions ----------------------------------------------------------------------------
  function add(action, name, other, why, cluster) {
    decisions.push({ action, name, other, why, cluster });
  }
  function done(i) {
    save();
    renderDecisions();
    const item = document.querySelector(`li[data-cluster="${CSS.escape(clusters[i][0])}"]`);
    if (item) item.replaceWith(clusterItem(i));
  }
  function target(id) {
    const j = byId.get(id);
    if (j === undefined) { alert(`No cluster ${id}`); return null; }
    return j;
  }
  function split(i, u) {
    const c = clusters[i];
    const name = unitName(c[6][u]);
    c[6].forEach((other, v) => { if (v !== u) add("cannot_link", name, unitName(other), `split ${name} off ${c[0]}`, c[0]); });
    done(i);
  }
  function move(i, u, id) {
    const j = target(id);
    if (j === null || j === i) return;
    const c = clusters[i];
    const name = unitName(c[6][u]);
    c[6].forEach((other, v) => { if (v !== u) add("cannot_link", name, unitName(other), `move ${name} to ${id}`, c[0]); });
    add("must_link", name, top(clusters[j]), `move ${name} to ${id}`, c[0]);
    done(i);
  }
  function sameAs(i, id) {
    const j = target(id);
    if (j === null || j === i) return;
    add("must_link", top(clusters[i]), top(clusters[j]), `${clusters[i][0]} same as ${id}`, clusters[i][0]);
    done(i);
  }
  function pin(i, name) {
    add("pin", top(clusters[i]), name, `pin the name of ${clusters[i][0]}`, clusters[i][0]);
    done(i);
  }
  function mark(i, on) {
    const c = clusters[i];
    decisions = decisions.filter((d) => !(d.cluster === c[0] && d.why.startsWith("checked ")));
    checked.delete(c[0]);
    if (on) {
      checked.add(c[0]);
      c[6].slice(1).forEach((unit) => add("must_link", top(c), unitName(unit), `checked ${c[0]}`, c[0]));
      if (c[6].length === 1) add("pin", top(c), c[1], `checked ${c[0]}`, c[0]);
    }
    done(i);
  }
  function renderDecisions() {
    const body = document.querySelector("#decision-table tbody");
    body.replaceChildren(...decisions.map((d, n) => el("tr", {},
      el("td", { text: d.action }), el("td", { text: d.name }), el("td", { text: d.other }), el("td", { text: d.why }),
      el("td", {}, el("button", { type: "button", text: "remove", onclick: () => { decisions.splice(n, 1); save(); renderDecisions(); } })))));
    $("decision-count").textContent = decisions.length;
  }
  function overridesText() {
    const clean = (text) => text.replace(/[\t\r\n]+/g, " ");
    const lines = [
      "# title: review decisions exported by namecleaner report",
      `# source: ${clean(DATA.title)}, report generated ${DATA.generated}`,
      `# exported: ${new Date().toISOString()}`,
      "action\tname\tother",
      ...decisions.map((d) => [d.action, clean(d.name), clean(d.other)].join("\t")),
    ];
    return lines.join("\n") + "\n";
  }
  $("export").addEventListener("click", () => {
    const link = el("a", { href: URL.createObjectURL(new Blob([overridesText()], { type: "text/tab-separated-values" })), download: "overrides.tsv" });
    document.body.append(link);
    link.click();
    link.remove();
  });
  $("forget").addEventListener("click", () => { decisions = []; checked = new Set(); save(); renderDecisions(); render(); });

  // --- tabs, charts, controls -------------------------------------------------------------------
  let drawn = false;
  function drawCharts() {
    if (drawn) return;
    drawn = true;
    for (const spec of DATA.charts) {
      const box = el("div", { class: "chart" });
      $("charts").append(box);
      vegaEmbed(box, spec, { actions: false, renderer: "svg" }).catch((error) => { box.textContent = String(error); });
    }
  }
  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => {
      for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b === button);
      for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== button.dataset.tab;
      if (button.dataset.tab === "summary") drawCharts();
    });
  }
  let timer = null;
  $("search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  $("sort").addEventListener("change", refresh);
  $("filter").addEventListener("change", refresh);
  $("previous").addEventListener("click", () => { page -= 1; render(); });
  $("next").addEventListener("click", () => { page += 1; render(); });
  renderDecisions();
  refresh();
  document.body.dataset.ready = "true";
})();
