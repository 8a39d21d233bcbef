/* Decisions filter (progressive enhancement). Without JavaScript the page shows its own
   server-rendered list and the browse links; with it, the form appears and narrows the
   archive by year, topic and decision maker using decisions/listing.json, which is
   fetched only when a visitor first changes a filter. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-foia-filter]");
  var listing = document.getElementById("foia-listing");
  if (!form || !listing || !window.fetch) return;

  var status = document.getElementById("foia-filter-status");
  var siteRoot = form.getAttribute("data-site-root");
  var preset = {
    year: form.getAttribute("data-preset-year") || "",
    tag: form.getAttribute("data-preset-tag") || "",
    maker: form.getAttribute("data-preset-maker") || ""
  };
  var original = listing.innerHTML;
  var data = null;
  var shown = 0;
  var PAGE = 100;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  function values() {
    return { year: form.year.value, tag: form.tag.value, maker: form.maker.value };
  }
  function same(a, b) { return a.year === b.year && a.tag === b.tag && a.maker === b.maker; }
  function londonDate(iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function load() {
    if (data) return Promise.resolve(data);
    return fetch(form.getAttribute("data-listing"))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (json) { data = json; return data; });
  }
  function label(list, slug) {
    for (var i = 0; i < list.length; i++) if (list[i].slug === slug) return list[i].label;
    return slug;
  }
  function describe(v, count) {
    var text = count + (count === 1 ? " decision" : " decisions");
    if (v.year) text += " from " + v.year;
    if (v.tag) text += " on the topic " + label(data.tags, v.tag);
    if (v.maker) text += " by " + label(data.makers, v.maker);
    return text + ".";
  }
  function matches(v) {
    var tagIndex = -1, makerIndex = -1, i;
    for (i = 0; i < data.tags.length; i++) if (data.tags[i].slug === v.tag) tagIndex = i;
    for (i = 0; i < data.makers.length; i++) if (data.makers[i].slug === v.maker) makerIndex = i;
    return data.decisions.filter(function (d) {
      return (!v.year || d[2].slice(0, 4) === v.year) &&
        (!v.tag || d[4].indexOf(tagIndex) >= 0) &&
        (!v.maker || d[3] === makerIndex);
    });
  }
  function entry(d) {
    var li = el("li", { "class": "foia-entry" });
    var h = el("h3", { "class": "foia-entry__title" });
    var a = el("a", { href: siteRoot + d[5] });
    a.appendChild(el("span", { "class": "foia-ref" }, d[0]));
    a.appendChild(document.createTextNode(" " + d[1]));
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", { "class": "foia-entry__meta" }, "Approved ");
    meta.appendChild(el("time", { datetime: d[2] }, londonDate(d[2])));
    meta.appendChild(document.createTextNode(" by " + data.makers[d[3]].label));
    li.appendChild(meta);
    return li;
  }
  function render(found, list, more) {
    var end = Math.min(found.length, shown + PAGE);
    for (var i = shown; i < end; i++) list.appendChild(entry(found[i]));
    shown = end;
    more.hidden = shown >= found.length;
    more.textContent = "Show " + Math.min(PAGE, found.length - shown) + " more";
  }
  function updateUrl(v) {
    var params = new URLSearchParams(window.location.search);
    ["year", "tag", "maker"].forEach(function (k) {
      if (v[k] && v[k] !== preset[k]) params.set(k, v[k]); else params.delete(k);
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }
  function apply() {
    var v = values();
    updateUrl(v);
    if (same(v, preset)) {
      listing.innerHTML = original;
      status.textContent = "";
      return;
    }
    status.textContent = "Loading decisions…";
    load().then(function () {
      var found = matches(v);
      listing.innerHTML = "";
      listing.appendChild(el("h2", { id: "matching", "class": "foia-visually-hidden" }, "Matching decisions"));
      var list = el("ol", { "class": "foia-list", id: "foia-filter-results" });
      var more = el("button", { type: "button", "class": "foia-button foia-button--secondary" });
      listing.appendChild(list);
      listing.appendChild(more);
      shown = 0;
      render(found, list, more);
      more.addEventListener("click", function () {
        var first = shown;
        render(found, list, more);
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();
      });
      status.textContent = describe(v, found.length);
    }).catch(function () {
      listing.innerHTML = original;
      status.textContent = "The filter could not load the list of decisions. Use the links by year, topic or decision maker below.";
    });
  }

  var params = new URLSearchParams(window.location.search);
  ["year", "tag", "maker"].forEach(function (k) {
    var value = params.get(k);
    if (value !== null && form[k].querySelector('option[value="' + CSS.escape(value) + '"]')) form[k].value = value;
  });
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () {
    // "Clear filters" shows the whole archive, whatever page it is on.
    setTimeout(function () { form.year.value = ""; form.tag.value = ""; form.maker.value = ""; apply(); }, 0);
  });
  if (!same(values(), preset)) apply();
})();
