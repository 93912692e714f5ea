/* Site-wide progressive enhancement, loaded (deferred) by base.html on every page. Everything
   here is an improvement on pages that already work without JavaScript. */
(function () {
    "use strict";

    // GOV.UK error summary: when a form comes back with errors, the summary takes focus, so a
    // screen reader reads it first and the keyboard starts from it. Its links go to the fields.
    function enhanceErrorSummary(summary) {
        summary.focus();
        summary.addEventListener("click", function (event) {
            var link = event.target.closest("a[href^='#']");
            var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
            if (!field) {
                return;
            }
            event.preventDefault();
            // Show the field's question (its legend or label) as well as the field itself.
            var fieldset = field.closest("fieldset");
            var label = fieldset
                ? fieldset.querySelector("legend")
                : document.querySelector("label[for='" + CSS.escape(field.id) + "']");
            (label || field).scrollIntoView();
            field.focus({ preventScroll: true });
        });
    }

    var summary = document.querySelector(".error-summary");
    if (summary) {
        enhanceErrorSummary(summary);
    }
})();
