/* The audit view's behaviour: filters, rankings, report lists and one report's findings, all
   drawn from the embedded JSON. Text from reports is only ever set with textContent; links are
   built here from "#" and URL-encoded parameters, never taken from the data. The state of the
   view lives in the URL fragment, so a link shows the same view. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("audit-data").textContent);
  var REPORTS = DATA.reports;
  var DETAILS = DATA.details;
  var RULES = DATA.rules;
  var LABELS = DATA.labels;
  var SEVERITIES = ["error", "warning", "info"];
  var FILTERS = ["region", "kind", "year", "severity", "rule", "family", "body", "timely", "q"];
  var PAGE = 100;
  var shown = { bodies: PAGE, regions: PAGE, reports: PAGE };

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    var name;
    for (name in attributes || {}) {
      if (Object.prototype.hasOwnProperty.call(attributes, name) && attributes[name] !== null && attributes[name] !== undefined) {
        node.setAttribute(name, String(attributes[name]));
      }
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    return node;
  }

  function byId(id) { return document.getElementById(id); }

  function current() {
    var params = new URLSearchParams(location.hash.slice(1));
    var state = {};
    params.forEach(function (value, key) { state[key] = value; });
    return state;
  }

  function fragment(state) {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (key) {
      if (state[key] !== "" && state[key] !== null && state[key] !== undefined) { params.set(key, state[key]); }
    });
    return "#" + params.toString();
  }

  function withState(changes) {
    var state = current();
    Object.keys(changes).forEach(function (key) { state[key] = changes[key]; });
    return state;
  }

  function link(changes, text, attributes) {
    var attrs = attributes || {};
    attrs.href = fragment(withState(changes));
    return el("a", attrs, [text]);
  }

  function familyOf(code) { return RULES[code] ? RULES[code][2] : code.replace(/[^A-Z].*$/, ""); }

  function bodyOf(report) { return report.b || report.p; }

  function reportName(report) { return report.n || report.b || report.p; }

  function matches(report, state) {
    if (state.region && report.r !== state.region) { return false; }
    if (state.kind && report.k !== state.kind) { return false; }
    if (state.year && (report.y === null ? "none" : String(report.y)) !== state.year) { return false; }
    if (state.body && bodyOf(report) !== state.body) { return false; }
    if (state.timely && report.t !== state.timely) { return false; }
    if (state.severity && !report.c[SEVERITIES.indexOf(state.severity)]) { return false; }
    if (state.rule && !report.rc[state.rule]) { return false; }
    if (state.family && !Object.keys(report.rc).some(function (code) { return familyOf(code) === state.family; })) { return false; }
    if (state.q && (report.n + " " + report.b + " " + report.p).indexOf(state.q) < 0) { return false; }
    return true;
  }

  function selected(state) {
    var found = [];
    REPORTS.forEach(function (report, index) { if (matches(report, state)) { found.push(index); } });
    return found;
  }

  /* --- filters ------------------------------------------------------------------ */

  function fillSelect(id, values, label) {
    var select = byId(id);
    values.forEach(function (value) {
      select.appendChild(el("option", { value: value[0] }, [label ? label(value) : value[1]]));
    });
  }

  function distinct(key) {
    var seen = {};
    REPORTS.forEach(function (report) { if (report[key] !== null && report[key] !== "") { seen[report[key]] = true; } });
    return Object.keys(seen).sort().map(function (value) { return [value, value]; });
  }

  function setUpFilters() {
    fillSelect("f-region", distinct("r"));
    fillSelect("f-kind", distinct("k"));
    fillSelect("f-year", distinct("y"), function (value) { return value[0] + "年度"; });
    if (REPORTS.some(function (report) { return report.y === null; })) { fillSelect("f-year", [["none", "年度不明"]]); }
    fillSelect("f-severity", SEVERITIES.map(function (key) { return [key, LABELS.severities[key]]; }));
    fillSelect("f-rule", Object.keys(RULES).sort().map(function (code) { return [code, code + " " + RULES[code][0]]; }));
    byId("filters").addEventListener("change", function (event) {
      var target = event.target;
      if (target.dataset.key) { applyFilter(target.dataset.key, target.value); }
    });
    byId("f-q").addEventListener("input", function (event) { applyFilter("q", event.target.value); });
    byId("filters").addEventListener("submit", function (event) { event.preventDefault(); });
    byId("f-clear").addEventListener("click", function () {
      var state = current();
      FILTERS.forEach(function (key) { delete state[key]; });
      location.hash = fragment(state);
    });
    byId("sort").addEventListener("change", function (event) { applyFilter("sort", event.target.value); });
  }

  function applyFilter(key, value) {
    var changes = {};
    changes[key] = value;
    history.replaceState(null, "", fragment(withState(changes)));
    render(false);
  }

  function showFilters(state) {
    Array.prototype.forEach.call(document.querySelectorAll("#filters [data-key]"), function (input) {
      input.value = state[input.dataset.key] || "";
    });
    byId("sort").value = state.sort || "epr";
    var active = clear(byId("active-filters"));
    ["body", "family", "timely"].forEach(function (key) {
      if (!state[key]) { return; }
      var name = key === "family" ? (LABELS.families[state[key]] || state[key]) : key === "timely" ? LABELS.timeliness[state[key]] : state[key];
      var remove = {};
      remove[key] = "";
      active.appendChild(el("span", { "class": "chip" }, [name + " ", link(remove, "×", { "aria-label": "取消筛选 " + name })]));
    });
  }

  /* --- rankings --------------------------------------------------------------------- */

  var SORTS = {
    epr: function (row) { return row.errors / row.reports; },
    errors: function (row) { return row.errors; },
    findings: function (row) { return row.findings; },
    late: function (row) { return row.late; },
    reports: function (row) { return row.reports; }
  };

  function ranking(indices, keyOf, severity) {
    var rows = {};
    indices.forEach(function (index) {
      var report = REPORTS[index];
      var key = keyOf(report);
      var row = rows[key] || (rows[key] = { key: key, reports: 0, errors: 0, findings: 0, late: 0 });
      row.reports += 1;
      row.errors += report.c[0];
      row.findings += severity ? report.c[SEVERITIES.indexOf(severity)] : report.c[0] + report.c[1] + report.c[2];
      row.late += report.t === "late" ? 1 : 0;
    });
    return Object.keys(rows).map(function (key) { return rows[key]; });
  }

  function drawRanking(id, rows, sort, filterKey) {
    var measure = SORTS[sort] || SORTS.epr;
    rows.sort(function (a, b) { return measure(b) - measure(a) || b.errors - a.errors || (a.key < b.key ? -1 : 1); });
    var body = clear(byId(id + "-rows"));
    rows.slice(0, shown[id]).forEach(function (row, index) {
      var changes = { view: "reports" };
      changes[filterKey] = row.key;
      body.appendChild(el("tr", {}, [
        el("td", { "class": "num" }, [index + 1]),
        el("th", { scope: "row" }, [link(changes, row.key || "（地区不明）")]),
        el("td", { "class": "num" }, [row.reports]),
        el("td", { "class": "num" }, [row.errors]),
        el("td", { "class": "num" }, [(row.errors / row.reports).toFixed(2)]),
        el("td", { "class": "num" }, [row.findings]),
        el("td", { "class": "num" }, [row.late])
      ]));
    });
    moreButton(id, rows.length);
  }

  function moreButton(id, total) {
    var button = byId(id + "-more");
    button.hidden = total <= shown[id];
    button.textContent = "再显示 " + Math.min(PAGE, total - shown[id]) + " 项（共 " + total + " 项）";
  }

  /* --- views ------------------------------------------------------------------------ */

  function drawOverview(state, indices) {
    var totals = [0, 0, 0];
    var late = 0;
    indices.forEach(function (index) {
      var report = REPORTS[index];
      totals[0] += report.c[0]; totals[1] += report.c[1]; totals[2] += report.c[2];
      late += report.t === "late" ? 1 : 0;
    });
    byId("filtered-count").textContent = (indices.length === REPORTS.length ? "全部 " + REPORTS.length + " 份报告" : "筛选出 " + indices.length + " 份报告（共 " + REPORTS.length + " 份）") +
      "：" + SEVERITIES.map(function (key, index) { return LABELS.severities[key] + " " + totals[index]; }).join("，") + "，逾期发布 " + late + " 份";
    drawRanking("bodies", ranking(indices, bodyOf, state.severity), state.sort, "body");
    drawRanking("regions", ranking(indices, function (report) { return report.r; }, state.severity), state.sort, "region");
    drawCross();
  }

  function drawCross() {
    var list = clear(byId("xr-list"));
    if (!DATA.xr.length) { list.appendChild(el("li", {}, ["未发现跨年度问题。"])); return; }
    DATA.xr.forEach(function (item) {
      var report = REPORTS[item.i];
      var related = item.rel.map(function (entry) {
        var other = entry[0] >= 0 ? REPORTS[entry[0]] : null;
        return el("li", {}, [other ? link({ view: "report", id: entry[0], f: "" }, reportName(other)) : entry[1], "：", entry[2]]);
      });
      list.appendChild(el("li", { "class": "sev-" + item.s }, [
        el("span", { "class": "code" }, [item.c]), " ",
        link({ view: "report", id: item.i, f: "" }, reportName(report)), el("br"),
        el("span", {}, [item.m]),
        related.length ? el("ul", {}, related) : null
      ]));
    });
  }

  function drawReports(state, indices) {
    byId("reports-count").textContent = "共 " + indices.length + " 份报告";
    var body = clear(byId("reports-rows"));
    indices.slice(0, shown.reports).forEach(function (index) {
      var report = REPORTS[index];
      body.appendChild(el("tr", {}, [
        el("th", { scope: "row" }, [link({ view: "report", id: index, f: "" }, reportName(report)), el("div", { "class": "path" }, [report.p])]),
        el("td", {}, [report.r]),
        el("td", { "class": "num" }, [report.y === null ? "" : report.y]),
        el("td", { "class": "timely-" + report.t }, [LABELS.timeliness[report.t], report.pd ? "（" + report.pd + "）" : ""]),
        el("td", { "class": "num" }, [report.c[0]]),
        el("td", { "class": "num" }, [report.c[1]]),
        el("td", { "class": "num" }, [report.c[2]])
      ]));
    });
    moreButton("reports", indices.length);
  }

  function drawReport(state) {
    var index = parseInt(state.id, 10);
    var report = REPORTS[index];
    var detail = DETAILS[index];
    var info = clear(byId("report-info"));
    var list = clear(byId("findings"));
    clear(byId("finding"));
    if (!report) { byId("report-title").textContent = "找不到这份报告"; return; }
    byId("report-title").textContent = reportName(report);
    [["文件", report.p], ["机关", report.b], ["地区", report.r], ["类型", report.k], ["层级", report.lv],
     ["年度", report.y === null ? "" : report.y], ["发布日期", report.pd || "未写"], ["发布期限", report.dl || "无法确定"],
     ["是否按时", LABELS.timeliness[report.t]], ["问题", LABELS.severities.error + " " + report.c[0] + "，" + LABELS.severities.warning + " " + report.c[1] + "，" + LABELS.severities.info + " " + report.c[2]]
    ].forEach(function (pair) { info.appendChild(el("dt", {}, [pair[0]])); info.appendChild(el("dd", {}, [pair[1]])); });
    detail.f.forEach(function (finding, number) {
      var current = String(number) === state.f;
      var item = el("li", { "class": "sev-" + finding.s + (current ? " current" : "") }, [
        link({ f: number }, [finding.c, " ", LABELS.severities[finding.s], " 第 ", finding.l, " 行：", finding.m].join(""), current ? { "aria-current": "true" } : {})
      ]);
      list.appendChild(item);
    });
    if (!detail.f.length) { list.appendChild(el("li", {}, ["这份报告没有发现问题。"])); }
    var chosen = detail.f[parseInt(state.f, 10)];
    if (chosen) { drawFinding(chosen, detail); }
  }

  function drawFinding(finding, detail) {
    var box = byId("finding");
    var rule = RULES[finding.c] || [finding.c, ""];
    box.appendChild(el("h3", { id: "finding-title", tabindex: "-1" }, [finding.c + " " + rule[0] + "（" + LABELS.severities[finding.s] + "）"]));
    if (rule[1]) { box.appendChild(el("p", { "class": "summary" }, [rule[1]])); }
    box.appendChild(el("p", {}, [finding.m]));
    box.appendChild(el("p", { "class": "where" }, ["第 " + finding.l + " 行第 " + finding.col + " 列"]));
    if (finding.x) {
      box.appendChild(el("blockquote", { "class": "excerpt" }, [finding.x[0], el("mark", {}, [finding.x[1] || "⁁"]), finding.x[2]]));
    }
    if (finding.rel.length) {
      box.appendChild(el("h4", {}, ["相关位置"]));
      box.appendChild(el("ul", { "class": "related" }, finding.rel.map(function (entry) {
        return el("li", {}, [(entry[2] ? entry[2] + " " : "") + "第 " + entry[0] + " 行第 " + entry[1] + " 列：", entry[3]]);
      })));
    }
    var marks = {};
    finding.g.forEach(function (mark) { marks[mark[0] + "/" + mark[1] + "/" + mark[2]] = mark[3]; });
    var tables = {};
    finding.g.forEach(function (mark) { tables[mark[0]] = true; });
    Object.keys(tables).forEach(function (table) { box.appendChild(grid(detail.tables[table], table, marks)); });
  }

  function grid(table, number, marks) {
    var head = el("tr", {}, [el("th", { scope: "col" }, ["栏目"])].concat(table.cols.map(function (title) { return el("th", { scope: "col" }, [title]); })));
    var rows = table.rows.map(function (row, rowIndex) {
      return el("tr", {}, [el("th", { scope: "row" }, [row[0]])].concat(row[1].map(function (text, column) {
        var role = marks[number + "/" + rowIndex + "/" + column];
        var badge = role === "f" ? el("span", { "class": "badge" }, ["出错"]) : role === "r" ? el("span", { "class": "badge" }, ["相关"]) : null;
        return el("td", { "class": role === "f" ? "cell fault" : role === "r" ? "cell related" : "cell" }, [text === null ? "" : text, badge]);
      })));
    });
    return el("figure", { "class": "grid" }, [
      el("figcaption", {}, [table.title + "（标“出错”的是出问题的单元格，标“相关”的是等式另一边的单元格）"]),
      el("div", { "class": "scroll" }, [el("table", {}, [el("thead", {}, [head]), el("tbody", {}, rows)])])
    ]);
  }

  /* --- the one render ---------------------------------------------------------------- */

  var lastView = null;

  function render(moveFocus) {
    var state = current();
    var view = state.view || "overview";
    ["overview", "reports", "report"].forEach(function (name) { byId(name).hidden = name !== view; });
    Array.prototype.forEach.call(document.querySelectorAll("nav a"), function (anchor) {
      if (anchor.dataset.view === view) { anchor.setAttribute("aria-current", "page"); } else { anchor.removeAttribute("aria-current"); }
    });
    showFilters(state);
    byId("filters").hidden = view === "report";
    var indices = selected(state);
    if (view === "overview") { drawOverview(state, indices); }
    if (view === "reports") { drawReports(state, indices); }
    if (view === "report") { drawReport(state); }
    if (moveFocus && (view !== lastView || view === "report")) {
      var target = view === "report" && state.f ? byId("finding-title") : byId(view + "-title");
      if (target) { target.focus(); }
    }
    lastView = view;
  }

  function setUpMoreButtons() {
    ["bodies", "regions", "reports"].forEach(function (id) {
      byId(id + "-more").addEventListener("click", function () { shown[id] += PAGE; render(false); });
    });
  }

  setUpFilters();
  setUpMoreButtons();
  window.addEventListener("hashchange", function () { shown.reports = PAGE; render(true); });
  document.documentElement.classList.add("ready");
  render(false);
}());
