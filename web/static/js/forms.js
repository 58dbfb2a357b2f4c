// Progressive help on the task form; the form works without it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Keep the page where the user was after "add a row" re-renders it.
  var added = document.querySelectorAll(".group .row");
  if (window.location.hash === "" && !summary && added.length && document.referrer === window.location.href) {
    added[added.length - 1].scrollIntoView({block: "center"});
  }
})();
