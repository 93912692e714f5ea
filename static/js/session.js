/*
 * The timeout warning (loaded on every page with defer; no inline script, CSP-safe), GOV.UK's
 * pattern. On a signed-in page (<body data-session-ends-in>, from
 * courses.context_processors.session_timeout), shortly before the server ends the session, a
 * dialog warns, with "Stay signed in" (a POST to data-session-stay-url, which extends the session
 * on the server) and "Sign out". If nobody answers, the page signs out through
 * data-session-timed-out-url, which says why on the sign-in page and leads back here. Tabs share
 * the end time through localStorage, so activity in one tab is not undone by another's timer.
 * progress.js dispatches "session:expired" when the API says the session has ended; the dialog
 * then says so, with a link to sign in again. kept-work.js keeps what was typed in both cases.
 */
(function () {
    "use strict";
    // Django's JavaScript catalogue (the page loads it before this script); English without it.
    var gettext = window.gettext || function (s) { return s; };
    var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
    var interpolate = window.interpolate || function (format, values, named) {
        return named
            ? format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); })
            : format.replace(/%s/g, function () { return String(values.shift()); });
    };

    var ENDS_AT = "damatters.session.ends-at";
    var data = document.body.dataset;
    var shared = null;
    try {
        shared = window.localStorage;
    } catch (error) { /* storage switched off: each tab keeps its own time */ }

    if (!("sessionEndsIn" in data)) {
        if (shared) {
            shared.removeItem(ENDS_AT);
        }
        return;
    }

    var idle = Number(data.sessionIdle);
    var lastWarning = "sessionFinal" in data;  // the limit from sign-in is nearer: activity cannot help
    // Five minutes' warning, or half the idle time when that is shorter.
    var warnBefore = Math.min(300, Math.floor(idle / 2)) * 1000;
    var endsAt = 0;
    var state = "counting";  // "warning", "dismissed" (final warning closed), "ended"
    var dialog = null;
    var returnFocus = null;
    var timer = null;

    function sharedEndsAt() {
        return shared ? Number(shared.getItem(ENDS_AT)) || 0 : 0;
    }

    function setEndsAt(time) {
        endsAt = Math.max(time, sharedEndsAt());
        if (shared) {
            shared.setItem(ENDS_AT, String(endsAt));
        }
    }

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        if (match) {
            return decodeURIComponent(match[1]);
        }
        var input = document.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function here() {
        return window.location.pathname + window.location.search;
    }

    function element(tag, attributes, text) {
        var node = document.createElement(tag);
        Object.keys(attributes).forEach(function (name) {
            node.setAttribute(name, attributes[name]);
        });
        if (text) {
            node.textContent = text;
        }
        return node;
    }

    function inWords(milliseconds) {
        var seconds = Math.max(0, Math.ceil(milliseconds / 1000));
        if (seconds >= 60) {
            var minutes = Math.ceil(seconds / 60);
            return interpolate(ngettext("%(count)s minute", "%(count)s minutes", minutes), {count: minutes}, true);
        }
        return interpolate(ngettext("%(count)s second", "%(count)s seconds", seconds), {count: seconds}, true);
    }

    function openDialog(title, parts, actions) {
        if (!dialog) {
            dialog = element("dialog", {
                "class": "session-dialog",
                "aria-labelledby": "session-dialog-title",
                "aria-describedby": "session-dialog-text"
            });
            dialog.addEventListener("cancel", function (event) {
                // Escape: in a warning, the same as "Stay signed in" (GOV.UK's pattern).
                if (state === "warning" && !lastWarning) {
                    event.preventDefault();
                    staySignedIn();
                } else if (state === "warning") {
                    state = "dismissed";
                }
            });
            dialog.addEventListener("close", function () {
                if (returnFocus && document.contains(returnFocus)) {
                    returnFocus.focus();
                }
            });
            document.body.appendChild(dialog);
        }
        dialog.textContent = "";
        dialog.appendChild(element("h2", {id: "session-dialog-title", "class": "session-dialog__title"}, title));
        var text = element("div", {id: "session-dialog-text"});
        parts.forEach(function (part) {
            text.appendChild(part);
        });
        dialog.appendChild(text);
        dialog.appendChild(element("p", {"class": "session-dialog__problem", role: "alert", "data-session-problem": ""}));
        var row = element("div", {"class": "session-dialog__actions"});
        actions.forEach(function (action) {
            row.appendChild(action);
        });
        dialog.appendChild(row);
        if (!dialog.open) {
            returnFocus = document.activeElement;
            dialog.showModal();
        }
        actions[0].focus();
    }

    function button(label, className, onClick) {
        var node = element("button", {type: "button", "class": className}, label);
        node.addEventListener("click", onClick);
        return node;
    }

    function signOutButton() {
        return button(gettext("Sign out"), "button button--secondary", function () {
            // requestSubmit, so that kept-work.js sees a sign-out and forgets what it kept.
            var form = document.querySelector("form[data-sign-out-form]");
            if (form) {
                form.requestSubmit();
            }
        });
    }

    // A whole translated sentence in `parent`, with `node` where its %(countdown)s is.
    function around(parent, sentence, node) {
        var parts = sentence.split("%(countdown)s");
        parent.appendChild(document.createTextNode(parts[0]));
        parent.appendChild(node);
        parent.appendChild(document.createTextNode(parts.slice(1).join("")));
    }

    function openWarning() {
        state = "warning";
        var countdown = element("strong", {"data-session-countdown": ""}, inWords(endsAt - Date.now()));
        var first = element("p", {});
        if (lastWarning) {
            around(first, gettext("You have been signed in for as long as we allow. We will sign you out in %(countdown)s."), countdown);
            openDialog(gettext("You will be signed out soon"), [
                first,
                element("p", {}, gettext("We do this to keep your information safe. Save anything you want to keep now."))
            ], [
                button(gettext("Continue"), "button", function () {
                    state = "dismissed";
                    dialog.close();
                }),
                signOutButton()
            ]);
            return;
        }
        around(first, gettext("We will sign you out in %(countdown)s if you do not do anything."), countdown);
        openDialog(gettext("You are about to be signed out"), [
            first,
            element("p", {}, gettext("We do this to keep your information safe."))
        ], [button(gettext("Stay signed in"), "button", staySignedIn), signOutButton()]);
    }

    function showEnded() {
        state = "ended";
        window.clearInterval(timer);
        var link = element("a", {
            "class": "button",
            href: data.sessionSignInUrl + "?next=" + encodeURIComponent(here())
        }, gettext("Sign in again"));
        openDialog(gettext("You have been signed out"), [
            element("p", {}, gettext("Your session has ended, so we could not save your last change.")),
            element("p", {}, gettext("We have kept anything you typed on this page. Sign in again to go back to it."))
        ], [link]);
    }

    function problem(text) {
        var node = dialog && dialog.querySelector("[data-session-problem]");
        if (node) {
            node.textContent = text;
        }
    }

    function staySignedIn() {
        fetch(data.sessionStayUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: {"Accept": "application/json", "X-CSRFToken": csrfToken()}
        }).then(function (response) {
            if (response.status === 401 || response.status === 403) {
                window.dispatchEvent(new CustomEvent("session:expired"));
                return null;
            }
            if (!response.ok) {
                throw new Error("stay signed in answered " + response.status);
            }
            return response.json();
        }).then(function (answer) {
            if (!answer) {
                return;
            }
            setEndsAt(Date.now() + answer.ends_in * 1000);
            lastWarning = !answer.extendable;
            state = "counting";
            dialog.close();
        }).catch(function () {
            problem(gettext("We could not reach DA Matters. Check your connection, then press \u201cStay signed in\u201d again."));
        });
    }

    function timeOut() {
        state = "ended";
        window.clearInterval(timer);
        window.dispatchEvent(new CustomEvent("session:timed-out"));  // kept-work.js keeps it
        var form = element("form", {method: "post", action: data.sessionTimedOutUrl, hidden: ""});
        [["csrfmiddlewaretoken", csrfToken()], ["next", here()], ["reason", lastWarning ? "absolute" : "idle"]]
            .forEach(function (pair) {
                form.appendChild(element("input", {type: "hidden", name: pair[0], value: pair[1]}));
            });
        document.body.appendChild(form);
        HTMLFormElement.prototype.submit.call(form);
    }

    function tick() {
        if (state === "ended") {
            return;
        }
        var later = sharedEndsAt();
        if (later > endsAt) {  // another tab kept the session going
            endsAt = later;
            if (state === "warning") {
                state = "counting";
                dialog.close();
            }
        }
        var left = endsAt - Date.now();
        if (left <= 0) {
            timeOut();
        } else if (left <= warnBefore && state === "counting") {
            openWarning();
        } else if (state === "warning") {
            var countdown = dialog.querySelector("[data-session-countdown]");
            countdown.textContent = inWords(left);
        }
    }

    setEndsAt(Date.now() + Number(data.sessionEndsIn) * 1000);
    window.addEventListener("session:expired", function () {
        if (state !== "ended") {
            showEnded();
        }
    });
    window.addEventListener("storage", function (event) {
        if (event.key === ENDS_AT) {
            tick();
        }
    });
    document.addEventListener("visibilitychange", tick);
    timer = window.setInterval(tick, 1000);
    tick();
})();
