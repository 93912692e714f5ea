/*
 * Progressive enhancement for lessons (loaded with defer; no inline scripts, CSP-safe).
 * Without JavaScript, "Mark complete" is a plain form POST. With it, the same event id is posted
 * to the progress API and the page stays put: the status is announced and focus moves to the
 * next step. A failure falls back to the ordinary form submission, which records once.
 */
(function () {
    "use strict";

    function csrfToken(form) {
        var input = form.querySelector("input[name=csrfmiddlewaretoken]");
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
        var text = "Lesson complete.";
        var link = document.createElement("a");
        link.className = "button";
        if (done && form.dataset.certificate) {
            text = "Module complete. Your certificate is ready.";
            link.href = form.dataset.certificate;
            link.textContent = "View your certificate";
        } else if (form.dataset.next) {
            link.href = form.dataset.next;
            link.textContent = "Continue to the next lesson";
        } else if (lessonsLeft && form.dataset.leftLessonsUrl) {
            text = "Lesson complete. " + form.dataset.leftLessonsText;
            link.href = form.dataset.leftLessonsUrl;
            link.textContent = form.dataset.leftLessonsLink;
        } else if (!lessonsLeft && form.dataset.leftCheckUrl) {
            text = form.dataset.leftCheckText;
            link.href = form.dataset.leftCheckUrl;
            link.textContent = form.dataset.leftCheckLink;
        } else {
            link.href = form.dataset.dashboard;
            link.textContent = "Back to My learning";
        }
        status.textContent = text + " ";
        var button = form.querySelector("button[type=submit]");
        button.replaceWith(link);
        var marker = document.querySelector("[data-lesson-status]");
        if (marker) {
            marker.textContent = "You have completed this lesson.";
        }
        link.focus();
    }

    function enhance(form) {
        form.addEventListener("submit", function (event) {
            if (!window.fetch || form.dataset.sending === "1") {
                if (form.dataset.sending === "1") {
                    event.preventDefault();  // a double-click: the first request is on its way
                }
                return;
            }
            event.preventDefault();
            form.dataset.sending = "1";
            var body = {
                id: form.querySelector("input[name=event_id]").value,
                lesson: Number(form.dataset.lesson),
                verb: "completed"
            };
            fetch(form.dataset.api, {
                method: "POST",
                credentials: "same-origin",
                headers: {
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "X-CSRFToken": csrfToken(form)
                },
                body: JSON.stringify(body)
            }).then(function (response) {
                if (!response.ok) {
                    throw new Error("progress API answered " + response.status);
                }
                return response.json();
            }).then(function (data) {
                nextStep(form, data);
            }).catch(function () {
                // Same event id, so the server still records it once.
                form.dataset.sending = "";
                HTMLFormElement.prototype.submit.call(form);
            });
        });
    }

    function enablePrint(button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            window.print();
        });
    }

    document.querySelectorAll("[data-progress-form]").forEach(enhance);
    document.querySelectorAll("[data-print]").forEach(enablePrint);
})();
