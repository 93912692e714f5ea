/* Sign-in pages, email first (courses.sign_in_views.EmailFirstMixin). Without JavaScript the
   "Continue" button posts the address and the page comes back with the right form. With it,
   the page changes as the address's domain is typed: "Sign in with <force>" for a force with
   its own sign-in (the domains come from the page, #sso-domains), the password field unless
   that force has turned it off. The change is announced in the page's status region. */
(function () {
    "use strict";
    // Django's JavaScript catalogue (the page loads it before this script); English without it.
    var gettext = window.gettext || function (s) { return s; };
    var interpolate = window.interpolate || function (format, values, named) {
        return named
            ? format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); })
            : format.replace(/%s/g, function () { return String(values.shift()); });
    };

    var data = document.getElementById("sso-domains");
    var continueButton = document.querySelector("[data-sign-in-continue]");
    var form = continueButton
        ? continueButton.form
        : document.querySelector("[data-sign-in-password]") &&
          document.querySelector("[data-sign-in-password]").closest("form");
    var email = form && form.querySelector("input[name='login']");
    if (!data || !email) {
        return;
    }
    var domains = JSON.parse(data.textContent);
    var passwordParts = document.querySelectorAll("[data-sign-in-password]");
    var ssoForm = document.querySelector("[data-sso-form]");
    var ssoButton = ssoForm && ssoForm.querySelector("[data-sso-button]");
    var status = document.querySelector("[data-sign-in-status]");
    // The Continue button is taken out of the form rather than hidden, so pressing Enter in
    // the password field signs in (the first submit button in a form is the one Enter uses).
    var marker = document.createComment("continue");
    if (continueButton) {
        continueButton.parentNode.insertBefore(marker, continueButton);
    }
    var shown = null;

    function showContinue(show) {
        if (!continueButton) {
            return;
        }
        if (show && !continueButton.isConnected) {
            marker.parentNode.insertBefore(continueButton, marker.nextSibling);
        } else if (!show && continueButton.isConnected) {
            continueButton.remove();
        }
    }

    function providerFor(address) {
        var at = address.lastIndexOf("@");
        var domain = at < 0 ? "" : address.slice(at + 1).trim().toLowerCase();
        return Object.prototype.hasOwnProperty.call(domains, domain) ? domains[domain] : null;
    }

    function update() {
        var provider = providerFor(email.value);
        var passwordWanted = !provider || provider.password;
        passwordParts.forEach(function (part) {
            part.hidden = !passwordWanted;
        });
        // A page rendered for a force without passwords has no password field: Continue stays
        // so that another address can be tried.
        showContinue(passwordParts.length === 0);
        if (ssoForm) {
            ssoForm.hidden = !provider;
            if (provider) {
                ssoForm.action = provider.action;
                ssoButton.textContent = interpolate(gettext("Sign in with %(provider)s"), {provider: provider.label}, true);
            }
        }
        var key = provider ? provider.action + (provider.password ? "+password" : "") : "";
        if (status && key !== shown) {
            if (provider) {
                status.textContent = interpolate(
                    provider.password
                        ? gettext("Your force lets you sign in with your work account: use “Sign in with %(provider)s”, or your password.")
                        : gettext("Your force signs you in with your work account: use “Sign in with %(provider)s”."),
                    {provider: provider.label},
                    true
                );
            } else {
                status.textContent = shown ? gettext("Sign in with your password.") : "";
            }
        }
        shown = key;
    }

    email.addEventListener("input", update);
    update();
})();
