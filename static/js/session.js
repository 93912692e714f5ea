/*
 * The end of a signed-in session (loaded on every page with defer; no inline script, CSP-safe).
 *
 * Signed in (<body data-session-ends-in>, from courses.context_processors.session_timeout):
 * shortly before the server ends the session, a dialog warns, with "Stay signed in" (a POST to
 * data-session-stay-url, which extends the session on the server) and "Sign out". If nobody
 * answers, what was typed is kept (below) and the page signs out through
 * data-session-timed-out-url, which says why on the sign-in page and leads back here. Tabs share
 * the end time through localStorage, so activity in one tab is not undone by another's timer.
 * progress.js dispatches "session:expired" when the API says the session has ended; the dialog
 * then says so, with a link to sign in again.
 *
 * Everywhere: when a form in <main> is submitted, what was typed or chosen in the page's forms
 * is kept in this tab's sessionStorage. Reaching a signed-out page next (the sign-in page) means
 * the submission did not go through: after sign-in, the page it came from puts it back, says
 * so, and forgets it. It is only ever restored to the same account, and is forgotten when the
 * learner signs out themselves.
 */
(function () {
    "use strict";

    var KEPT = "damatters.session.kept";
    var ENDS_AT = "damatters.session.ends-at";
    var KEPT_FOR = 24 * 60 * 60 * 1000;
    var data = document.body.dataset;
    var signedIn = "sessionEndsIn" in data;

    function storage(kind) {
        try {
            return window[kind];
        } catch (error) {
            return null;  // storage switched off: nothing is kept, nothing breaks
        }
    }

    var tab = storage("sessionStorage");
    var shared = storage("localStorage");

    function readKept() {
        try {
            return JSON.parse(tab.getItem(KEPT));
        } catch (error) {
            return null;
        }
    }

    function writeKept(kept) {
        try {
            tab.setItem(KEPT, JSON.stringify(kept));
        } catch (error) { /* full or switched off */ }
    }

    function forgetKept() {
        if (tab) {
            tab.removeItem(KEPT);
        }
    }

    // --- Keeping what was typed ---------------------------------------------------------------

    function postForms() {
        return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
            return (form.getAttribute("method") || "").toLowerCase() === "post";
        });
    }

    function formKey(form) {
        var block = form.querySelector("input[name=block_id]");
        return form.getAttribute("action") + "|" + (block ? block.value : "");
    }

    function isText(field) {
        return field.tagName === "TEXTAREA" ||
            (field.tagName === "INPUT" && ["text", "search", "number", "url", "tel"].indexOf(field.type) !== -1);
    }

    function isChoice(field) {
        return field.tagName === "INPUT" && (field.type === "radio" || field.type === "checkbox");
    }

    // The form's text and choices, if the learner changed any (or always, for the form sent).
    function fieldsOf(form, always) {
        var fields = {};
        var changed = always;
        Array.prototype.forEach.call(form.elements, function (field) {
            if (!field.name || field.disabled) {
                return;
            }
            if (isChoice(field)) {
                fields[field.name] = fields[field.name] || [];
                if (field.checked) {
                    fields[field.name].push(field.value);
                }
                changed = changed || field.checked !== field.defaultChecked;
            } else if (isText(field)) {
                fields[field.name] = field.value;
                changed = changed || field.value !== field.defaultValue;
            }
        });
        return changed && Object.keys(fields).length ? fields : null;
    }

    function keep(sent, interrupted) {
        var forms = [];
        postForms().forEach(function (form) {
            var fields = fieldsOf(form, form === sent);
            if (fields) {
                forms.push({key: formKey(form), fields: fields, sent: form === sent});
            }
        });
        if (forms.length) {
            writeKept({
                path: window.location.pathname,
                user: data.sessionUser,
                at: Date.now(),
                interrupted: interrupted,
                forms: forms
            });
        }
    }

    function restoreForm(form, fields) {
        var restored = {text: false, field: null};
        Object.keys(fields).forEach(function (name) {
            var value = fields[name];
            Array.prototype.forEach.call(form.elements, function (field) {
                if (field.name !== name) {
                    return;
                }
                if (isChoice(field) && Array.isArray(value)) {
                    var on = value.indexOf(field.value) !== -1;
                    if (field.checked !== on) {
                        field.checked = on;
                        restored.field = restored.field || field;
                    }
                } else if (isText(field) && typeof value === "string" && field.value !== value) {
                    field.value = value;
                    restored.text = true;
                    restored.field = restored.field || field;
                }
            });
        });
        return restored;
    }

    function noteRestored(form, restored, number) {
        var button = form.querySelector("button[type=submit], button:not([type])");
        var action = button ? button.textContent.trim() : "the button below";
        var note = document.createElement("p");
        note.className = "session-kept";
        note.id = "session-kept-" + number;
        note.textContent = restored.text ?
            "We kept what you typed before you were signed out. It is not saved yet: press \u201c" +
                action + "\u201d to save it." :
            "We kept what you chose before you were signed out. Press \u201c" + action +
                "\u201d to send it.";
        if (button) {
            button.parentNode.insertBefore(note, button);
        } else {
            form.appendChild(note);
        }
        var field = restored.field;
        var described = field.getAttribute("aria-describedby");
        field.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
    }

    function restore(kept) {
        var first = null;
        var sent = null;
        kept.forms.forEach(function (saved, number) {
            var form = postForms().filter(function (candidate) {
                return formKey(candidate) === saved.key;
            })[0];
            if (!form) {
                return;
            }
            var restored = restoreForm(form, saved.fields);
            if (restored.field) {
                noteRestored(form, restored, number);
                first = first || restored.field;
                sent = saved.sent ? restored.field : sent;
            }
        });
        var target = sent || first;
        if (target) {
            // Where the learner was working; the note is read out with the field.
            target.focus();
            target.scrollIntoView({block: "center"});
        }
    }

    function onLoad() {
        var kept = readKept();
        if (kept && !(Date.now() - kept.at < KEPT_FOR)) {
            forgetKept();
            kept = null;
        }
        if (!kept) {
            return;
        }
        if (!signedIn) {
            // Signed out after sending: the submission did not go through.
            kept.interrupted = true;
            writeKept(kept);
            var note = document.querySelector("[data-session-kept]");
            if (note) {
                note.hidden = false;
            }
        } else if (!kept.interrupted || kept.user !== data.sessionUser) {
            forgetKept();  // it went through, or it is someone else's
        } else if (kept.path === window.location.pathname) {
            restore(kept);
            forgetKept();
        }
    }

    document.addEventListener("submit", function (event) {
        if (!signedIn) {
            return;
        }
        if (event.target.hasAttribute("data-sign-out-form")) {
            forgetKept();  // signing out on purpose: nothing stays behind in the tab
        } else if (event.target.closest("main")) {
            keep(event.target, false);
        }
    }, true);

    onLoad();

    if (!signedIn) {
        if (shared) {
            shared.removeItem(ENDS_AT);
        }
        return;
    }

    // --- Timeout warning ----------------------------------------------------------------------

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
            return minutes + (minutes === 1 ? " minute" : " minutes");
        }
        return seconds + (seconds === 1 ? " second" : " seconds");
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
        return button("Sign out", "button button--secondary", function () {
            var form = document.querySelector("form[data-sign-out-form]");
            forgetKept();
            if (form) {
                HTMLFormElement.prototype.submit.call(form);
            }
        });
    }

    function openWarning() {
        state = "warning";
        var countdown = element("strong", {"data-session-countdown": ""}, inWords(endsAt - Date.now()));
        var first = element("p", {});
        if (lastWarning) {
            first.appendChild(document.createTextNode("You have been signed in for as long as we allow. We will sign you out in "));
            first.appendChild(countdown);
            first.appendChild(document.createTextNode("."));
            openDialog("You will be signed out soon", [
                first,
                element("p", {}, "We do this to keep your information safe. Save anything you want to keep now.")
            ], [
                button("Continue", "button", function () {
                    state = "dismissed";
                    dialog.close();
                }),
                signOutButton()
            ]);
            return;
        }
        first.appendChild(document.createTextNode("We will sign you out in "));
        first.appendChild(countdown);
        first.appendChild(document.createTextNode(" if you do not do anything."));
        openDialog("You are about to be signed out", [
            first,
            element("p", {}, "We do this to keep your information safe.")
        ], [button("Stay signed in", "button", staySignedIn), signOutButton()]);
    }

    function showEnded() {
        state = "ended";
        window.clearInterval(timer);
        var link = element("a", {
            "class": "button",
            href: data.sessionSignInUrl + "?next=" + encodeURIComponent(here())
        }, "Sign in again");
        link.addEventListener("click", function () {
            keep(null, true);
        });
        openDialog("You have been signed out", [
            element("p", {}, "Your session has ended, so we could not save your last change."),
            element("p", {}, "We have kept anything you typed on this page. Sign in again to go back to it.")
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
                keep(null, true);
                showEnded();
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
            problem("We could not reach DA Matters. Check your connection, then press \u201cStay signed in\u201d again.");
        });
    }

    function timeOut() {
        state = "ended";
        window.clearInterval(timer);
        keep(null, true);
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
            keep(null, true);
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
