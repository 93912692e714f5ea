"""The demo privacy notice and accessibility statement (home.models.StatementPage), written
for this platform as it is built: what it stores, who sees what, how long it keeps it.

Both are marked as demonstration content: an organisation running the service replaces the
contact details and checks each section with its data protection officer before going live.
"""

from courses.sessions import duration

DEMO_LABEL = (
    "<p><b>Demonstration content.</b> The organisation running this service must replace the "
    "contact details and check every section with its data protection officer before it goes "
    "live.</p>"
)


def _flat(html: str) -> str:
    """The source wraps lines for reading; rich text is stored without the line breaks."""
    return " ".join(html.split())


def years(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} days"


def privacy_notice(*, retention_days: int, idle_seconds: int, absolute_seconds: int) -> str:
    """The privacy notice's body, with this deployment's retention and session settings."""
    return _flat(f"""{DEMO_LABEL}
<p>This notice explains what personal data the DA Matters training site keeps about you, why,
who can see it, how long it is kept and what your rights are.</p>

<h2>Who we are</h2>
<p>The DA Matters training site is run for the police forces taking part in the programme.
Your force decides that you take the training, and it is responsible for how your training
record is used in your force. In this notice, "we" means the organisation running the site.</p>

<h2>What we keep about you</h2>
<ul>
<li>your first and last name, which appear on your certificates</li>
<li>your force email address, which you sign in with</li>
<li>your force and your role (for example, response officer or call handler)</li>
<li>your staff or collar number, if you give it</li>
<li>your progress: the lessons and modules you have started and completed, when, and your
knowledge-check answers and scores</li>
<li>your certificates and their verification codes</li>
<li>anything you write in reflection boxes</li>
<li>a record of each time you sign in, or someone tries to sign in to your account</li>
</ul>

<h2>Why we keep it</h2>
<ul>
<li>to give you the training, save your progress and let you carry on where you left off</li>
<li>to give you certificates that others can check</li>
<li>to tell your force who has taken the training, so that it can plan and report on it</li>
<li>to evaluate whether the programme works, using figures about groups of people only</li>
<li>to keep the site and your account secure</li>
</ul>
<p>We use your data because your force needs to train its officers and staff to respond well
to domestic abuse: a task carried out in the public interest.</p>

<h2>Who can see it</h2>
<ul>
<li><b>You</b> can see everything we keep about you, including your reflections.</li>
<li><b>Your force's training team</b> can see your name, email address, role, staff number,
the modules you have started and completed, when, and your scores.</li>
<li><b>Your reflections are private.</b> Only you can see them. They are never shown to your
force, put in a report, or sent anywhere else.</li>
<li><b>People evaluating the programme</b> see only figures about groups of at least 10
people, never a named person.</li>
<li><b>The people who run the site</b> can reach the data only to support you, fix problems and
keep the site secure.</li>
</ul>
<p>We do not sell your data or share it with anyone else, and we do not use it for
advertising.</p>

<h2>Cookies</h2>
<p>We use only the cookies the site needs to work: one that keeps you signed in and one that
protects forms from misuse. There are no analytics or advertising cookies. You are signed out
after {duration(idle_seconds)} without activity, and always {duration(absolute_seconds)} after
signing in.</p>

<h2>How long we keep it</h2>
<ul>
<li>The detailed record of each step you take (each lesson opened, answer given or lesson
completed) is deleted after {years(retention_days)}.</li>
<li>A summary of your progress, your certificates and your reflections are kept while you have
an account.</li>
<li>When your account is erased, we delete your name, email address, staff number,
reflections and certificates. We keep your progress without your name, so that your force's
totals do not change.</li>
<li>Records of signing in keep only account numbers, never what you typed, and are kept for
security investigations.</li>
</ul>

<h2>Your rights</h2>
<p>You have the right to:</p>
<ul>
<li>get a copy of your data: use "Download my data" on My learning at any time</li>
<li>have wrong data corrected</li>
<li>have your data erased</li>
<li>object to how we use your data, or ask us to limit it</li>
</ul>
<p>To use these rights, contact your force's training team or our data protection officer.</p>

<h2>Contact us</h2>
<p>Data protection officer (demonstration address): dpo@demo.example</p>

<h2>If you are not happy</h2>
<p>You can complain to the Information Commissioner's Office (ICO), the UK's data protection
regulator: <a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint</a>,
telephone 0303 123 1113.</p>
""")


def accessibility_statement() -> str:
    """The accessibility statement's body, in the structure of the GOV.UK model statement."""
    return _flat(f"""{DEMO_LABEL}
<p>This statement applies to the DA Matters training site: the pages learners use, from
registering to certificates. It does not cover the editors' administration area.</p>

<h2>Using this site</h2>
<p>We want everyone who takes the training to be able to use this site. You should be able
to:</p>
<ul>
<li>change colours, contrast and fonts with your browser or device settings</li>
<li>zoom in without text spilling off the screen, and use the site on a phone</li>
<li>use the whole site with a keyboard alone</li>
<li>use the site with a screen reader or speech recognition software</li>
<li>use the site with JavaScript turned off</li>
<li>read a transcript of every recording</li>
</ul>
<p>We have also tried to keep the text plain and simple.</p>

<h2>How accessible this site is</h2>
<p>We know some parts are not fully accessible:</p>
<ul>
<li>some videos do not yet have captions, though each has a transcript</li>
<li>documents offered as further resources may not all be accessible</li>
<li>without JavaScript, there is no print button on certificates: use your browser's print
option instead</li>
</ul>

<h2>Feedback and contact information</h2>
<p>If you need information from this site in a different format, or you find a problem not
listed here, email accessibility@demo.example (a demonstration address). Tell us the web
address of the page and what went wrong. We will reply within 5 working days.</p>

<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public
Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the
"accessibility regulations"). If you are not happy with how we respond to your complaint,
contact the <a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support
Service (EASS)</a>. In Northern Ireland, contact the
<a href="https://www.equalityni.org/">Equality Commission for Northern Ireland</a>.</p>

<h2>Technical information about this site's accessibility</h2>
<p>We are committed to making this site accessible, in line with the accessibility
regulations.</p>
<h3>Compliance status</h3>
<p>This site is partially compliant with the
<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines version 2.2</a>
AA standard, because of the problems listed below.</p>
<h3>Content that is not accessible</h3>
<ul>
<li>Some videos have no captions (WCAG 2.2 success criterion 1.2.2, captions). Each has a
transcript. We add captions when we publish or update a video.</li>
<li>Some documents offered as further resources may not meet the standard. They are optional
and their main points are in the lessons.</li>
</ul>

<h2>How we tested this site</h2>
<p>Every change to the site is tested automatically in a real browser: each learner page is
checked with the axe accessibility engine at desktop and phone widths, a lesson is completed
with the keyboard alone, and the site is used with JavaScript turned off.</p>

<h2>What we are doing to improve accessibility</h2>
<p>We are adding captions to every video, and we review this statement whenever the site
changes in a way that affects it.</p>
""")
