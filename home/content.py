"""The home page's starting text: what a new home page says until an editor changes it (the
fields' defaults, filled in on an existing home page by home.0003)."""

INTRO = (
    "<p>DA Matters is online training about domestic abuse for people who work in policing. "
    "It helps you recognise coercive and controlling behaviour, respond well to the people who "
    "experience it, and change the habits and attitudes that let abuse go unnoticed.</p>"
)

AUDIENCE = (
    "<p>It is for police officers and staff in UK forces taking part in the programme: "
    "response officers, PCSOs, call handlers, police staff, supervisors and senior "
    "leaders.</p>"
    "<p>Some of the training talks about abuse and its effects, and includes accounts from "
    "survivors. Each module tells you what it covers before you start. You can stop at any "
    "time and come back later, and support is linked at the bottom of every page.</p>"
)

REGISTRATION = (
    "<ol>"
    "<li>Select Register.</li>"
    "<li>Enter your name, your force email address, your role and a password. Only force "
    "email addresses are accepted.</li>"
    "<li>We send you an email with a link. Open it to confirm your address, then sign in.</li>"
    "</ol>"
    "<p>If your force email address is not accepted, your force may not be taking part yet. "
    "Ask your force's training team.</p>"
)

YOUR_DATA = (
    "<p>We keep your name, force email address, role and, if you give it, your staff or "
    "collar number, with a record of the modules and lessons you complete and your "
    "knowledge-check scores. Your force's training team can see these, to know who has "
    "completed the training.</p>"
    "<p>What you write in reflection boxes is private: only you can see it. It is never shown "
    "to your force or put in any report.</p>"
    "<p>You can download everything we hold about you from My learning at any time.</p>"
)
