/* Full-text search over published decisions with Pagefind, exact to the words typed.

   A decision matches when, for every word of the query, its Part 1 text, reference, title,
   decision maker, topics or approval date has a word that begins with it ("grant" finds
   "grants"; "innovation" never finds a decision that only says "in"). Words are compared
   without case or accents, and a hyphenated word counts whole and by its parts.

   Pagefind indexes the words as written (no stemming: see outputs/search.py), so for each
   query word its candidates are exactly the pages with a word it is a prefix of, unless the
   bundle has no such word at all: then Pagefind substitutes the longest shorter prefix it
   has (a page with "in" for "innovation"). That substitution is all or nothing within a
   bundle, so checking one result per bundle settles the bundle (the fast rule); the plain
   rule, data-verify="every", checks every result, and the tests run both on the same
   queries. Every result shown is checked again against its own text before it is shown.

   Each bundle's results are asked for on their own (a "bundle" filter on the merged
   index), and only the index chunks of the words searched and the fragments of the
   results checked or shown are downloaded. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-foia-search]");
  if (!form) return;
  var input = form.q;
  var selects = { year: form.year, tag: form.tag, maker: form.maker };
  var status = document.getElementById("foia-search-status");
  var results = document.getElementById("foia-search-results");
  var more = document.getElementById("foia-search-more");
  var bundle = new URL(form.getAttribute("data-bundle"), window.location.href);
  var siteRoot = new URL(form.getAttribute("data-site-root"), window.location.href);
  var bundles = (form.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
  var PAGE = 10;
  var instances = null; // the Pagefind module, once loaded
  var current = null; // { results: [...], shown: n, total: n, words: [...], describe: "..." }
  var generation = 0;
  var timer = null;

  /* The newest bundle is loaded and the others merged into it, each tagged with a
     "bundle" filter, so one bundle's results can be asked for on their own. */
  function load() {
    if (instances) return Promise.resolve(instances);
    if (!bundles.length) return Promise.reject(new Error("no search index"));
    // Result URLs are site paths ("/decisions/..."); baseUrl keeps them right when the
    // site is served from a sub-folder.
    var options = { baseUrl: siteRoot.pathname, excerptLength: 24 };
    var primary = new URL(bundles[0] + "/", bundle);
    return import(new URL("pagefind.js", primary).href).then(function (module) {
      return Promise.resolve(module.options(Object.assign(
        { basePath: primary.pathname, mergeFilter: { bundle: bundles[0] } }, options)))
        .then(function () {
          return Promise.all(bundles.slice(1).map(function (name) {
            return module.mergeIndex(new URL(name + "/", bundle).pathname,
              Object.assign({ mergeFilter: { bundle: name } }, options));
          }));
        })
        .then(function () { instances = module; return module; });
    });
  }

  // ------------------------------------------------------------------ the exact rule
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("en-GB");
  }
  /* The words of a query: runs of letters and digits ("covid-19" is "covid" and "19"). */
  function queryWords(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  /* The words of a text, as Pagefind indexes them: each whitespace-separated token whole
     (letters and digits only: "e-mail" is "email") and by its parts (runs of letters and
     digits, split again where a capital or a digit starts: "BodyWorn2" is body, worn, 2). */
  function textWords(text) {
    var out = new Set();
    text.normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/u).forEach(function (token) {
      var lower = token.toLocaleLowerCase("en-GB");
      var whole = lower.replace(/[^\p{L}\p{N}]+/gu, "");
      if (whole) out.add(whole);
      token.replace(/[^\p{L}\p{N}]+/gu, " ")
        .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
        .replace(/(\p{L})(\p{N})/gu, "$1 $2")
        .replace(/(\p{N})(\p{L})/gu, "$1 $2")
        .toLocaleLowerCase("en-GB").split(" ").forEach(function (w) { if (w) out.add(w); });
      lower.split(/[^\p{L}\p{N}]+/u).forEach(function (w) { if (w) out.add(w); });
    });
    return Array.from(out);
  }
  function matches(data, words) {
    var meta = data.meta || {};
    var text = [data.content || ""].concat(Object.keys(meta).map(function (k) { return String(meta[k]); })).join(" ");
    var have = textWords(text);
    return words.every(function (q) {
      return have.some(function (w) { return w.lastIndexOf(q, 0) === 0; });
    });
  }
  function dataOf(result) {
    if (!result.foiaData) result.foiaData = result.data();
    return result.foiaData;
  }
  /* One bundle's results, kept or dropped (see the note at the top). */
  function exact(found, words) {
    if (!found.length) return Promise.resolve([]);
    if (form.getAttribute("data-verify") === "every") {
      return Promise.all(found.map(function (r) {
        return dataOf(r).then(function (d) { return matches(d, words) ? r : null; });
      })).then(function (kept) { return kept.filter(Boolean); });
    }
    return dataOf(found[0]).then(function (d) { return matches(d, words) ? found : []; });
  }

  // ------------------------------------------------------------------ results
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
      if (node.nodeName === "MARK") p.appendChild(el("mark", {}, node.textContent));
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
    var facts = [];
    if (data.meta.approved) facts.push("Approved " + data.meta.approved);
    if (data.meta.maker) facts.push("by " + data.meta.maker);
    if (facts.length) li.appendChild(el("p", { "class": "foia-entry__meta" }, facts.join(" ")));
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }
  function describe(run) {
    var n = run.total;
    var text = n === 0 ? "No decisions match" : n + (n === 1 ? " decision matches" : " decisions match");
    return text + " “" + run.query + "”" + run.scope + ".";
  }
  function showMore(focusFirst) {
    var run = current;
    var shownBefore = results.children.length;
    function next() {
      if (run !== current) return Promise.resolve();
      if (results.children.length - shownBefore >= PAGE || run.shown >= run.results.length) return Promise.resolve();
      var slice = run.results.slice(run.shown, run.shown + PAGE - (results.children.length - shownBefore));
      run.shown += slice.length;
      return Promise.all(slice.map(dataOf)).then(function (items) {
        if (run !== current) return;
        items.forEach(function (data) {
          if (matches(data, run.words)) results.appendChild(entry(data));
          else run.total -= 1; // never shown: its own text lacks a word
        });
        return next();
      });
    }
    return next().then(function () {
      if (run !== current) return;
      status.textContent = describe(run);
      more.hidden = run.shown >= run.results.length;
      var first = results.children[shownBefore];
      if (focusFirst && first) first.querySelector("a").focus();
    });
  }

  // ------------------------------------------------------------------ the form
  function chosen(name) {
    var select = selects[name];
    if (!select || !select.value) return null;
    var option = select.options[select.selectedIndex];
    return { slug: select.value, label: option.getAttribute("data-label") || option.textContent };
  }
  function updateUrl(query) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(selects).forEach(function (name) {
      var c = chosen(name);
      if (c) params.set(name, c.slug);
    });
    var text = params.toString();
    history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }
  function run() {
    var query = input.value.trim();
    var words = queryWords(query);
    var mine = ++generation;
    updateUrl(query);
    if (!words.length) {
      current = null;
      results.innerHTML = "";
      more.hidden = true;
      status.textContent = query ? "Type a word to search for." : "";
      return;
    }
    var filters = {}, scope = "";
    var year = chosen("year"), tag = chosen("tag"), maker = chosen("maker");
    if (year) { filters.year = year.label; scope += " approved in " + year.label; }
    if (tag) { filters.tag = tag.label; scope += " about " + tag.label; }
    if (maker) { filters["decision maker"] = maker.label; scope += " taken by " + maker.label; }
    status.textContent = "Searching…";
    load().then(function (pf) {
      // One bundle at a time: each search loads only the index chunks of these words.
      var lists = [];
      return bundles.reduce(function (done, name) {
        return done.then(function () {
          var scoped = Object.assign({ bundle: name }, filters);
          return pf.search(words.join(" "), { filters: scoped }).then(function (found) {
            return exact(found ? found.results : [], words);
          }).then(function (kept) { lists.push(kept); });
        });
      }, Promise.resolve()).then(function () { return lists; });
    }).then(function (lists) {
      if (mine !== generation) return;
      var merged = [].concat.apply([], lists).sort(function (a, b) { return b.score - a.score; });
      current = { results: merged, shown: 0, total: merged.length, words: words, query: query, scope: scope };
      results.innerHTML = "";
      return showMore(false);
    }).catch(function () {
      if (mine === generation) status.textContent = "Search is not available at the moment. You can browse decisions by year instead.";
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  Object.keys(selects).forEach(function (name) { selects[name].addEventListener("change", run); });
  more.addEventListener("click", function () { showMore(true); });

  var params = new URLSearchParams(window.location.search);
  Object.keys(selects).forEach(function (name) {
    var value = params.get(name);
    if (value && selects[name].querySelector('option[value="' + CSS.escape(value) + '"]')) selects[name].value = value;
  });
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
