/*
 * Work kept when a session ends (loaded on every page with defer; no inline script, CSP-safe).
 *
 * When a form in <main> is submitted on a signed-in page, what was typed or chosen in the
 * page's forms is kept in this tab's sessionStorage. Reaching a signed-out page next (the
 * sign-in page, where a note says so) means the submission did not go through: after sign-in,
 * the page it came from puts it back, says so beside each form, moves focus there, and forgets
 * it. It is kept the same way when session.js's timer signs the learner out ("session:timed-out")
 * and when progress.js finds the session ended ("session:expired"). It is only ever restored to
 * the same account (<body data-session-user>), and is forgotten when the learner signs out
 * themselves or after a day.
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

    var KEPT = "damatters.session.kept";
    var KEPT_FOR = 24 * 60 * 60 * 1000;
    var data = document.body.dataset;
    var signedIn = "sessionEndsIn" in data;
    var tab = null;
    try {
        tab = window.sessionStorage;
    } catch (error) { /* storage switched off: nothing is kept, nothing breaks */ }

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

    // The form just sent from this page, if any: kept when it was submitted, so that a script
    // that sent it in the background (reflections.js) and then met the ended session still
    // puts the learner back in it.
    function sentKey(sent) {
        if (sent) {
            return formKey(sent);
        }
        var previous = readKept();
        if (!previous || previous.interrupted || previous.path !== window.location.pathname) {
            return null;
        }
        var was = previous.forms.filter(function (form) { return form.sent; })[0];
        return was ? was.key : null;
    }

    function keep(sent, interrupted) {
        var forms = [];
        var key = sentKey(sent);
        postForms().forEach(function (form) {
            var isSent = key !== null && formKey(form) === key;
            var fields = fieldsOf(form, isSent);
            if (fields) {
                forms.push({key: formKey(form), fields: fields, sent: isSent});
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
        var action = button ? button.textContent.trim() : gettext("the button below");
        var note = document.createElement("p");
        note.className = "session-kept";
        note.id = "session-kept-" + number;
        note.textContent = interpolate(
            restored.text ?
                gettext("We kept what you typed before you were signed out. It is not saved yet: press \u201c%(button)s\u201d to save it.") :
                gettext("We kept what you chose before you were signed out. Press \u201c%(button)s\u201d to send it."),
            {button: action},
            true
        );
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

    function keepAll() {
        if (signedIn) {
            keep(null, true);
        }
    }

    window.addEventListener("session:timed-out", keepAll);
    window.addEventListener("session:expired", keepAll);
    onLoad();
})();
