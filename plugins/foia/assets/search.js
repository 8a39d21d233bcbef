/* Full-text search over published decisions with Pagefind. Pagefind downloads only the
   index chunks for the words searched and one small fragment per result shown, so a
   search stays a small download however large the archive grows. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-foia-search]");
  if (!form) return;
  var input = form.q;
  var year = form.year;
  var status = document.getElementById("foia-search-status");
  var results = document.getElementById("foia-search-results");
  var more = document.getElementById("foia-search-more");
  var bundle = new URL(form.getAttribute("data-bundle"), window.location.href);
  var siteRoot = new URL(form.getAttribute("data-site-root"), window.location.href);
  var PAGE = 10;
  var pagefind = null;
  var current = null; // { results: [...], shown: n }
  var generation = 0;
  var timer = null;

  // Pagefind bundles of consecutive years (pagefind/<years>/), newest first: the newest is
  // loaded and the others merged into it, so a search covers every year and still
  // downloads only the index chunks of the words searched.
  var bundles = (form.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    if (!bundles.length) return Promise.reject(new Error("no search index"));
    // Result URLs are site paths ("/decisions/..."); baseUrl keeps them right when the
    // site is served from a sub-folder.
    var options = { baseUrl: siteRoot.pathname, excerptLength: 24 };
    var primary = new URL(bundles[0] + "/", bundle);
    return import(new URL("pagefind.js", primary).href).then(function (module) {
      return Promise.resolve(module.options(Object.assign({ basePath: primary.pathname }, options)))
        .then(function () {
          return Promise.all(bundles.slice(1).map(function (name) {
            return module.mergeIndex(new URL(name + "/", bundle).pathname, options);
          }));
        })
        .then(function () { pagefind = module; return module; });
    });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /* Pagefind's excerpt is escaped text with <mark> around matches: rebuild it from text
     nodes and <mark> elements only, so nothing else in it can become markup. */
  function excerpt(html) {
    var p = el("p", { "class": "foia-entry__excerpt" });
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 3) p.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") p.appendChild(el("mark", {}, node.textContent));
      else p.appendChild(document.createTextNode(node.textContent || ""));
    });
    return p;
  }
  function entry(data) {
    var li = el("li", { "class": "foia-entry" });
    var h = el("h2", { "class": "foia-entry__title" });
    var a = el("a", { href: data.url });
    if (data.meta.reference) a.appendChild(el("span", { "class": "foia-ref" }, data.meta.reference));
    a.appendChild(document.createTextNode(" " + (data.meta.title || data.url)));
    h.appendChild(a);
    li.appendChild(h);
    if (data.meta.approved) li.appendChild(el("p", { "class": "foia-entry__meta" }, "Approved " + data.meta.approved));
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }
  function showMore(focusFirst) {
    var run = current;
    var slice = run.results.slice(run.shown, run.shown + PAGE);
    run.shown += slice.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (run !== current) return;
      var first = null;
      items.forEach(function (data) {
        var li = entry(data);
        results.appendChild(li);
        first = first || li;
      });
      more.hidden = run.shown >= run.results.length;
      if (focusFirst && first) first.querySelector("a").focus();
    });
  }
  function updateUrl(query, y) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (y) params.set("year", y);
    var text = params.toString();
    history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }
  function run() {
    var query = input.value.trim();
    var y = year.value;
    var mine = ++generation;
    updateUrl(query, y);
    if (!query) {
      current = null;
      results.innerHTML = "";
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    load().then(function (pf) {
      return pf.search(query, y ? { filters: { year: y } } : {});
    }).then(function (found) {
      if (mine !== generation || !found) return;
      current = { results: found.results, shown: 0 };
      results.innerHTML = "";
      var n = found.results.length;
      status.textContent = n === 0
        ? "No decisions match “" + query + "”" + (y ? " in " + y : "") + "."
        : n + (n === 1 ? " decision matches" : " decisions match") + " “" + query + "”" + (y ? " in " + y : "") + ".";
      return showMore(false);
    }).catch(function () {
      if (mine === generation) status.textContent = "Search is not available at the moment. You can browse decisions by year instead.";
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  year.addEventListener("change", run);
  more.addEventListener("click", function () { showMore(true); });

  var params = new URLSearchParams(window.location.search);
  if (params.get("year") && year.querySelector('option[value="' + CSS.escape(params.get("year")) + '"]')) year.value = params.get("year");
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
