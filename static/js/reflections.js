/*
 * Reflections on a lesson (loaded with defer; no inline scripts, CSP-safe). Without JavaScript,
 * "Save my reflection" is a form post that returns to the box with the confirmation beside it.
 * With it, the same form is posted in the background (the view answers JSON) and the answer is
 * shown beside the box, in its role=status paragraph, while focus stays where it was. "Mark
 * complete" (progress.js dispatches "progress:completing") also saves every reflection that
 * differs from the one saved; a save that failed for want of a connection is tried again when
 * the browser is back online; and leaving the page with unsaved text asks first. Reflection text
 * is never put in localStorage: it is private, and the device may be shared (when the session
 * has ended, kept-work.js keeps it in this tab's sessionStorage until sign-in puts it back).
 */
(function () {
    "use strict";
    // Django's JavaScript catalogue (the page loads it before this script); English without it.
    var gettext = window.gettext || function (s) { return s; };
    var interpolate = window.interpolate || function (format, values, named) {
        return named
            ? format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); })
            : format.replace(/%s/g, function () { return String(values.shift()); });
    };

    var OFFLINE = gettext("Not saved yet: you seem to be offline. Keep this page open: it will be saved when you're back online.");
    var SIGNED_OUT = gettext("Not saved: you have been signed out. Sign in again to save it: what you typed is kept in this tab and put back after you sign in.");
    var FAILED = gettext("Not saved. Please try again in a moment.");

    var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-reflection-form]"));
    var posting = false;  // this page is posting one of these forms itself: no warning

    function box(form) {
        return form.elements.text;
    }

    function unsaved(form) {
        // The server keeps the text trimmed, and the page was rendered with what it keeps.
        return box(form).value.trim() !== box(form).defaultValue.trim();
    }

    function say(form, text, problem) {
        var status = form.querySelector("[data-reflection-status]");
        status.textContent = text;
        status.classList.toggle("reflection__status--problem", Boolean(problem));
    }

    function csrfToken(form) {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : form.elements.csrfmiddlewaretoken.value;
    }

    function save(form) {
        var text = box(form).value;
        var body = new URLSearchParams(new FormData(form));
        body.set("csrfmiddlewaretoken", csrfToken(form));  // the current one, as for the API
        form.dataset.retry = "";
        return fetch(form.action, {
            method: "POST",
            credentials: "same-origin",
            redirect: "manual",  // a redirect can only be to the sign-in page
            keepalive: true,  // finish even if the learner follows a link meanwhile
            headers: {"Accept": "application/json"},
            body: body
        }).then(function (response) {
            if (response.type === "opaqueredirect" || response.status === 401) {
                say(form, SIGNED_OUT, true);
                window.dispatchEvent(new CustomEvent("session:expired"));
                return;
            }
            return response.json().then(function (data) {
                if (response.ok) {
                    box(form).defaultValue = text;
                    say(form, data.detail, false);
                } else {
                    say(form, interpolate(gettext("Not saved: %(problem)s"), {problem: data.detail}, true), true);
                }
            }, function () {
                say(form, FAILED, true);
            });
        }, function () {
            form.dataset.retry = "1";
            say(form, OFFLINE, true);
        });
    }

    forms.forEach(function (form) {
        form.addEventListener("submit", function (event) {
            if (!window.fetch || !window.URLSearchParams) {
                posting = true;  // the plain form post
                return;
            }
            event.preventDefault();
            save(form);
        });
    });

    document.addEventListener("progress:completing", function () {
        forms.filter(unsaved).forEach(save);
    });

    window.addEventListener("online", function () {
        forms.filter(function (form) { return form.dataset.retry === "1"; }).forEach(save);
    });

    window.addEventListener("beforeunload", function (event) {
        if (!posting && forms.some(unsaved)) {
            event.preventDefault();
            event.returnValue = "";  // the browser shows its own "Leave site?" question
        }
    });
})();
