// Progressive help on the task form; the form works without it: after a rejected submit,
// move the focus to the summary of what to correct, so screen readers read it first.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
