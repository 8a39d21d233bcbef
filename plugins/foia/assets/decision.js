/* A decision page: the print date on every printed page, and a visible cue on each table
   too wide for the screen that it scrolls sideways. */
(function () {
  "use strict";
  // The date only the reader's browser knows: added to the bottom of every printed page
  // (the rest of the page's print header and footer is in its <style id="foia-print-page">).
  function printDate() {
    var day = new Date().toLocaleDateString("en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London"
    }).replace(/[^A-Za-z0-9 ]/g, "");
    var style = document.getElementById("foia-print-date");
    if (!style) {
      style = document.createElement("style");
      style.id = "foia-print-date";
      document.head.appendChild(style);
    }
    style.textContent = '@page{@bottom-right{content:"Printed ' + day + ', page " counter(page) " of " counter(pages)}}';
  }
  printDate();
  window.addEventListener("beforeprint", printDate);

  var hints = 0;
  function markScrolling() {
    document.querySelectorAll(".foia-table").forEach(function (region) {
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      region.classList.toggle("foia-table--scrolls", scrolls);
      var hint = region.previousElementSibling;
      var has = hint && hint.classList.contains("foia-table__hint");
      if (scrolls && !has) {
        hint = document.createElement("p");
        hint.className = "foia-table__hint";
        hint.id = "foia-table-hint-" + (++hints);
        hint.textContent = "This table is wider than the screen: scroll it sideways to see every column.";
        region.parentNode.insertBefore(hint, region);
        region.setAttribute("aria-describedby", hint.id);
      } else if (!scrolls && has) {
        region.removeAttribute("aria-describedby");
        hint.remove();
      }
    });
  }
  markScrolling();
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(markScrolling, 150); });
})();
