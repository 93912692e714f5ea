/*
 * Progressive enhancement for lessons (loaded with defer; no inline scripts, CSP-safe).
 * Without JavaScript, "Mark complete" is a plain form POST. With it, the event (its id made when
 * the page was rendered, its time when pressed) joins a queue kept on the device, one queue per
 * learner (localStorage, keyed by data-learner, so a shared device never sends one officer's
 * events as another's), and the queue is posted to the progress API as one batch. The page
 * says the lesson is done only when the server has recorded it; until then it says the event is
 * saved on this device. The queue is sent again when the browser is back online, when a lesson
 * page loads or is shown again, and after a growing pause. When the session has ended (401, or
 * a refused CSRF token) the queue is kept and "session:expired" is dispatched on window.
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

    var QUEUE_PREFIX = "damatters.progress-queue.";
    var BATCH_MAX = 100;  // the API's limit (PROGRESS_BATCH_MAX)
    var BATCH_CHARS = 60000;  // under the API's 64 KB body limit
    var RETRY_FIRST = 2000;
    var RETRY_LAST = 60000;
    var WAIT_MS = 20000;  // a request on a poor connection counts as failed after this
    var OFFLINE = gettext("Saved on this device; it will be sent when you're back online.");
    var BUSY = gettext("Saved on this device; it will be sent in a moment.");
    var SIGNED_OUT = gettext("Saved on this device; it will be sent when you sign in again.");

    var queueKey = null;
    var api = null;
    var forms = [];
    var sending = false;
    var delay = 0;
    var timer = null;

    function csrfToken() {
        // The cookie, not the form: it is the current token after signing in again elsewhere.
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        if (match) {
            return decodeURIComponent(match[1]);
        }
        var input = document.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function nextStep(form, data) {
        // What to say once the server has recorded the lesson: the certificate when the module
        // is complete; else the next lesson; on the last lesson, what the module still needs
        // (the server's words, from the form's data-left-* attributes).
        var status = form.querySelector("[data-progress-status]");
        var module = data && data.module_progress;
        var done = module && (module.completed_at || module.status === "completed");
        var lessonsLeft = module && module.lessons_completed < module.lessons_total;
        var text = gettext("Lesson complete.");
        var link = document.createElement("a");
        link.className = "button";
        if (done && form.dataset.certificate) {
            text = gettext("Module complete. Your certificate is ready.");
            link.href = form.dataset.certificate;
            link.textContent = gettext("View your certificate");
        } else if (form.dataset.next) {
            link.href = form.dataset.next;
            link.textContent = gettext("Continue to the next lesson");
        } else if (lessonsLeft && form.dataset.leftLessonsUrl) {
            text = interpolate(gettext("Lesson complete. %(next_step)s"), {next_step: form.dataset.leftLessonsText}, true);
            link.href = form.dataset.leftLessonsUrl;
            link.textContent = form.dataset.leftLessonsLink;
        } else if (!lessonsLeft && form.dataset.leftCheckUrl) {
            text = form.dataset.leftCheckText;
            link.href = form.dataset.leftCheckUrl;
            link.textContent = form.dataset.leftCheckLink;
        } else {
            link.href = form.dataset.dashboard;
            link.textContent = gettext("Back to My learning");
        }
        status.textContent = text + " ";
        var button = form.querySelector("button[type=submit]");
        button.replaceWith(link);
        var marker = document.querySelector("[data-lesson-status]");
        if (marker) {
            marker.textContent = gettext("You have completed this lesson.");
        }
        link.focus();
    }

    // --- The queue on the device ------------------------------------------------------------

    function load() {
        try {
            var items = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
            return Array.isArray(items) ? items : [];
        } catch (error) {
            return [];
        }
    }

    function store(items) {
        // Throws when the browser keeps no storage (or it is full): the caller falls back.
        if (items.length) {
            window.localStorage.setItem(queueKey, JSON.stringify(items));
        } else {
            window.localStorage.removeItem(queueKey);
        }
    }

    function enqueue(item) {
        var items = load();
        // Pressed twice: the first press's event, with its time, is the one sent.
        if (!items.some(function (queued) { return queued.id === item.id; })) {
            items.push(item);
            store(items);
        }
    }

    function replace(changed) {
        // Another tab may have added or sent events meanwhile: change only these, by id.
        var byId = {};
        changed.forEach(function (entry) { byId[entry.id] = entry; });
        try {
            store(load().reduce(function (kept, item) {
                if (!(item.id in byId)) {
                    kept.push(item);
                } else if (byId[item.id].item) {
                    kept.push(byId[item.id].item);
                }
                return kept;
            }, []));
        } catch (error) {
            // Nothing to do: the events stay queued and are sent again, which records nothing twice.
        }
    }

    function drop(items) {
        replace(items.map(function (item) { return {id: item.id, item: null}; }));
    }

    function batchOf(items) {
        var batch = [];
        var chars = 2;
        for (var i = 0; i < items.length && batch.length < BATCH_MAX; i++) {
            chars += JSON.stringify(items[i]).length + 1;
            if (batch.length && chars > BATCH_CHARS) {
                break;
            }
            batch.push(items[i]);
        }
        return batch;
    }

    // --- What the page says -----------------------------------------------------------------

    function formFor(item) {
        // This page's "Mark complete" form for the event: the same id, or (an event queued on an
        // earlier visit to this lesson) the same lesson, not yet shown as done.
        return forms.filter(function (form) {
            return form.querySelector("button[type=submit]") && (
                form.elements.event_id.value === item.id ||
                (item.verb === "completed" && Number(form.dataset.lesson) === item.lesson)
            );
        })[0];
    }

    function say(items, text) {
        items.forEach(function (item) {
            var form = formFor(item);
            if (form) {
                form.querySelector("[data-progress-status]").textContent = text;
            }
        });
    }

    // --- Sending ----------------------------------------------------------------------------

    function post(batch) {
        var controller = window.AbortController ? new AbortController() : null;
        var giveUp = controller && window.setTimeout(function () { controller.abort(); }, WAIT_MS);
        return fetch(api, {
            method: "POST",
            credentials: "same-origin",
            headers: {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": csrfToken()
            },
            body: JSON.stringify(batch),
            signal: controller ? controller.signal : undefined
        }).then(function (response) {
            return response.json().catch(function () { return null; }).then(function (data) {
                return {status: response.status, data: data, retryAfter: response.headers.get("Retry-After")};
            });
        }, function () {
            return {status: 0, data: null, retryAfter: null};
        }).then(function (answer) {
            window.clearTimeout(giveUp);
            return answer;
        });
    }

    function flush() {
        if (sending || !queueKey) {
            return;
        }
        window.clearTimeout(timer);
        timer = null;
        var items = load();
        if (!items.length) {
            delay = 0;
            return;
        }
        if (navigator.onLine === false) {
            say(items, OFFLINE);  // the "online" event sends them
            return;
        }
        var batch = batchOf(items);
        sending = true;
        post(batch).then(function (answer) {
            sending = false;
            handle(batch, answer);
        });
    }

    function handle(batch, answer) {
        var status = answer.status;
        var data = answer.data;
        if (status === 200 || status === 201) {
            drop(batch);
            delay = 0;
            (Array.isArray(data) ? data : []).forEach(function (result) {
                var form = formFor({id: result.id, verb: result.verb, lesson: result.lesson});
                if (form) {
                    nextStep(form, result);
                }
            });
            flush();  // the rest of a long queue
        } else if (status === 401 || (status === 403 && isCsrfRefusal(data))) {
            say(batch, SIGNED_OUT);
            window.dispatchEvent(new CustomEvent("session:expired"));
        } else if (status === 400 || status === 403 || status === 409) {
            refuse(batch, status, data);
            flush();
        } else {
            // No connection (0), throttled (429), or the server failing: keep them, try later.
            say(batch, status === 0 ? OFFLINE : BUSY);
            retryLater(answer.retryAfter);
        }
    }

    function isCsrfRefusal(data) {
        return Boolean(data && typeof data.detail === "string" && data.detail.indexOf("CSRF") === 0);
    }

    function refuse(batch, status, data) {
        // The server will never take these events as they are: nothing in the batch was recorded
        // (all or nothing), so the others are sent again. A time the server refuses (the device's
        // clock, or too long offline) is dropped, and the event is recorded at the server's time.
        var changes = [];
        var refused = [];
        errorsByIndex(batch, status, data).forEach(function (errors, index) {
            var item = batch[index];
            if (!errors) {
                return;
            }
            var fields = Object.keys(errors);
            if (item.occurred_at && fields.length === 1 && fields[0] === "occurred_at") {
                var retimed = {id: item.id, lesson: item.lesson, verb: item.verb};
                if (item.result) {
                    retimed.result = item.result;
                }
                changes.push({id: item.id, item: retimed});
            } else {
                changes.push({id: item.id, item: null});
                refused.push({item: item, message: firstMessage(errors)});
            }
        });
        replace(changes);
        refused.forEach(function (entry) {
            var form = formFor(entry.item);
            if (form) {
                form.querySelector("[data-progress-status]").textContent = interpolate(gettext("Not saved: %(problem)s"), {problem: entry.message}, true);
            }
        });
    }

    function errorsByIndex(batch, status, data) {
        // One entry per event: its errors, or null. A 400 names events by their place (a list,
        // or an object keyed by index); a 409 names the event by id; anything else is the batch's.
        var found = batch.map(function () { return null; });
        var keyed = false;
        if (status === 409 && data && data.id) {
            batch.forEach(function (item, index) {
                if (item.id === data.id) {
                    found[index] = {id: [gettext("This was already recorded. Reload the page to see your progress.")]};
                    keyed = true;
                }
            });
        } else if (status === 400 && data && typeof data === "object" && !("detail" in data)) {
            Object.keys(data).forEach(function (key) {
                var errors = data[key];
                if (/^\d+$/.test(key) && Number(key) < batch.length && errors && typeof errors === "object" && Object.keys(errors).length) {
                    found[Number(key)] = errors;
                    keyed = true;
                }
            });
        }
        if (!keyed) {
            var message = data && typeof data.detail === "string" ? data.detail : gettext("Reload the page and try again.");
            found = batch.map(function () { return {detail: [message]}; });
        }
        return found;
    }

    function firstMessage(errors) {
        var first = errors[Object.keys(errors)[0]];
        if (Array.isArray(first)) {
            first = first[0];
        }
        return typeof first === "string" ? first : gettext("Reload the page and try again.");
    }

    function retryLater(retryAfter) {
        delay = Math.min(Math.max(delay * 2, RETRY_FIRST), RETRY_LAST);
        var wait = delay * (0.8 + Math.random() * 0.4);
        var seconds = Number(retryAfter);
        if (seconds > 0) {
            wait = Math.max(wait, seconds * 1000);
        }
        window.clearTimeout(timer);
        timer = window.setTimeout(flush, wait);
    }

    // --- The "Mark complete" forms ----------------------------------------------------------

    function enhance(form) {
        form.addEventListener("submit", function (event) {
            if (!window.fetch || !queueKey) {
                return;  // the plain form post
            }
            var item = {
                id: form.elements.event_id.value,
                lesson: Number(form.dataset.lesson),
                verb: "completed",
                occurred_at: new Date().toISOString()
            };
            try {
                enqueue(item);
            } catch (error) {
                return;  // no storage on this device: the plain form post records it
            }
            event.preventDefault();
            // reflections.js saves any reflection typed and not yet saved.
            document.dispatchEvent(new CustomEvent("progress:completing", {detail: {lesson: item.lesson}}));
            delay = 0;
            flush();
        });
    }

    function enablePrint(button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            window.print();
        });
    }

    forms = Array.prototype.slice.call(document.querySelectorAll("[data-progress-form]"));
    if (forms.length && forms[0].dataset.learner && forms[0].dataset.api) {
        try {
            if (window.localStorage) {
                queueKey = QUEUE_PREFIX + forms[0].dataset.learner;
                api = forms[0].dataset.api;
            }
        } catch (error) {
            queueKey = null;  // storage blocked: plain form posts
        }
    }
    forms.forEach(enhance);
    document.querySelectorAll("[data-print]").forEach(enablePrint);
    if (queueKey) {
        window.addEventListener("online", function () {
            delay = 0;
            flush();
        });
        document.addEventListener("visibilitychange", function () {
            if (document.visibilityState === "visible") {
                flush();
            }
        });
        flush();  // events queued on an earlier visit
    }
})();
