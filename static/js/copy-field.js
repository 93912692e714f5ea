/* Admin: a "Copy" button for a read-only field (data-copy-button="<input id>"). Without
   JavaScript, or without the clipboard, the field can still be selected and copied. */
(function () {
    "use strict";
    // Django's JavaScript catalogue (the page loads it before this script); English without it.
    var gettext = window.gettext || function (s) { return s; };
    document.querySelectorAll("[data-copy-button]").forEach(function (button) {
        var field = document.getElementById(button.getAttribute("data-copy-button"));
        var status = button.parentElement.querySelector("[data-copy-status]");
        if (!field || !navigator.clipboard) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(field.value).then(
                function () {
                    if (status) {
                        status.textContent = gettext("Copied.");
                    }
                },
                function () {
                    field.select();
                    if (status) {
                        status.textContent = gettext("Select the address and copy it.");
                    }
                }
            );
        });
    });
})();
